package io.hbwatch.testing;

import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * Reads MBeans of another local JVM the way JConsole does: attach, start its local management
 * agent, connect. For tests that check MBeans without Jolokia.
 */
public final class LocalJmx implements AutoCloseable {
    private final JMXConnector connector;
    private final MBeanServerConnection server;

    private LocalJmx(JMXConnector connector) throws IOException {
        this.connector = connector;
        this.server = connector.getMBeanServerConnection();
    }

    public static LocalJmx connect(long pid) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
        try {
            String url = vm.startLocalManagementAgent();
            return new LocalJmx(JMXConnectorFactory.connect(new JMXServiceURL(url)));
        } finally {
            vm.detach();
        }
    }

    /** Loads an agent jar into a running JVM, as {@code hb-agent.jar attach} does. */
    public static void loadAgent(long pid, String jar, String options) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
        try {
            vm.loadAgent(jar, options);
        } finally {
            vm.detach();
        }
    }

    public Object get(String objectName, String attribute) throws Exception {
        return server.getAttribute(new ObjectName(objectName), attribute);
    }

    public boolean isRegistered(String objectName) throws Exception {
        return server.isRegistered(new ObjectName(objectName));
    }

    @Override
    public void close() throws IOException {
        connector.close();
    }
}
