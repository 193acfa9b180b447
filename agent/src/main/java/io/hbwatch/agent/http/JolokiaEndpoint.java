package io.hbwatch.agent.http;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpServer;
import io.hbwatch.agent.config.AgentConfig;
import io.hbwatch.agent.config.HostPort;
import io.hbwatch.agent.config.Keys;
import io.hbwatch.agent.util.HbThreads;
import io.hbwatch.agent.util.Log;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jolokia.jvmagent.JolokiaServer;
import org.jolokia.jvmagent.JolokiaServerConfig;
import org.jolokia.server.core.config.SystemPropertyMode;

/**
 * The agent's embedded Jolokia: Jolokia's JVM-agent server (relocated into the agent's own
 * packages) on a JDK {@link HttpServer} that the agent creates itself, so that it gets
 *
 * <ul>
 *   <li>a bounded pool of daemon {@code hbwatch-jolokia-N} threads (Jolokia's default serves every
 *       request on one thread), each exchange under a deadline ({@link RequestDeadline}) so that
 *       slow or silent clients cannot hold them;
 *   <li>request bodies capped ({@link BodyLimit});
 *   <li>responses in one TCP write ({@link OneWriteFilter}), avoiding the 40 ms Nagle/delayed-ACK
 *       stall of keep-alive clients without touching any JVM-wide setting;
 *   <li>the closed built-in policy, or the user's, never Jolokia's allow-all default.
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
    /** Requests waiting for a thread before new ones are turned away. */
    private static final int QUEUE = 64;

    private final HttpServer http;
    private final RequestDeadline pool;
    private final JolokiaServer jolokia;
    private final int port;
    private final String url;
    private volatile boolean closed;

    private JolokiaEndpoint(HttpServer http, RequestDeadline pool, JolokiaServer jolokia, String url) {
        this.http = http;
        this.pool = pool;
        this.jolokia = jolokia;
        this.port = http.getAddress().getPort();
        this.url = url;
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
        return start(config, null);
    }

    /**
     * As {@link #start(AgentConfig)}, with the agent's instrumentation, used to set {@code
     * TCP_NODELAY} on this server's connections only (see {@link NoDelay}).
     *
     * @param inst may be null: then only the single-write filter fights the Nagle stall
     */
    public static Optional<JolokiaEndpoint> start(AgentConfig config, Instrumentation inst) throws StartException {
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
        Set<Thread> before = new HashSet<>(allThreads());
        HttpServer http;
        try {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getByName(endpoint.host()), endpoint.port());
            http = Tls.wanted(config) ? Tls.create(config, address, BACKLOG) : HttpServer.create(address, BACKLOG);
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
        RequestDeadline pool = null;
        JolokiaServer jolokia = null;
        try {
            int threads = config.get(Keys.JOLOKIA_THREADS);
            ThreadPoolExecutor workers = new ThreadPoolExecutor(
                    threads,
                    threads,
                    60,
                    TimeUnit.SECONDS,
                    new ArrayBlockingQueue<>(QUEUE),
                    HbThreads.factory("jolokia"),
                    new ThreadPoolExecutor.AbortPolicy());
            workers.allowCoreThreadTimeOut(true);
            pool = new RequestDeadline(workers, config.get(Keys.JOLOKIA_TIMEOUT));
            http.setExecutor(pool);
            List<Filter> filters = new ArrayList<>();
            if (http.getAddress().getAddress().isLoopbackAddress()) {
                filters.add(new LoopbackHostCheck());
            }
            filters.add(new BodyLimit());
            filters.add(new OneWriteFilter(NoDelay.enable(inst)));
            jolokia = new Server(new HookedHttpServer(http, filters), new Config(settings));
            jolokia.start(false);
            http.start();
            nameServerThreads(before);
            JolokiaEndpoint started = new JolokiaEndpoint(http, pool, jolokia, urlOf(http, Tls.wanted(config)));
            Log.debug("jolokia: listening on " + started.url());
            return Optional.of(started);
        } catch (Throwable e) {
            if (jolokia != null) {
                try {
                    jolokia.stop(); // its MBeans and services
                } catch (Throwable ignored) {
                    // already failing; the one line below says why
                }
            }
            http.stop(0);
            if (pool != null) {
                pool.shutdownNow();
            }
            throw new StartException(
                    "jolokia: failed to start (" + Log.describe(e) + "); heartbeats carry on without Jolokia");
        }
    }

    /** Bound port (the real one when {@code 0} was asked for). */
    public int port() {
        return port;
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
        try {
            jolokia.stop();
        } catch (Throwable e) {
            Log.debug("jolokia: stop: " + Log.describe(e));
        }
        try {
            http.stop(0);
        } catch (Throwable e) {
            Log.debug("jolokia: http stop: " + Log.describe(e));
        }
        pool.shutdownNow();
    }

    private static String urlOf(HttpServer http, boolean https) {
        InetAddress a = http.getAddress().getAddress();
        String host = a.isAnyLocalAddress() ? "127.0.0.1" : a.getHostAddress();
        if (host.indexOf(':') >= 0) {
            host = "[" + host + "]";
        }
        return (https ? "https://" : "http://") + host + ":" + http.getAddress().getPort() + JolokiaSettings.CONTEXT
                + "/";
    }

    /**
     * The JDK server starts its dispatcher and timer threads itself (daemons, as their creator is);
     * renaming them keeps the promise that every thread the agent starts is named {@code hbwatch-}.
     */
    private static void nameServerThreads(Set<Thread> before) {
        for (Thread t : allThreads()) {
            if (before.contains(t) || t.getName().startsWith(HbThreads.PREFIX)) {
                continue;
            }
            switch (t.getName()) {
                case "HTTP-Dispatcher":
                    t.setName(HbThreads.PREFIX + "jolokia-dispatcher");
                    break;
                case "idle-timeout-task":
                case "server-timer":
                    t.setName(HbThreads.PREFIX + "jolokia-idle-timer");
                    break;
                case "req-rsp-timeout-task":
                case "server-timer1":
                    t.setName(HbThreads.PREFIX + "jolokia-timeout-timer");
                    break;
                default:
                    break;
            }
        }
    }

    /** Every live thread, without the stack walk (and safepoint) of {@code getAllStackTraces}. */
    private static List<Thread> allThreads() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] threads = new Thread[root.activeCount() + 16];
        int n;
        while ((n = root.enumerate(threads, true)) == threads.length) {
            threads = new Thread[threads.length * 2];
        }
        return Arrays.asList(threads).subList(0, n);
    }

    /** Jolokia's server on our {@code HttpServer}, with our log and the proxy refusal. */
    private static final class Server extends JolokiaServer {
        Server(HttpServer http, JolokiaServerConfig config) {
            super(http, config, new JolokiaLog());
            addService(new ProxyRefusal());
        }
    }

    /** Jolokia's server configuration, with authentication set up as its own server would. */
    private static final class Config extends JolokiaServerConfig {
        Config(Map<String, String> settings) {
            // NEVER: the application's -Djolokia.* properties are meant for its own Jolokia.
            super(settings, SystemPropertyMode.NEVER);
            // Jolokia only does this when it creates the HTTP server itself; here we do.
            initAuthenticator();
        }
    }

    /** Why Jolokia did not start, in one line fit for {@code hbwatch:}. */
    public static final class StartException extends Exception {
        StartException(String message) {
            super(message);
        }
    }
}
