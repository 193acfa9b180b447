#!/usr/bin/env bash
# What the embedded Jolokia costs its host JVM: time from JVM start until the agent's port file
# is written (every part started), CPU time and resident memory at that point and after a
# settle, for the agent with jolokia=off and with jolokia=127.0.0.1:0. Medians of RUNS runs each.
#
# usage: bench/jolokia-startup.sh [RUNS] [JAVA]      (after: mvn -B package -DskipTests)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-7}
JAVA=${2:-java}
AGENT=agent/target/hb-agent.jar
APP_CP=agent/target/test-classes
[ -f "$AGENT" ] && [ -d "$APP_CP" ] || { echo "build first: mvn -B package -DskipTests" >&2; exit 3; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
TICK=$(getconf CLK_TCK)

# one RUN-NAME AGENT-ARGS: prints "ready_ms cpu_ms rss_kib cpu_settled_ms rss_settled_kib"
one() {
    local ports=$TMP/$1.json args=$2
    rm -f "$ports"
    local t0; t0=$(date +%s%N)
    "$JAVA" -javaagent:$AGENT=port=0,$args,portFile=$ports -cp "$APP_CP" io.hbwatch.testing.apps.SleepApp 30 >/dev/null 2>&1 &
    local pid=$!
    while [ ! -s "$ports" ]; do sleep 0.005; done
    local t1; t1=$(date +%s%N)
    local cpu rss
    cpu=$(awk -v t="$TICK" '{print int(($14+$15)*1000/t)}' /proc/$pid/stat)
    rss=$(awk '/VmRSS/{print $2}' /proc/$pid/status)
    sleep 2
    local cpu2 rss2
    cpu2=$(awk -v t="$TICK" '{print int(($14+$15)*1000/t)}' /proc/$pid/stat)
    rss2=$(awk '/VmRSS/{print $2}' /proc/$pid/status)
    kill $pid; wait $pid 2>/dev/null || true
    echo "$(( (t1 - t0) / 1000000 )) $cpu $rss $cpu2 $rss2"
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

"$JAVA" -version 2>&1 | head -1
echo
echo "| agent | ready (port file) | CPU at ready | RSS at ready | CPU after 2 s | RSS after 2 s |"
echo "|---|---|---|---|---|---|"
for mode in "jolokia=off" "jolokia=127.0.0.1:0"; do
    : >"$TMP/results"
    for i in $(seq "$RUNS"); do one "r$i" "$mode" >>"$TMP/results"; done
    col() { awk -v c="$1" '{print $c}' "$TMP/results" | median; }
    echo "| $mode | $(col 1) ms | $(col 2) ms | $(( $(col 3) / 1024 )) MiB | $(col 4) ms | $(( $(col 5) / 1024 )) MiB |"
done
