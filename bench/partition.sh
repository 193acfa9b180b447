#!/usr/bin/env bash
# A partition between the monitor and an agent JVM on a test host of its own (a network namespace
# and a veth pair this script makes), healed after SECONDS: how long after the heal the monitor
# says UP, and what it said in between. Needs root and iproute2.
#   bench/partition.sh [SECONDS [TRIALS]]     # default a 60 s partition, 3 trials
#   MONITOR=/elsewhere/monitor-cli bench/partition.sh 60 1   # another build of the monitor, for a baseline
# The partition drops every frame both ways without touching a route: each side's neighbour entry
# for the other points at a MAC address nobody has. No packet leaves this machine.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
trials=${2:-3}
[ "$(id -u)" = 0 ] || { echo "partition.sh: needs root (network namespaces)" >&2; exit 3; }
[ -f agent/target/hb-agent.jar ] && [ -x monitor-cli/target/monitor-cli ] || mvn -B -q package -DskipTests
mvn -B -q -pl agent test-compile >/dev/null

ns=hbw-bench-$$
out=hbwb$$a
in=hbwb$$b
host=10.231.250.1
agent=10.231.250.2
work=$(mktemp -d)
cleanup() {
    [ -n "${monitor:-}" ] && kill "$monitor" 2>/dev/null || true
    [ -n "${app:-}" ] && kill "$app" 2>/dev/null || true
    ip link del "$out" 2>/dev/null || true
    ip netns del "$ns" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
ip netns add "$ns"
ip link add "$out" type veth peer name "$in"
ip link set "$in" netns "$ns"
ip addr add "$host/30" dev "$out"
ip link set "$out" up
ip netns exec "$ns" ip addr add "$agent/30" dev "$in"
ip netns exec "$ns" ip link set "$in" up
ip netns exec "$ns" ip link set lo up

ip netns exec "$ns" java -javaagent:agent/target/hb-agent.jar=host=$agent,port=0,interval=1s,jolokia=off,portFile=$work/ports \
    -cp agent/target/test-classes io.hbwatch.testing.apps.SleepApp >"$work/app.log" 2>&1 &
app=$!
for _ in $(seq 300); do [ -s "$work/ports" ] && break; sleep 0.1; done
port=$(sed 's/.*"heartbeat":\([0-9]*\).*/\1/' "$work/ports")
${MONITOR:-monitor-cli/target/monitor-cli} "$agent:$port" --format json >"$work/events" 2>"$work/monitor.err" &
monitor=$!

ms() { date +%s%3N; }
event_ms() { date -d "$1" +%s%3N; }
echo "| trial | partition | heal to UP | events from the partition on |"
echo "|---|---|---|---|"
for t in $(seq "$trials"); do
    until grep -q '"state":"UP"' "$work/events"; do sleep 0.1; done
    before=$(wc -l <"$work/events")
    ip neigh replace "$agent" lladdr 02:00:00:00:00:01 nud permanent dev "$out"
    ip netns exec "$ns" ip neigh replace "$host" lladdr 02:00:00:00:00:01 nud permanent dev "$in"
    sleep "$seconds"
    healed=$(ms)
    ip neigh del "$agent" dev "$out"
    ip netns exec "$ns" ip neigh del "$host" dev "$in"
    up=""
    for _ in $(seq 300); do
        up=$(tail -n +"$((before + 1))" "$work/events" | grep '"state":"UP"' | head -1 || true)
        [ -n "$up" ] && break
        sleep 0.1
    done
    said=$(tail -n +"$((before + 1))" "$work/events" | sed 's/.*"state":"\([A-Z]*\)"\(,"reason":"\([a-z]*\)"\)\?.*/\1 \3/' | paste -sd, -)
    if [ -n "$up" ]; then
        at=$(echo "$up" | sed 's/.*"time":"\([^"]*\)".*/\1/')
        echo "| $t | ${seconds} s | $(( $(event_ms "$at") - healed )) ms | $said |"
    else
        echo "| $t | ${seconds} s | no UP within 30 s | $said |"
    fi
    sleep 3
done
echo
echo "Java $(java -version 2>&1 | head -1 | cut -d'"' -f2), $(date -u +%F)"
