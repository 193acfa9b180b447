package io.hbwatch.agent.http;

/** The attributes and operation of the Heartbeat MXBean that the policy is about. */
public interface TestHeartbeatMXBean {
    long getSequence();

    String getStatus();

    String ping(String nonce);
}
