#!/usr/bin/env bash
# The soak: ten minutes (or SECONDS) of hostile traffic against the heartbeat port and the
# Jolokia port of an app under the agent, while a subscriber checks every beat and monitor-cli
# watches. Linux only (/proc). Exit 0 when no beat was missed or late, the monitor saw nothing
# but UP, the app lived, the agent kept its threads (Jolokia's within bounds), memory and open
# files stayed flat, and Jolokia answers a read afterwards.
#
#   bench/soak.sh            # 600 s
#   bench/soak.sh 30         # a quick try
#
# The attacks are those of the integration tests HeartbeatAttackIT (io.hbwatch.testing.Attacks)
# and JolokiaAttackIT (io.hbwatch.testing.HttpAttacks), round after round, both at once.
# Documented in docs/BENCHMARKS.md, section "Soak".
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-600}"
mvn -B -q -pl agent,monitor-cli -am package -DskipTests
exec java -cp agent/target/test-classes:agent/target/classes:protocol/target/classes:protocol/target/test-classes io.hbwatch.bench.Soak \
  agent/target/hb-agent.jar "$seconds" monitor-cli/target/monitor-cli
