#!/bin/sh
# examples/worker.sh: a process that is not a JVM, for the agent's standalone PID/name watch.
#
# A batch worker as shell scripts often are: it takes a job every few seconds, forever, until
# told to stop. Watch it by PID (or by name, --pid worker.sh) through a standalone agent:
#
#   java -jar agent/target/hb-agent.jar --port 7777 &
#   examples/worker.sh --pid-file /tmp/worker.pid &
#   monitor-cli/target/monitor-cli 127.0.0.1:7777 --job hb --pid "$(cat /tmp/worker.pid)"
#   kill -STOP "$(cat /tmp/worker.pid)"   # DEGRADED (stopped)
#   kill -CONT "$(cat /tmp/worker.pid)"   # UP
#   kill "$(cat /tmp/worker.pid)"         # DOWN (exited)
#
# usage: examples/worker.sh [--pid-file FILE] [--every SECONDS] [--quiet]
set -eu

pid_file=''
every=2
quiet=0
while [ $# -gt 0 ]; do
    case $1 in
        --pid-file) pid_file=${2:?--pid-file needs a file}; shift 2 ;;
        --every) every=${2:?--every needs a number of seconds}; shift 2 ;;
        --quiet) quiet=1; shift ;;
        -h | --help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "worker: unknown argument '$1' (try --help)" >&2; exit 2 ;;
    esac
done
case $every in
    '' | *[!0-9.]*) echo "worker: --every: '$every' is not a number of seconds" >&2; exit 2 ;;
esac

# $$ is this shell: the process the agent watches. It outlives every job it runs.
if [ -n "$pid_file" ]; then
    echo $$ >"$pid_file.tmp" && mv "$pid_file.tmp" "$pid_file"
fi
stopping=0
sleep_pid=''
# Ends the current sleep too, so that nothing of the worker outlives it.
trap 'stopping=1; [ -z "$sleep_pid" ] || kill "$sleep_pid" 2>/dev/null || true' TERM INT
trap '[ -z "$pid_file" ] || rm -f "$pid_file"' EXIT

say() { [ "$quiet" = 1 ] || echo "worker: $*"; }

say "pid $$, a job every ${every}s (stop it with: kill $$)"
job=0
while [ "$stopping" = 0 ]; do
    job=$((job + 1))
    say "job $job done"
    # sleep in the background and wait for it: a TERM ends the wait at once, not after the sleep.
    sleep "$every" &
    sleep_pid=$!
    wait "$sleep_pid" || true
    sleep_pid=''
done
say "stopping after $job jobs"
