#!/usr/bin/env bash
# The parsers' property-based fuzz tests (jqwik), run far longer than in `mvn -B verify` (1,000
# tries a property there): the agent's HTTP request parser and its selector-side reader, the JSON
# codec, the heartbeat's first-line parser, the Jolokia bulk counter, and the monitor's beat
# parser. A failing sample is printed, shrunk, and kept under target/jqwik-database so that the
# next run tries it first.
#
#   bench/fuzz.sh [TRIES]     default 200000 tries a property (about two minutes here)
set -euo pipefail
cd "$(dirname "$0")/.."
tries="${1:-200000}"
mvn -B -q -o install -DskipTests -Dspotless.check.skip=true >/dev/null 2>&1 \
    || mvn -B -q install -DskipTests -Dspotless.check.skip=true
for module in agent monitor-cli; do
    echo "== $module: every *FuzzTest property, $tries tries each"
    (cd "$module" && mvn -B -o test -Dtest='*FuzzTest' -Djqwik.tries.default="$tries" \
        -Dspotless.check.skip=true -Dsurefire.failIfNoSpecifiedTests=false \
        | grep -E 'Tests run:|FAIL|tries|sample' || true)
done
