#!/usr/bin/env bash
# One monitor-cli watching many targets (docs/BENCHMARKS.md): HB heartbeat streams at 1 s beats from
# two standalone agents and JMX Jolokia polls at 1 s; CPU, memory, threads and detection latency.
#   bench/fleet.sh [HB [JMX [STEADY_SECONDS]]]     # default 1000 200 30; 1 0 for the single-target figures
#   bench/fleet.sh 10000 0 30 fake                 # fake agents carry all streams but one frozen and
#                                                  # one killed target (always past 20,000 streams);
#                                                  # needs a descriptor limit above HB, raised here when
#                                                  # the hard limit allows
#   bench/fleet.sh 10000 0 30 spread               # the same, each stream beating at its own moment
#                                                  # of the second instead of all in one burst
#   MONITOR=/tmp/base/monitor-cli/target/monitor-cli bench/fleet.sh 10000 0 30 fake
#                                                  # another build's monitor (a git worktree of a
#                                                  # baseline), for runs side by side

set -euo pipefail
cd "$(dirname "$0")/.."
if [[ ! -x monitor-cli/target/monitor-cli || ! -f agent/target/hb-agent.jar || ! -d agent/target/test-classes ]]; then
  mvn -B -q -DskipTests package
fi
ulimit -n $((${1:-1000} + 2000)) 2>/dev/null || ulimit -n "$(ulimit -Hn)"
exec java -Dhbwatch.root=. ${MONITOR:+"-Dhbwatch.monitor=$MONITOR"} bench/Fleet.java "${1:-1000}" "${2:-200}" "${3:-30}" ${4:+"$4"}
