#!/usr/bin/env bash
# hb-agent beside stock Jolokia, jmx_exporter and the OpenTelemetry agent, each on the same trivial
# app and on an embedded Tomcat, all at the same time (docs/BENCHMARKS.md, "Beside its peers"):
# start-up, CPU, memory and threads added, and the keep-alive round trip of a read.
# The peers come from Maven Central through Maven, into bench/target/peers.
#
#   bench/peers.sh                                  # 3 rounds, 2 JVMs per variant, 60 s warm-up and window
#   bench/peers.sh --rounds 2 --window 30 --apps trivial
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ ! -f agent/target/hb-agent.jar || ! -d agent/target/test-classes ]]; then
  mvn -B -q -DskipTests package
fi
PEERS=bench/target/peers
mkdir -p "$PEERS"
for artifact in \
    org.jolokia:jolokia-agent-jvm:2.3.0:jar:javaagent \
    io.prometheus.jmx:jmx_prometheus_javaagent:1.0.1 \
    io.opentelemetry.javaagent:opentelemetry-javaagent:2.22.0 \
    org.apache.tomcat.embed:tomcat-embed-core:11.0.29 \
    org.apache.tomcat:tomcat-annotations-api:11.0.29; do
  mvn -B -q dependency:copy -Dartifact="$artifact" -DoutputDirectory="$PEERS" >/dev/null
done
exec java -Dhbwatch.root=. bench/Peers.java "$PEERS" "$@"
