package io.hbwatch.agent.http;

import com.sun.net.httpserver.HttpExchange;
import io.hbwatch.agent.util.Log;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.Set;

/**
 * Sets {@code TCP_NODELAY} on the connections of the agent's own Jolokia server, and on no other.
 *
 * <p>Why: up to at least Java 17 the JDK server writes a response's headers and its body in two
 * TCP writes; with Nagle's algorithm on, the second waits for the client's ACK of the first, which
 * a keep-alive client delays by 40 ms. The JDK's only switch is the JVM-wide system property
 * {@code sun.net.httpserver.nodelay}, read once: it would change the application's own servers
 * too, and does nothing if the application started one first.
 *
 * <p>How: the agent's {@link Instrumentation} opens the JDK package {@code sun.net.httpserver} to
 * the agent's module, and each exchange's socket channel is reached through three package-private
 * methods that are the same from Java 11 to 25. That module is the unnamed module of the system
 * class loader, shared with the application's class path: the application could now reflect into
 * that package too. An opening only grants access; it changes no behaviour. If any of this is missing (no instrumentation, another JDK), one
 * debug line says so and the server runs as the JDK made it.
 *
 * <p>Thread-safe; {@link #apply} costs one {@code setsockopt} per request.
 */
final class NoDelay {
    private final Method exchangeImpl;
    private final Method connection;
    private final Method channel;
    private volatile boolean broken;

    private NoDelay(Method exchangeImpl, Method connection, Method channel) {
        this.exchangeImpl = exchangeImpl;
        this.connection = connection;
        this.channel = channel;
    }

    /**
     * @param inst the agent's instrumentation, or null (embedded without an agent)
     * @return the setter, or null when this JDK does not allow it
     */
    static NoDelay enable(Instrumentation inst) {
        if (inst == null) {
            Log.debug("jolokia: no instrumentation, TCP_NODELAY left as the JDK sets it");
            return null;
        }
        try {
            ClassLoader jdk = HttpExchange.class.getClassLoader();
            Class<?> exchange = Class.forName("sun.net.httpserver.ExchangeImpl", false, jdk);
            Class<?> conn = Class.forName("sun.net.httpserver.HttpConnection", false, jdk);
            Module httpserver = exchange.getModule();
            Module ours = NoDelay.class.getModule();
            if (!httpserver.isOpen("sun.net.httpserver", ours)) {
                inst.redefineModule(
                        httpserver, Set.of(), Map.of(), Map.of("sun.net.httpserver", Set.of(ours)), Set.of(), Map.of());
            }
            Method get = exchange.getDeclaredMethod("get", HttpExchange.class);
            Method getConnection = exchange.getDeclaredMethod("getConnection");
            Method getChannel = conn.getDeclaredMethod("getChannel");
            get.setAccessible(true);
            getConnection.setAccessible(true);
            getChannel.setAccessible(true);
            Log.debug("jolokia: TCP_NODELAY on for this server's connections only");
            return new NoDelay(get, getConnection, getChannel);
        } catch (Throwable e) {
            Log.debug("jolokia: cannot set TCP_NODELAY on this JDK (" + Log.describe(e) + ")");
            return null;
        }
    }

    /** Sets {@code TCP_NODELAY} on the exchange's connection; never throws. */
    void apply(HttpExchange exchange) {
        if (broken) {
            return;
        }
        try {
            Object impl = exchangeImpl.invoke(null, exchange);
            SocketChannel ch = (SocketChannel) channel.invoke(connection.invoke(impl));
            ch.setOption(StandardSocketOptions.TCP_NODELAY, Boolean.TRUE);
        } catch (Throwable e) {
            broken = true; // once is enough to know; the filter's single write still helps
            Log.debug("jolokia: TCP_NODELAY failed (" + Log.describe(e) + "); not tried again");
        }
    }
}
