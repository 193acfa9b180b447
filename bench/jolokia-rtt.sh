#!/usr/bin/env bash
# Round trip of one jmx check (read the Heartbeat MBean + exec ping, one bulk request, one
# keep-alive connection, Jolokia's Java client as monitor-cli uses it) on loopback: median, p99
# and max over N checks, for
#   1. Jolokia's stock JVM agent (the JDK HttpServer, Nagle on),
#   2. the same with the JVM-wide -Dsun.net.httpserver.nodelay=true,
#   3. hb-agent.jar's embedded Jolokia (its own HTTP server: one write per answer and
#      TCP_NODELAY on its own sockets, nothing JVM-wide).
# Each target JVM carries hb-agent.jar for the Heartbeat MBean (with jolokia=off in 1 and 2).
#
# usage: bench/jolokia-rtt.sh [CHECKS] [JAVA]     (after: mvn -B package -DskipTests)
set -euo pipefail
cd "$(dirname "$0")/.."
CHECKS=${1:-1000}
JAVA=${2:-java}
AGENT=agent/target/hb-agent.jar
MONITOR=monitor-cli/target/monitor-cli.jar
APP_CP=agent/target/test-classes
STOCK=agent/target/it-lib/jolokia-javaagent.jar
[ -f "$STOCK" ] || STOCK=$HOME/.m2/repository/org/jolokia/jolokia-agent-jvm/2.3.0/jolokia-agent-jvm-2.3.0-javaagent.jar
for f in "$AGENT" "$MONITOR" "$APP_CP" "$STOCK"; do
    [ -e "$f" ] || { echo "missing $f: build first (mvn -B verify -DskipTests -Dskip.its; the stock agent comes with the agent's ITs)" >&2; exit 3; }
done
TMP=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$TMP"; }
trap cleanup EXIT

# start NAME JVM-ARGS... ; sets URL
start() {
    local name=$1; shift
    local ports=$TMP/$name.json
    "$JAVA" "$@" -cp "$APP_CP" io.hbwatch.testing.apps.SleepApp >"$TMP/$name.out" 2>&1 &
    PIDS+=($!)
    for _ in $(seq 300); do
        if [ -s "$ports" ] && grep -q '"jolokia":[0-9]' "$ports"; then
            URL="http://127.0.0.1:$(sed 's/.*"jolokia":\([0-9]*\).*/\1/' "$ports")/jolokia"; return
        fi
        if grep -q 'Agent started with URL' "$TMP/$name.out" 2>/dev/null && [ -s "$ports" ]; then
            URL=$(sed -n 's/.*Agent started with URL \(http[^ ]*\).*/\1/p' "$TMP/$name.out" | head -1); return
        fi
        sleep 0.1
    done
    echo "$name did not start:" >&2; cat "$TMP/$name.out" >&2; exit 3
}

"$JAVA" -version 2>&1 | head -1
echo
echo "| server | checks | median | p99 | max |"
echo "|---|---|---|---|---|"
start stock "-javaagent:$STOCK=host=127.0.0.1,port=0" "-javaagent:$AGENT=port=0,jolokia=off,portFile=$TMP/stock.json"
"$JAVA" -cp "$MONITOR" bench/JolokiaRtt.java "stock Jolokia agent" "$URL" "$CHECKS"
start nodelay -Dsun.net.httpserver.nodelay=true "-javaagent:$STOCK=host=127.0.0.1,port=0" "-javaagent:$AGENT=port=0,jolokia=off,portFile=$TMP/nodelay.json"
"$JAVA" -cp "$MONITOR" bench/JolokiaRtt.java "stock + -Dsun.net.httpserver.nodelay=true" "$URL" "$CHECKS"
start hbwatch "-javaagent:$AGENT=port=0,jolokia=127.0.0.1:0,portFile=$TMP/hbwatch.json"
"$JAVA" -cp "$MONITOR" bench/JolokiaRtt.java "hb-agent.jar embedded Jolokia" "$URL" "$CHECKS"
