#!/usr/bin/env bash
# What hb-agent.jar costs its host, side by side with the same app without it, in one run:
# time to reach main, CPU at 1 s and 100 ms beats with one subscriber, heap allocated per beat
# by the beat thread, resident memory. Linux only (/proc). Takes about 5 minutes with defaults.
#
#   bench/agent-cost.sh                      # 20 start-up pairs, 60 s CPU windows, Jolokia on
#   bench/agent-cost.sh --runs 10 --window 30 --jolokia off
#   bench/agent-cost.sh --window 120 --warmup 60                        # longer, later windows
#   bench/agent-cost.sh --parts steady --jolokia idle                   # Jolokia on, never read
#   bench/agent-cost.sh --parts steady --agent-args pauseResolution=5ms   # more agent options
#   bench/agent-cost.sh --java /usr/lib/jvm/temurin-25-jdk-amd64/bin/java
#
# Results and how to read them: docs/BENCHMARKS.md, section "The agent's cost".
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl agent -am package -DskipTests
exec java -cp agent/target/test-classes:agent/target/classes:protocol/target/classes:protocol/target/test-classes io.hbwatch.bench.AgentCost --agent agent/target/hb-agent.jar "$@"
