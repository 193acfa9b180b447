package io.hbwatch.agent.http;

import java.lang.management.ManagementFactory;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/** A stand-in for the agent's Heartbeat MXBean, for in-process tests of the HTTP side. */
public final class TestHeartbeat implements TestHeartbeatMXBean {
    static final String NAME = "hbwatch:type=Heartbeat";

    static synchronized void register() throws JMException {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName(NAME);
        if (!server.isRegistered(name)) {
            server.registerMBean(new TestHeartbeat(), name);
        }
    }

    @Override
    public long getSequence() {
        return 42;
    }

    @Override
    public String getStatus() {
        return "UP";
    }

    @Override
    public String ping(String nonce) {
        return nonce;
    }
}
