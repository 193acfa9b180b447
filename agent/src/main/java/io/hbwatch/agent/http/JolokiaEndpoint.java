package io.hbwatch.agent.http;

import io.hbwatch.agent.config.AgentConfig;
import io.hbwatch.agent.config.HostPort;
import io.hbwatch.agent.config.Keys;
import io.hbwatch.agent.util.Log;
import io.hbwatch.protocol.Addresses;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.ServerSocketChannel;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocketFactory;
import org.jolokia.jvmagent.JolokiaServerConfig;
import org.jolokia.server.core.config.Configuration;
import org.jolokia.server.core.config.SystemPropertyMode;
import org.jolokia.server.core.restrictor.RestrictorFactory;
import org.jolokia.server.core.service.JolokiaServiceManagerFactory;
import org.jolokia.server.core.service.api.JolokiaContext;
import org.jolokia.server.core.service.api.JolokiaServiceManager;
import org.jolokia.server.core.service.impl.ClasspathServiceCreator;
import org.jolokia.server.core.util.LocalServiceFactory;

/**
 * The agent's embedded Jolokia: Jolokia's services and request handling (relocated into the agent's
 * own packages) served by the agent's own small HTTP server ({@link HttpListener}), so that
 *
 * <ul>
 *   <li>requests run on a bounded pool of daemon {@code hbwatch-jolokia-N} threads, each under a
 *       deadline, so that slow or silent clients cannot hold them;
 *   <li>requests are strictly limited in size ({@link HttpRequest});
 *   <li>each answer leaves in one TCP write with TCP_NODELAY on, avoiding the 40 ms
 *       Nagle/delayed-ACK stall of keep-alive clients without touching any JVM-wide setting;
 *   <li>the host pays no more than it must in memory: no JDK HTTP server, no locale tables for
 *       date headers;
 *   <li>the closed built-in policy applies, or the user's, never Jolokia's allow-all default.
 * </ul>
 *
 * <pre>
 * java -javaagent:hb-agent.jar=jolokia=127.0.0.1:8778 -jar app.jar
 * curl -s http://127.0.0.1:8778/jolokia/read/hbwatch:type=Heartbeat/Sequence
 * </pre>
 *
 * <p>Thread-safe: {@link #close()} may be called from any thread, more than once.
 */
public final class JolokiaEndpoint implements AutoCloseable {
    /** Connections waiting to be accepted; a monitor or two, not a crowd. */
    private static final int BACKLOG = 16;

    private final HttpListener http;
    private final JolokiaServiceManager jolokia;
    private final String url;
    private volatile boolean closed;

    private final Integer fellBackFrom;

    private JolokiaEndpoint(HttpListener http, JolokiaServiceManager jolokia, String url, Integer fellBackFrom) {
        this.http = http;
        this.jolokia = jolokia;
        this.url = url;
        this.fellBackFrom = fellBackFrom;
    }

    /** The default port that was busy when a free one was taken instead; null when it was not. */
    public Integer fellBackFrom() {
        return fellBackFrom;
    }

