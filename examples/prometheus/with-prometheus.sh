#!/usr/bin/env bash
# A real Prometheus scraping a real monitor-cli watching a real JVM, which is then killed:
# hbwatch_up goes from 1 to 0 in Prometheus and HbwatchTargetDown turns pending.
# Needs the build (mvn -B -q package -DskipTests) and Debian's prometheus (apt-get install prometheus).
#   examples/prometheus/with-prometheus.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v prometheus >/dev/null || { echo "prometheus is not installed (apt-get install prometheus)"; exit 3; }
tmp=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done; rm -rf "$tmp"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
await() { # await SECONDS COMMAND...: until the command succeeds
  local end=$((SECONDS + $1)); shift
  until "$@" >/dev/null 2>&1; do (( SECONDS < end )) || { echo "timed out: $*"; exit 1; }; sleep 0.2; done
}
query() { curl -sf "http://127.0.0.1:$prom/api/v1/query" --data-urlencode "query=$1"; }

java -javaagent:agent/target/hb-agent.jar=port=0,jolokia=off,portFile="$tmp/app.json",interval=200ms \
     -cp agent/target/test-classes io.hbwatch.testing.apps.SleepApp >/dev/null 2>&1 & pids+=($!); app=$!; disown
await 30 grep -q heartbeat "$tmp/app.json"
hb=$(grep -o '"heartbeat":[0-9]*' "$tmp/app.json" | cut -d: -f2)
metrics=$(free_port)
monitor-cli/target/monitor-cli "127.0.0.1:$hb" --format json --metrics "127.0.0.1:$metrics" \
    >"$tmp/events.jsonl" 2>"$tmp/monitor.err" & pids+=($!); disown

prom=$(free_port)
cp examples/prometheus/alerts.yml "$tmp/"
cat >"$tmp/prometheus.yml" <<YAML
global: {scrape_interval: 1s, evaluation_interval: 1s}
rule_files: [alerts.yml]
scrape_configs:
  - job_name: hbwatch
    honor_labels: true
    static_configs: [{targets: ["127.0.0.1:$metrics"]}]
YAML
prometheus --config.file="$tmp/prometheus.yml" --storage.tsdb.path="$tmp/data" \
    --web.listen-address="127.0.0.1:$prom" >"$tmp/prometheus.log" 2>&1 & pids+=($!); disown

await 60 sh -c "curl -sf 'http://127.0.0.1:$prom/api/v1/query?query=hbwatch_up' | grep -q '\"value\":\[[0-9.]*,\"1\"\]'"
echo "Prometheus sees the JVM:    $(query 'hbwatch_up' | grep -o '"job":"hb"[^}]*}[^]]*]')"
kill -9 "$app"
await 60 sh -c "curl -sf 'http://127.0.0.1:$prom/api/v1/query?query=hbwatch_up' | grep -q '\"value\":\[[0-9.]*,\"0\"\]'"
echo "after kill -9:              $(query 'hbwatch_up' | grep -o '"job":"hb"[^}]*}[^]]*]')"
await 30 sh -c "curl -sf 'http://127.0.0.1:$prom/api/v1/query?query=ALERTS' | grep -q HbwatchTargetDown"
echo "alert:                      $(query 'ALERTS' | grep -o '"alertname":"HbwatchTargetDown"[^}]*}')"
echo "the monitor's events:"
cat "$tmp/events.jsonl"
