#!/usr/bin/env bash
# The fixed timeout against the phi accrual detector on replayed beat traces (jitter, loss, GC-like
# pauses, then a stop), in virtual time: false suspicions per hour and detection time of each.
#   bench/phi.sh [TRIALS [HOURS]]      # default 200 trials of 1 h per trace and detector
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl monitor-cli -am test-compile >/dev/null
exec java -cp monitor-cli/target/test-classes:monitor-cli/target/classes:protocol/target/classes \
    io.hbwatch.monitor.beat.TraceReplay "$@"
