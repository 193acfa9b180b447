#!/bin/sh
# monitor-cli: this file is a shell stub followed by a jar; it needs only java (17+) on PATH.
# JAVA_OPTS adds JVM options; JAVA_HOME, when set, picks the java to run.
if [ -n "$JAVA_HOME" ] && [ -x "$JAVA_HOME/bin/java" ]; then java="$JAVA_HOME/bin/java"; else java=java; fi
# The quick compiler alone starts and ends a check with the least CPU and memory. A targets file of
# more than 5,000 targets (lines that are neither blank nor a comment) gets the full compiler, which
# takes a fifth less CPU per beat at that scale (docs/BENCHMARKS.md). JAVA_OPTS comes after, so
# -XX:TieredStopAtLevel there decides either way.
jit=-XX:TieredStopAtLevel=1
targets=
previous=
for arg in "$@"; do
  case $previous in --targets) targets=$arg ;; esac
  case $arg in --targets=*) targets=${arg#--targets=} ;; esac
  previous=$arg
done
if [ -n "$targets" ] && [ -f "$targets" ] && [ -r "$targets" ] && [ "$(grep -c '^[[:space:]]*[^#[:space:]]' "$targets")" -gt 5000 ]; then
  jit=
fi
exec "$java" -XX:+UseSerialGC $jit -Xshare:auto $JAVA_OPTS -jar "$0" "$@"
