#!/usr/bin/env bash
# examples/demo.sh: watch a service fail in every way hbwatch detects, in half a minute.
#
# Starts the example order service under the agent, runs monitor-cli --job all on it, then
# freezes it (SIGSTOP), resumes it (SIGCONT), hangs a probed method, deadlocks two threads and
# kills it (SIGKILL), narrating each step in one "demo:" line while the monitor's own output
# shows what it saw. Needs only Java 17+ and Maven; builds what is missing or stale first.
#
# usage: examples/demo.sh [--fast] [--no-build]
#   --fast      short intervals and timeouts (also DEMO_FAST=1): the whole run in ~15 s
#   --no-build  use the jars as they are, fail if one is missing (for tests that just built)
#
# Exit: 0 when the monitor reported every expected state, 1 when one was missing (named on the
# last line), 2 on a usage or setup error, 130 on Ctrl-C (143 on SIGTERM). Every process it
# starts is ended on every way out, Ctrl-C included.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
AGENT=$ROOT/agent/target/hb-agent.jar
MONITOR=$ROOT/monitor-cli/target/monitor-cli
EXAMPLES=$ROOT/examples/target/hbwatch-examples.jar
PROBE=io.hbwatch.examples.orders.OrderService#process

fast=${DEMO_FAST:-0}
build=1
for arg in "$@"; do
    case $arg in
        --fast) fast=1 ;;
        --no-build) build=0 ;;
        -h | --help) sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "demo: unknown argument '$arg' (try --help)" >&2; exit 2 ;;
    esac
done

if [[ $fast == 1 ]]; then
    interval=200ms monitor_opts=(--interval 200ms --timeout 600ms)
    deadline=500ms hang_ms=2000 freeze_s=2 limit_s=20
else
    interval=1s monitor_opts=()
    deadline=2s hang_ms=5000 freeze_s=5 limit_s=30
fi

say() { printf 'demo: %s\n' "$*"; }
fail_setup() { say "$*" >&2; exit 2; }

# --- what is needed: java 17+, the three jars (built here when missing or older than sources) ---

