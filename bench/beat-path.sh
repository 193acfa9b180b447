#!/usr/bin/env bash
# Where a beat's CPU goes at one beat a second (docs/BENCHMARKS.md, "The agent's cost"): what a
# bare wake-up costs a thread on this machine (parked, in a selector, and with a 315-byte write to
# a loopback reader: the floor under one beat a second), and the CPU to build one beat when beats are a
# second, 100 ms and 1 ms apart (interpreted and cold, then compiled and hot). About 2 minutes.
#
#   bench/beat-path.sh
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl agent -am test-compile
cp=agent/target/test-classes:agent/target/classes:protocol/target/classes:protocol/target/test-classes
java -cp "$cp" io.hbwatch.bench.WakeCost 60 5 50 200 1000 select:1000 write:1000
for run in "1000 60" "100 600" "1 6000"; do
    # shellcheck disable=SC2086 # two words: spacing and count
    java -cp "$cp" io.hbwatch.agent.beat.BeatBuildCost $run
done