    /**
     * Starts Jolokia as the {@code jolokia*} options say. Blocks while binding and while Jolokia
     * loads its services (about 0.1 s); call it from the agent's own thread, never {@code premain}'s.
     *
     * @return the running endpoint, or empty when {@code jolokia=off}
     * @throws StartException with a one-line message naming the cause (busy port, unreadable policy
     *     file, half-given credentials, ...): the caller prints it and carries on without HTTP
     */
    public static Optional<JolokiaEndpoint> start(AgentConfig config) throws StartException {
        Optional<HostPort> where = config.get(Keys.JOLOKIA);
        if (where == null || where.isEmpty()) {
            return Optional.empty();
        }
        HostPort endpoint = where.get();
        Map<String, String> settings;
        try {
            settings = JolokiaSettings.of(config, endpoint);
        } catch (IllegalArgumentException e) {
            throw new StartException(e.getMessage());
        }
        boolean https = Tls.wanted(config);
        ServerSocketChannel socket;
        SSLSocketFactory tls;
        Integer fellBackFrom = null;
        try {
            tls = https ? Tls.sockets(config) : null;
            InetSocketAddress address = new InetSocketAddress(InetAddress.getByName(endpoint.host()), endpoint.port());
            try {
                socket = bind(address);
            } catch (BindException e) {
                // The default port of another JVM of the host: a free one, said in the announcement.
                if (!config.isDefault(Keys.JOLOKIA) || endpoint.port() == 0) {
                    throw e;
                }
                socket = bind(new InetSocketAddress(address.getAddress(), 0));
                fellBackFrom = endpoint.port();
            }
        } catch (IllegalArgumentException e) {
            throw new StartException(e.getMessage());
        } catch (BindException e) {
            throw new StartException(
                    "jolokia: " + endpoint + " is in use (" + e.getMessage()
                            + "); heartbeats carry on without Jolokia. Choose another with jolokia=HOST:PORT, 0 for a free port, or off");
        } catch (IOException | RuntimeException e) {
            throw new StartException("jolokia: cannot listen on " + endpoint + " (" + Log.describe(e)
                    + "); heartbeats carry on without Jolokia");
        }
        String url = urlOf(socket, https);
        JolokiaServiceManager jolokia = null;
        try {
            Configuration jolokiaConfig = new Config(settings).getJolokiaConfig();
            JolokiaLog log = new JolokiaLog();
            jolokia = JolokiaServiceManagerFactory.createJolokiaServiceManager(
                    jolokiaConfig, log, RestrictorFactory.createRestrictor(jolokiaConfig, log));
            jolokia.addServices(new ClasspathServiceCreator(LocalServiceFactory.class.getClassLoader(), "services"));
            jolokia.addService(new ProxyRefusal());
            JolokiaContext context = jolokia.start();
            String user = config.get(Keys.JOLOKIA_USER);
            context.getAgentDetails().updateAgentParameters(url, user != null);
            JolokiaHandler handler = new JolokiaHandler(
                    context,
                    socket.socket().getInetAddress().isLoopbackAddress(),
                    https,
                    user,
                    JolokiaSettings.password(config),
                    new JolokiaHandler.Limits(
                            config.get(Keys.JOLOKIA_MAX_BULK),
                            config.get(Keys.JOLOKIA_MAX_ANSWER),
                            config.get(Keys.JOLOKIA_WORK_RATE),
                            config.get(Keys.JOLOKIA_POLICY) == null,
                            TimeUnit.MILLISECONDS.toNanos(config.get(Keys.JOLOKIA_TIMEOUT))));
            HttpListener http = HttpListener.start(
                    socket, tls, handler, config.get(Keys.JOLOKIA_THREADS), config.get(Keys.JOLOKIA_TIMEOUT));
            log.serving();
            Log.debug("jolokia: listening on " + url);
            return Optional.of(new JolokiaEndpoint(http, jolokia, url, fellBackFrom));
        } catch (Throwable e) {
            if (jolokia != null) {
                try {
                    jolokia.stop(); // its MBeans and services
                } catch (Throwable ignored) {
                    // already failing; the one line below says why
                }
            }
            try {
                socket.close();
            } catch (IOException ignored) {
                // already failing
            }
            throw new StartException(
                    "jolokia: failed to start (" + Log.describe(e) + "); heartbeats carry on without Jolokia");
        }
    }

    private static ServerSocketChannel bind(InetSocketAddress address) throws IOException {
        ServerSocketChannel channel = ServerSocketChannel.open();
        try {
            return channel.bind(address, BACKLOG);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Bound port (the real one when {@code 0} was asked for). */
    public int port() {
        return http.port();
    }

    /** Base URL, e.g. {@code http://127.0.0.1:8778/jolokia/}. */
    public String url() {
        return url;
    }

    /** Stops serving at once; in-flight requests are cut. Never throws. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        http.close();
        try {
            jolokia.stop();
        } catch (Throwable e) {
            Log.debug("jolokia: stop: " + Log.describe(e));
        }
    }

    private static String urlOf(ServerSocketChannel channel, boolean https) {
        ServerSocket socket = channel.socket();
        InetAddress a = socket.getInetAddress();
        String hostPort = a.isAnyLocalAddress()
                ? "127.0.0.1:" + socket.getLocalPort()
                : Addresses.hostPort(a, socket.getLocalPort());
        return (https ? "https://" : "http://") + hostPort + JolokiaSettings.CONTEXT + "/";
    }

    /** Jolokia's configuration from the agent's settings; the application's -Djolokia.* never apply. */
    private static final class Config extends JolokiaServerConfig {
        Config(Map<String, String> settings) {
            // NEVER: the application's -Djolokia.* properties are meant for its own Jolokia.
            super(settings, SystemPropertyMode.NEVER);
        }
    }

    /** Why Jolokia did not start, in one line fit for {@code hbwatch:}. */
    public static final class StartException extends Exception {
        StartException(String message) {
            super(message);
        }
    }
}