# The same java the monitor's launcher picks: JAVA_HOME's when set, else the one on PATH.
if [[ -n ${JAVA_HOME:-} && -x $JAVA_HOME/bin/java ]]; then java=$JAVA_HOME/bin/java; else java=java; fi
command -v "$java" >/dev/null || fail_setup "needs java (17 or later) on PATH"
java_major=$("$java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1)
[[ ${java_major:-0} -ge 17 ]] || fail_setup "needs Java 17 or later on PATH, found '${java_major:-none}'"

# A jar is stale when a source or pom of its module, or the parent pom, is newer than it.
# With --no-build the caller vouches for the jars: only a missing one stops the demo.
outdated=()
for pair in "$AGENT agent" "$MONITOR monitor-cli" "$EXAMPLES examples"; do
    jar=${pair% *} module=$ROOT/${pair#* }
    if [[ ! -e $jar ]]; then
        outdated+=("${jar#"$ROOT"/} (missing)")
    elif [[ $build == 1 ]]; then
        newer=$(find "$module/src" "$module/pom.xml" "$ROOT/pom.xml" -type f -newer "$jar" -print -quit 2>/dev/null)
        [[ -z $newer ]] || outdated+=("${jar#"$ROOT"/} (older than ${newer#"$ROOT"/})")
    fi
done
if ((${#outdated[@]} > 0)); then
    what=$(printf '%s, ' "${outdated[@]}")
    what=${what%, }
    [[ $build == 1 ]] || fail_setup "not built: $what; run 'mvn -B -DskipTests package' (or drop --no-build)"
    command -v mvn >/dev/null || fail_setup "needs Maven (3.8 or later) on PATH to build $what"
    say "building $what: mvn -B -q -DskipTests package (a minute or two the first time)"
    (cd "$ROOT" && mvn -B -q -DskipTests package) || fail_setup "the build failed; see Maven's output above"
    # Maven leaves a jar whose content did not change untouched, older than what was edited;
    # it is current now, and the next run should not build again.
    touch "$AGENT" "$MONITOR" "$EXAMPLES"
fi

# --- everything started is ended on every way out ---

tmp=$(mktemp -d "${TMPDIR:-/tmp}/hbwatch-demo.XXXXXX")
service_pid='' monitor_pid=''

stop_process() { # stop_process PID: SIGKILL (a stopped process too) and reap it, quietly
    [[ -n $1 ]] || return 0
    # One group: bash reports a killed job between commands, so the braces silence both.
    { kill -KILL "$1"; wait "$1"; } 2>/dev/null
    return 0
}
cleanup() {
    trap - EXIT INT TERM
    stop_process "$service_pid"
    stop_process "$monitor_pid"
    rm -rf "$tmp"
}
trap cleanup EXIT
interrupted() { # interrupted SIGNAL_NUMBER
    echo
    say "interrupted: stopping everything it started"
    exit $((128 + $1))
}
trap 'interrupted 2' INT
trap 'interrupted 15' TERM

# --- the monitor's output, shown as it comes and searched for the states each step expects ---

monitor_log=$tmp/monitor.log
: >"$monitor_log"
shown=0   # lines of the monitor's output already printed
mark=0    # a step only counts lines after this one
missing=()

# The monitor writes to a file here, so it prints no colors; on a terminal the demo adds them.
color=0
[[ -t 1 && -z ${NO_COLOR:-} ]] && color=1
paint() {
    if [[ $color == 1 ]]; then
        sed -E -e $'s/(^|[^A-Za-z])(UP)([^A-Za-z]|$)/\\1\e[32m\\2\e[0m\\3/' \
            -e $'s/(^|[^A-Za-z])(DEGRADED)([^A-Za-z]|$)/\\1\e[33m\\2\e[0m\\3/' \
            -e $'s/(^|[^A-Za-z])(DOWN)([^A-Za-z]|$)/\\1\e[1;31m\\2\e[0m\\3/'
    else
        cat
    fi
}
pump() { # print the monitor's new complete lines
    local total
    total=$(($(wc -l <"$monitor_log"))) # arithmetic drops the padding BSD wc adds
    if ((total > shown)); then
        sed -n "$((shown + 1)),${total}p" "$monitor_log" | paint
        shown=$total
    fi
}
pump_for() { # pump_for SECONDS: wait, showing the monitor's output meanwhile
    local until=$((SECONDS + $1))
    while ((SECONDS < until)); do pump; sleep 0.1; done
    pump
}
since_mark() { mark=$(($(wc -l <"$monitor_log"))); }
# wait_for WHAT ERE...: until a line after the mark matches every pattern, or $limit_s passes.
wait_for() {
    local what=$1 until=$((SECONDS + limit_s)) line n
    shift
    while :; do
        pump
        n=$mark
        while IFS= read -r line; do
            n=$((n + 1))
            if matches_all "$line" "$@"; then
                mark=$n
                return 0
            fi
        done < <(sed -n "$((mark + 1)),${shown}p" "$monitor_log")
        if ((SECONDS >= until)); then
            say "expected $what, but the monitor did not report it within ${limit_s}s"
            missing+=("$what")
            return 1
        fi
        sleep 0.1
    done
}
matches_all() {
    local line=$1 p
    shift
    for p in "$@"; do grep -Eq -- "$p" <<<"$line" || return 1; done
}
word() { printf '(^|[^A-Za-z])%s([^A-Za-z]|$)' "$1"; }

# POST to the service with bash's own /dev/tcp: no curl needed on a fresh machine.
post() { # post PATH
    local status
    if ! exec 3<>"/dev/tcp/127.0.0.1/$service_port"; then
        say "could not reach the service on port $service_port"
        return 1
    fi
    printf 'POST %s HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n' "$1" >&3
    IFS= read -r -t 10 status <&3
    exec 3>&-
    [[ $status == *' 202'* ]] || { say "the service answered '${status%$'\r'}' to POST $1"; return 1; }
}

wait_file() { # wait_file FILE SECONDS: until FILE is non-empty (or the service died)
    local until=$((SECONDS + $2))
    while [[ ! -s $1 ]]; do
        kill -0 "$service_pid" 2>/dev/null || return 1
        ((SECONDS < until)) || return 1
        sleep 0.1
    done
}

# --- the walk-through ---

start=$SECONDS
say "starting the order service under the agent: beats every $interval, probe on $PROBE (deadline $deadline)"
"$java" "-javaagent:$AGENT=port=0,jolokia=127.0.0.1:0,portFile=$tmp/ports.json,interval=$interval,watch=$PROBE@$deadline" \
    -jar "$EXAMPLES" --port 0 --url-file "$tmp/url" --load 5 \
    </dev/null >"$tmp/service.log" 2>&1 &
service_pid=$!

if ! wait_file "$tmp/ports.json" 60 || ! wait_file "$tmp/url" 30; then
    say "the service did not start; its output:" >&2
    cat "$tmp/service.log" >&2
    exit 1
fi
ports=$(cat "$tmp/ports.json")
hb_port=$(sed -n 's/.*"heartbeat" *: *\([0-9][0-9]*\).*/\1/p' <<<"$ports")
jolokia_port=$(sed -n 's/.*"jolokia" *: *\([0-9][0-9]*\).*/\1/p' <<<"$ports")
service_url=$(cat "$tmp/url")
service_port=${service_url##*:}
service_port=${service_port%/}
[[ -n $hb_port ]] || fail_setup "the agent's port file has no heartbeat port: $ports"

job=all
if [[ -n $jolokia_port ]]; then
    monitor_opts+=(--jolokia "http://127.0.0.1:$jolokia_port/jolokia")
    say "service pid $service_pid serves $service_url; heartbeat on 127.0.0.1:$hb_port, Jolokia on 127.0.0.1:$jolokia_port"
else
    job=hb
    say "service pid $service_pid serves $service_url; heartbeat on 127.0.0.1:$hb_port (Jolokia is off: heartbeat only)"
fi

# ${a[@]+...}: an empty array is "unbound" to set -u in bash before 4.4 (macOS has 3.2).
say "watching it: monitor-cli 127.0.0.1:$hb_port --job $job ${monitor_opts[*]+${monitor_opts[*]}}"
"$MONITOR" "127.0.0.1:$hb_port" --job "$job" ${monitor_opts[@]+"${monitor_opts[@]}"} </dev/null >"$monitor_log" 2>&1 &
monitor_pid=$!
wait_for "UP" "$(word UP)" "$(word hb)"
pump_for 2

say "freezing the service with SIGSTOP, as a stop-the-world pause or a stuck VM would: no beats, no answers"
since_mark
frozen_at=$SECONDS
kill -STOP "$service_pid"
wait_for "DOWN while frozen" "$(word DOWN)"
pump_for $((freeze_s - (SECONDS - frozen_at)))

say "resuming it with SIGCONT after $((SECONDS - frozen_at))s frozen: beats come back and tell how long the JVM stood still"
since_mark
kill -CONT "$service_pid"
wait_for "UP after resuming" "$(word UP)"
pump_for 2

say "making $PROBE hang for ${hang_ms} ms (deadline $deadline): the beats go on, but the probe sees a stall"
since_mark
post "/misbehave/hang?ms=$hang_ms" &&
    wait_for "DEGRADED for a stall" "$(word DEGRADED)" "stall" &&
    wait_for "UP once the call returns" "$(word UP)"
pump_for 1

say "deadlocking two of its threads (each holds the lock the other wants): the beats go on, the threads do not"
since_mark
post "/misbehave/deadlock" &&
    wait_for "DEGRADED for a deadlock" "$(word DEGRADED)" "deadlock"
pump_for 1

say "killing the service with SIGKILL, as a crash or the OOM killer would"
since_mark
stop_process "$service_pid"
service_pid=''
wait_for "DOWN once it is gone" "$(word DOWN)"
pump_for 1

say "stopping the monitor (SIGTERM: it prints its summary and exits)"
kill -TERM "$monitor_pid" 2>/dev/null
for _ in $(seq 50); do kill -0 "$monitor_pid" 2>/dev/null || break; sleep 0.1; done
stop_process "$monitor_pid"
monitor_pid=''
pump

elapsed=$((SECONDS - start))
if ((${#missing[@]} > 0)); then
    what=$(printf '%s, ' "${missing[@]}")
    say "done in ${elapsed}s, but the monitor did not report: ${what%, }"
    if grep -q '^hbwatch:' "$tmp/service.log"; then
        say "the agent said:"
        grep '^hbwatch:' "$tmp/service.log" | head -n 10
    fi
    exit 1
fi
say "done in ${elapsed}s: frozen, resumed, stalled, deadlocked and killed, each one seen and named"
