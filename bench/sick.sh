#!/usr/bin/env bash
# How soon the agent names each fault of a sick JVM (gc, heap, oom, progress, throttled, virtual
# threads' deadlock and carriers): the time from the fault's start to the first beat that names
# it, median, worst and best of N trials, with the agent's default options. Linux; the throttled
# case needs root (a cgroup of its own), the virtual-thread cases Java 25 beside the default JDK.
#
#   bench/sick.sh              # 10 trials of each case, about 10 minutes
#   bench/sick.sh 3 gc oom     # 3 trials of the cases whose name starts with gc or oom
#
# Results: docs/BENCHMARKS.md, section "The sick JVM: time to a named finding".
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl agent -am package dependency:build-classpath -DskipTests \
    -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath >/dev/null
exec java -Dhbwatch.agent.jar=agent/target/hb-agent.jar \
    -cp "agent/target/test-classes:agent/target/classes:protocol/target/classes:protocol/target/test-classes:$(cat agent/target/bench.classpath)" \
    io.hbwatch.bench.SickDetection "$@"
