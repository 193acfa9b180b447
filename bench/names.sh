#!/usr/bin/env bash
# What name subscriptions cost the host: 1,000 sleeping processes more, a JVM with the agent
# beating every 200 ms, 64 name subscriptions, then a client subscribing and leaving as fast as it
# can. Each jar given runs in turn, round after round (interleaved), in one run. Linux only.
#
#   bench/names.sh                                   # this build's agent
#   bench/names.sh --baseline COMMIT                 # and the agent of COMMIT, built aside
#   bench/names.sh --processes 1000 --names 64 --seconds 20 --rounds 2
#
# Results: docs/BENCHMARKS.md, section "Name subscriptions".
set -euo pipefail
cd "$(dirname "$0")/.."
baseline=""
args=()
while [ $# -gt 0 ]; do
    case "$1" in
        --baseline) baseline="$2"; shift 2 ;;
        *) args+=("$1"); shift ;;
    esac
done
mvn -B -q -pl agent -am package dependency:build-classpath -DskipTests -Dspotless.check.skip=true \
    -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath >/dev/null
jars=(agent/target/hb-agent.jar)
if [ -n "$baseline" ]; then
    dir=$(mktemp -d)
    git worktree add -q --detach "$dir" "$baseline"
    trap 'git worktree remove --force "$dir"' EXIT
    (cd "$dir" && mvn -B -q -o -pl agent -am package -DskipTests -Dspotless.check.skip=true)
    cp "$dir/agent/target/hb-agent.jar" agent/target/baseline-hb-agent.jar
    jars+=(agent/target/baseline-hb-agent.jar)
fi
java -cp "agent/target/test-classes:agent/target/classes:protocol/target/classes:protocol/target/test-classes:$(cat agent/target/bench.classpath)" \
    io.hbwatch.bench.NamesCost "${args[@]}" "${jars[@]}"
