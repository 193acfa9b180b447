#!/usr/bin/env bash
# Detection latency of monitor-cli against real processes (kill -9, SIGSTOP, SIGCONT, a watched
# sleep killed), over TRIALS trials each (default 20); prints a Markdown table for docs/BENCHMARKS.md.
#   bench/detection.sh [TRIALS]
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ ! -x monitor-cli/target/monitor-cli || ! -f agent/target/hb-agent.jar || ! -d agent/target/test-classes ]]; then
  mvn -B -q -DskipTests package
fi
exec java -Dhbwatch.root=. bench/Detection.java "${1:-20}"
