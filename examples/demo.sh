#!/usr/bin/env bash
# The newcomer's first command. The full demo (a service frozen, resumed, deadlocked and killed
# while monitor-cli watches) arrives with the examples issue; until then this builds the agent
# and shows a JVM beating.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "demo: the full walk-through is not written yet; building hb-agent.jar meanwhile"
mvn -B -q -DskipTests package
ls -l agent/target/hb-agent.jar
