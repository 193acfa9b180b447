#!/usr/bin/env bash
# The soak: ten minutes (or SECONDS) of hostile traffic against the heartbeat port of an app
# under the agent, while a subscriber checks every beat and, when monitor-cli is built, the
# monitor watches too. Linux only (/proc). Exit 0 when no beat was missed or late, the app
# lived, the agent kept its threads, and memory and open files stayed flat.
#
#   bench/soak.sh            # 600 s
#   bench/soak.sh 30         # a quick try
#
# The attacks are those of the integration test HeartbeatAttackIT (io.hbwatch.testing.Attacks),
# round after round. Documented in docs/BENCHMARKS.md, section "Soak".
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-600}"
mvn -B -q -pl agent -am package -DskipTests
work="$(mktemp -d)"
trap 'kill "$monitor" 2>/dev/null || true; rm -rf "$work"' EXIT
monitor=""
java -cp agent/target/test-classes:agent/target/classes io.hbwatch.bench.Soak agent/target/hb-agent.jar "$seconds" "$work/ports.json" &
soak=$!
monitor_cli=monitor-cli/target/monitor-cli
if [ -x "$monitor_cli" ]; then
  for _ in $(seq 300); do [ -s "$work/ports.json" ] && break; sleep 0.1; done
  port="$(sed 's/.*"heartbeat":\([0-9]*\).*/\1/' "$work/ports.json")"
  "$monitor_cli" "127.0.0.1:$port" --job hb --format json > "$work/monitor.jsonl" 2> "$work/monitor.err" &
  monitor=$!
fi
status=0
wait "$soak" || status=$?
if [ -n "$monitor" ]; then
  kill "$monitor" 2>/dev/null || true
  wait "$monitor" 2>/dev/null || true
  echo "soak: the monitor printed $(wc -l < "$work/monitor.jsonl") event(s):"
  cat "$work/monitor.jsonl"
  # The first event is UP; any other means the monitor saw the agent falter under attack.
  if [ "$(grep -vc '"state":"UP"' "$work/monitor.jsonl" || true)" != 0 ]; then
    echo "soak: FAIL: the monitor saw a state other than UP"
    status=1
  fi
else
  echo "soak: monitor-cli not built ($monitor_cli): the subscriber alone watched"
fi
exit "$status"
