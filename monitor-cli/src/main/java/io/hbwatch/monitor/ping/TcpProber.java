package io.hbwatch.monitor.ping;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Locale;

/**
 * Ping-echo for an unprivileged process: a TCP connect to one port. A completed handshake and a
 * refusal (a RST) both prove the host answered; only silence or an unreachable network is a miss.
 * The connection is closed at once, without sending data.
 */
public final class TcpProber implements Prober {
    /** The port probed when the target has none: TCP echo, as the JDK's own fallback uses. */
    public static final int ECHO_PORT = 7;

    private final int port;

    public TcpProber(int port) {
        this.port = port;
    }

    @Override
    public String method() {
        return "TCP connect to port " + port;
    }

    @Override
    public Echo probe(InetAddress address, Duration timeout) {
        long start = System.nanoTime();
        try (Socket s = new Socket()) {
            s.setSoLinger(true, 0); // a RST on close: no TIME_WAIT left behind per probe
            s.connect(new InetSocketAddress(address, port), (int) Math.max(1, timeout.toMillis()));
            return Echo.answer(System.nanoTime() - start);
        } catch (NoRouteToHostException e) {
            return Echo.miss(System.nanoTime() - start, describe(e));
        } catch (ConnectException e) {
            long rtt = System.nanoTime() - start;
            if (isUnreachable(e)) {
                return Echo.miss(rtt, describe(e));
            }
            return Echo.answer(rtt); // refused: the host's kernel answered
        } catch (SocketTimeoutException e) {
            return Echo.miss(System.nanoTime() - start, "no answer within " + timeout.toMillis() + " ms");
        } catch (IOException e) {
            return Echo.miss(System.nanoTime() - start, describe(e));
        }
    }

    private static boolean isUnreachable(IOException e) {
        String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        return m.contains("unreachable") || m.contains("no route");
    }

    /** The exception's message as a lower-case phrase, for an event's detail. */
    static String describe(IOException e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            return e.getClass().getSimpleName();
        }
        int paren = m.indexOf(" (");
        String head = paren > 0 ? m.substring(0, paren) : m;
        return head.substring(0, 1).toLowerCase(Locale.ROOT) + head.substring(1);
    }
}
