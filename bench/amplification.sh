#!/usr/bin/env bash
# The Jolokia amplification attack against a JVM with the agent, for this build and optionally a
# baseline jar, in turn: 64 KiB POSTs of 1,700 `read java.lang:*` and bulks of 64 of them
# (errors ignored), alternated as fast as one client can, for SECONDS, against -Xmx64m and
# -Xmx512m hosts. Prints the host's RSS after a 5 s warm-up of the attack and at the end, the
# requests served, and the OutOfMemoryErrors the host saw. Linux only (/proc); needs curl.
#
#   bench/amplification.sh [--seconds 60] [--baseline JAR]
#
# Results: docs/BENCHMARKS.md, section "Jolokia under amplification".
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=60
jars=(agent/target/hb-agent.jar)
while [ $# -gt 0 ]; do
    case "$1" in
        --seconds) seconds="$2"; shift 2 ;;
        --baseline) jars+=("$2"); shift 2 ;;
        *) echo "unknown option $1" >&2; exit 3 ;;
    esac
done
[ -f agent/target/hb-agent.jar ] || mvn -B -q -pl agent -am package -DskipTests
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 - "$tmp" <<'PY'
import sys
one = '{"type":"read","mbean":"java.lang:*"}'
open(sys.argv[1] + '/huge.json', 'w').write('[' + ','.join([one] * 1700) + ']')
open(sys.argv[1] + '/most.json', 'w').write('[' + ','.join([one] * 64) + ']')
PY
cat > "$tmp/Sleep.java" <<'JAVA'
public class Sleep { public static void main(String[] a) throws Exception { Thread.sleep(Long.MAX_VALUE); } }
JAVA
javac -d "$tmp" "$tmp/Sleep.java"
rss() { awk '/VmRSS/ {print int($2/1024)}' "/proc/$1/status"; }
printf '%-40s %-9s %9s %11s %11s %9s %5s\n' "agent jar" "heap" "requests" "RSS at 5 s" "RSS at end" "grew" "OOMs"
for heap in -Xmx64m -Xmx512m; do
    for jar in "${jars[@]}"; do
        port=$((20000 + RANDOM % 20000))
        java "$heap" -javaagent:"$jar"=port=0,jolokia=127.0.0.1:$port -cp "$tmp" Sleep >"$tmp/app.out" 2>&1 &
        pid=$!
        for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$port/jolokia/version" && break; sleep 0.1; done
        url="http://127.0.0.1:$port/jolokia/?ignoreErrors=true"
        n=0; start=$SECONDS; before=""
        while [ $((SECONDS - start)) -lt "$seconds" ] && kill -0 $pid 2>/dev/null; do
            body=$([ $((n % 2)) -eq 0 ] && echo huge || echo most)
            curl -s -m 20 -o /dev/null -H 'Content-Type: text/plain' --data-binary @"$tmp/$body.json" "$url" || true
            n=$((n + 1))
            if [ -z "$before" ] && [ $((SECONDS - start)) -ge 5 ]; then before=$(rss $pid); fi
        done
        after=$(rss $pid 2>/dev/null || echo 0)
        ooms=$(curl -s "http://127.0.0.1:$port/jolokia/read/hbwatch:type=Heartbeat/OutOfMemoryErrors" \
            | sed -n 's/.*"value":\([0-9]*\).*/\1/p')
        grep -q OutOfMemoryError "$tmp/app.out" && ooms="${ooms:-?}+stderr"
        printf '%-40s %-9s %9d %8s MiB %8s MiB %5s MiB %5s\n' "$jar" "$heap" "$n" "${before:-?}" "$after" \
            "$(( ${after:-0} - ${before:-0} ))" "${ooms:-dead}"
        kill $pid 2>/dev/null || true
        wait $pid 2>/dev/null || true
    done
done
