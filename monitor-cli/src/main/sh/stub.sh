#!/bin/sh
# monitor-cli: this file is a shell stub followed by a jar; it needs only java (17+) on PATH.
# JAVA_OPTS adds JVM options; JAVA_HOME, when set, picks the java to run.
if [ -n "$JAVA_HOME" ] && [ -x "$JAVA_HOME/bin/java" ]; then java="$JAVA_HOME/bin/java"; else java=java; fi
exec "$java" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto $JAVA_OPTS -jar "$0" "$@"
