#!/usr/bin/env bash
# The agent's threads against a baseline build of the agent, side by side in one run (Linux): two
# JVMs run the same idle app (io.hbwatch.testing.apps.TimedApp), one with the hb-agent.jar built
# at a baseline commit and one with the working tree's, 1 s beats, Jolokia on, one subscriber
# each. Prints each thread's time on CPU, in % of a core, from /proc/PID/task/TID/schedstat over
# the window, after the warm-up. Rounds alternate which JVM starts first.
# docs/BENCHMARKS.md, "The agent's cost", cites it.
#
#   bench/agent-threads.sh                                  # baseline HEAD~1, 60 s warm-up, 180 s window, 1 round
#   bench/agent-threads.sh --baseline 3c3ef39 --warmup 300 --window 300 --rounds 3
#   bench/agent-threads.sh --files 10000             # the app holds 10,000 more descriptors open
set -euo pipefail
cd "$(dirname "$0")/.."
baseline=HEAD~1 warmup=60 window=180 rounds=1 files=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --baseline) baseline=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --window) window=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --files) files=$2; shift 2 ;;
    *) echo "agent-threads.sh: unknown option '$1' (--baseline REF, --warmup S, --window S, --rounds N, --files N)" >&2; exit 3 ;;
  esac
done

work=$(mktemp -d)
cleanup() {
  jobs -p | xargs -r kill 2>/dev/null || true
  git worktree remove --force "$work/baseline" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

mvn -B -q -pl agent -am package -DskipTests -Dspotless.check.skip=true
git worktree add -q --detach "$work/baseline" "$baseline"
(cd "$work/baseline" && mvn -B -q -o -pl agent -am package -DskipTests -Dspotless.check.skip=true)
echo "baseline: $(git log -1 --format='%h %s' "$baseline" | cut -c1-100)"
echo "new:      the working tree at $(git log -1 --format='%h' HEAD)"
cp=agent/target/test-classes

# start NAME JAR: one JVM with the agent on free ports; its port file tells the heartbeat port.
start() {
  java -Xshare:auto "-javaagent:$2=port=0,interval=1000ms,jolokia=127.0.0.1:0,portFile=$work/$1.ports" \
    -cp "$cp" io.hbwatch.testing.apps.TimedApp stay "$files" > "$work/$1.out" 2>&1 &
  echo $!
}
port() {
  for _ in $(seq 100); do
    if [[ -s "$work/$1.ports" ]]; then sed -E 's/.*"heartbeat":([0-9]+).*/\1/' "$work/$1.ports"; return; fi
    sleep 0.1
  done
  echo "agent-threads.sh: no port file from $1 ($(tail -1 "$work/$1.out"))" >&2
  exit 1
}
subscribe() {
  timeout $((warmup + window + 30)) bash -c "exec 3<>/dev/tcp/127.0.0.1/$1; cat <&3 > /dev/null" &
}
# snapshot PID: "thread-name<TAB>ns on CPU" for every thread, sorted by name.
snapshot() {
  for t in /proc/"$1"/task/*; do
    printf '%s\t%s\n' "$(cat "$t/comm")" "$(cut -d' ' -f1 "$t/schedstat")"
  done | sort
}

for round in $(seq "$rounds"); do
  rm -f "$work"/*.ports
  if (( round % 2 )); then order="baseline new"; else order="new baseline"; fi
  declare -A pid
  for v in $order; do
    jar=agent/target/hb-agent.jar
    [[ $v == baseline ]] && jar="$work/baseline/agent/target/hb-agent.jar"
    pid[$v]=$(start "$v" "$jar")
  done
  for v in $order; do subscribe "$(port "$v")"; done
  sleep "$warmup"
  for v in $order; do snapshot "${pid[$v]}" > "$work/$v.0"; done
  sleep "$window"
  for v in $order; do snapshot "${pid[$v]}" > "$work/$v.1"; done
  echo "round $round ($order started in that order), ${window} s after ${warmup} s, % of a core:"
  for v in baseline new; do
    join -t $'\t' "$work/$v.0" "$work/$v.1" | awk -F'\t' -v n="$window" -v who="$v" '
      { d = ($3 - $2) / 1e9 / n * 100 }
      $1 ~ /^hbwatch-/ { agent += d; line = line sprintf(", %s %.4f", $1, d) }
      $1 ~ /^C[12] CompilerThre/ { jit += d }
      { all += d }
      END { printf "  %-8s agent threads %.4f%s; JIT %.4f; all threads %.4f\n", who, agent, line, jit, all }'
  done
  kill "${pid[baseline]}" "${pid[new]}"
  wait "${pid[baseline]}" "${pid[new]}" 2>/dev/null || true
done
