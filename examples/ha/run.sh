#!/usr/bin/env bash
# Two monitors, two Prometheus servers, an Alertmanager cluster of two, one webhook receiver: a JVM
# killed is one notification, and still one after a monitor and a Prometheus are stopped.
# Needs the build (mvn -B -q package -DskipTests) and Debian's prometheus and
# prometheus-alertmanager packages (apt-get install prometheus prometheus-alertmanager).
#   examples/ha/run.sh
# Exit code 0 when every kill gave exactly one notification, 1 when not, 3 when something is missing.
set -euo pipefail
cd "$(dirname "$0")/../.."
for bin in prometheus prometheus-alertmanager; do
  command -v "$bin" >/dev/null || { echo "examples/ha: $bin is not installed (apt-get install prometheus prometheus-alertmanager)"; exit 3; }
done
for built in agent/target/hb-agent.jar monitor-cli/target/monitor-cli examples/target/hbwatch-examples.jar; do
  [ -e "$built" ] || { echo "examples/ha: $built is missing: run mvn -B -q package -DskipTests first"; exit 3; }
done
exec java -cp examples/target/hbwatch-examples.jar io.hbwatch.examples.ha.HaDemo "$PWD"
