#!/usr/bin/env bash
# JMH benchmarks of the watchdog (docs/BENCHMARKS.md): what a probe adds to a call, and one
# deadlock check among 1,000 threads. JMH lives in the agent's test classes, never in hb-agent.jar.
#
#   bench/watchdog-jmh.sh                 # both, short runs, with -prof gc
#   bench/watchdog-jmh.sh ProbeBench -f 3 # any JMH arguments instead
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl agent -am test-compile dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile=target/jmh.classpath >/dev/null
cp="agent/target/test-classes:agent/target/classes:protocol/target/classes:protocol/target/test-classes:$(cat agent/target/jmh.classpath)"
if [ $# -eq 0 ]; then
    set -- 'io.hbwatch.agent.(probe.ProbeBench|watchdog.DeadlockCheckBench)' -f 1 -wi 3 -w 1s -i 5 -r 1s -prof gc
fi
exec java -cp "$cp" org.openjdk.jmh.Main "$@"
