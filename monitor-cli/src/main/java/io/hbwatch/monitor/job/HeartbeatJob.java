package io.hbwatch.monitor.job;

import io.hbwatch.monitor.beat.Backoff;
import io.hbwatch.monitor.beat.Beat;
import io.hbwatch.monitor.beat.BeatTracker;
import io.hbwatch.monitor.beat.LineReader;
import io.hbwatch.monitor.beat.ProtocolViolation;
import io.hbwatch.monitor.event.Check;
import io.hbwatch.protocol.BeatSignature;
import io.hbwatch.protocol.JsonLine;
import io.hbwatch.protocol.Protocol;
import io.hbwatch.protocol.Reason;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * {@code --job hb}: connects to the agent's heartbeat port, subscribes (to {@code --pid} when given,
 * else to the agent's default subject without its first-line wait)
 * and reads beats. DOWN at once with {@code refused} or {@code closed} when nothing listens or the
 * stream ends; DOWN with {@code timeout} when no beat comes within the timeout while the connection
 * stays open (a frozen JVM); the subject's own DOWN or DEGRADED passed on; UP when beats resume.
 * Reconnects with capped exponential backoff; a protocol violation closes the connection.
 * With {@code --secret}/{@code --secret-file} every beat must carry a valid signature ({@link
 * BeatSignature}), count up on its connection and, with {@code --pid}, be about the subject asked
 * for; a beat that does not is DOWN {@code auth} and closes the connection.
 *
 * <p>Each beat, each silence and each failed connection counts as one check for {@code --count}.
 */
public final class HeartbeatJob implements Job {
    static final Duration FIRST_RETRY = Duration.ofMillis(50);
    static final Duration MAX_RETRY = Duration.ofSeconds(2);

    @Override
    public String name() {
        return "hb";
    }

    @Override
    public void run(JobContext ctx) throws InterruptedException {
        String pid = ctx.options().pid;
        BeatTracker tracker = new BeatTracker(subjectOf(pid), ctx.options().timeout);
        byte[] secret = ctx.options().secretBytes();
        Auth auth = secret == null ? null : new Auth(new BeatSignature(secret), pid == null ? null : subjectOf(pid));
        Backoff backoff = new Backoff(FIRST_RETRY, MAX_RETRY);
        InetSocketAddress address =
                new InetSocketAddress(ctx.address(), ctx.target().port());
        while (ctx.running()) {
            try (Socket socket = new Socket()) {
                ctx.closeOnStop(socket);
                Check failed = connect(socket, address, tracker, pid);
                if (failed != null) {
                    if (!ctx.report(failed)) {
                        return;
                    }
                } else if (!read(socket, tracker, backoff, auth, ctx)) {
                    return;
                }
            } catch (IOException e) {
                // closing failed: nothing left to do with this socket
            } finally {
                ctx.closeOnStop(null);
            }
            ctx.sleep(backoff.next());
        }
    }

    /** Connects and subscribes; returns the failure as a check, or null when connected. */
    private static Check connect(Socket socket, InetSocketAddress address, BeatTracker tracker, String pid) {
        long timeoutMs = tracker.timeout().toMillis();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(address, (int) Math.min(Integer.MAX_VALUE, timeoutMs));
            // Always a first line: without one the agent waits (500 ms) before it picks the default subject.
            String subscribe = pid == null
                    ? "{}"
                    : new JsonLine().field(Protocol.F_PID, pid).toJson();
            OutputStream out = socket.getOutputStream();
            out.write((subscribe + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            tracker.connected(System.nanoTime());
            return null;
        } catch (NoRouteToHostException e) {
            return tracker.disconnected(Reason.UNREACHABLE, "cannot reach " + where(address) + ": " + phrase(e));
        } catch (ConnectException e) {
            if (phrase(e).contains("unreachable")) {
                return tracker.disconnected(Reason.UNREACHABLE, "cannot reach " + where(address) + ": " + phrase(e));
            }
            return tracker.disconnected(Reason.REFUSED, "nothing listens on " + where(address));
        } catch (SocketTimeoutException e) {
            return tracker.disconnected(
                    Reason.TIMEOUT, "no answer to connect to " + where(address) + " within " + timeoutMs + " ms");
        } catch (IOException e) {
            return tracker.disconnected(Reason.CLOSED, "connection to " + where(address) + " failed: " + phrase(e));
        }
    }

    /**
     * Reads beats until the connection ends or the job is done; returns whether the job goes on.
     * The socket's read timeout is always the time left until the next beat is due, so a peer that
     * drips bytes without ever finishing a line is still silent.
     */
    private static boolean read(Socket socket, BeatTracker tracker, Backoff backoff, Auth auth, JobContext ctx)
            throws IOException {
        LineReader lines = new LineReader(socket.getInputStream());
        long lastSeqHere = -1;
        while (ctx.running()) {
            String line;
            try {
                line = lines.poll();
            } catch (ProtocolViolation e) {
                return ctx.report(tracker.disconnected(Reason.PROTOCOL, e.getMessage() + "; closing the connection"));
            }
            if (line == null) {
                long now = System.nanoTime();
                long leftMs = (tracker.deadlineNanos() - now + 999_999) / 1_000_000;
                if (leftMs <= 0) {
                    if (!ctx.report(tracker.silence(now))) {
                        return false;
                    }
                    continue;
                }
                socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, leftMs));
                try {
                    if (!lines.fill()) {
                        String after =
                                tracker.lastSeq() < 0 ? " before the first beat" : " after seq " + tracker.lastSeq();
                        return ctx.report(tracker.disconnected(Reason.CLOSED, "the stream ended" + after));
                    }
                } catch (SocketTimeoutException e) {
                    // the deadline is checked above
                } catch (IOException e) {
                    return ctx.running()
                            && ctx.report(tracker.disconnected(Reason.CLOSED, "the stream was reset: " + phrase(e)));
                }
                continue;
            }
            if (line.isBlank()) {
                continue;
            }
            Beat beat;
            try {
                beat = Beat.parse(line);
            } catch (ProtocolViolation e) {
                return ctx.report(tracker.disconnected(Reason.PROTOCOL, e.getMessage() + "; closing the connection"));
            }
            if (auth != null) {
                // Before the backoff is reset: a forger must not make the monitor reconnect at once.
                String forged = auth.problem(line, beat, lastSeqHere);
                if (forged != null) {
                    return ctx.report(tracker.disconnected(Reason.AUTH, forged + "; closing the connection"));
                }
            }
            lastSeqHere = beat.seq();
            backoff.reset();
            if (!ctx.report(tracker.beat(beat, System.nanoTime()))) {
                return false;
            }
        }
        return false;
    }

    /** The subject asked for: {@code vm}, or {@code pid:1234} / {@code name:chrome} with {@code --pid}. */
    static String subjectOf(String pid) {
        if (pid == null) {
            return Protocol.SUBJECT_VM;
        }
        return (pid.chars().allMatch(Character::isDigit) ? Protocol.SUBJECT_PID_PREFIX : Protocol.SUBJECT_NAME_PREFIX)
                + pid;
    }

    private static String where(InetSocketAddress a) {
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    private static String phrase(IOException e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m.toLowerCase(Locale.ROOT);
    }
}
