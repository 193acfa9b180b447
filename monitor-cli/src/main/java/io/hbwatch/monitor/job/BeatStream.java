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
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One heartbeat stream on the {@link BeatLoop}: connects without blocking, subscribes, reads beats
 * into its {@link BeatTracker}, and keeps one timer armed for whichever comes first of the beat's
 * deadline, the connect timeout or the next reconnect. Loop thread only.
 */
final class BeatStream {
    private final BeatLoop loop;
    private final JobContext ctx;
    private final BeatTracker tracker;
    private final Backoff backoff = new Backoff(HeartbeatJob.FIRST_RETRY, HeartbeatJob.MAX_RETRY);
    private final InetSocketAddress address;
    private final byte[] subscribe;
    private final LineReader lines = new LineReader();
    private final Auth auth;
    private long lastSeqHere = -1;
    private SocketChannel channel;
    private ByteBuffer pendingWrite;
    private long timerGeneration;
    private long armedDeadlineNanos;
    private boolean finished;

    BeatStream(BeatLoop loop, HeartbeatJob job, JobContext ctx) {
        this.loop = loop;
        this.ctx = ctx;
        String pid = ctx.options().pid;
        this.tracker = new BeatTracker(
                HeartbeatJob.subjectOf(pid), ctx.options().timeout, HeartbeatJob.detector(ctx.options()));
        this.address = new InetSocketAddress(ctx.address(), ctx.target().port());
        byte[] secret = ctx.options().secretBytes();
        this.auth = secret == null
                ? null
                : new Auth(new BeatSignature(secret), pid == null ? null : HeartbeatJob.subjectOf(pid));
        // Always a first line: without one the agent waits (500 ms) before it picks the default subject.
        String line =
                pid == null ? "{}" : new JsonLine().field(Protocol.F_PID, pid).toJson();
        this.subscribe = (line + "\n").getBytes(StandardCharsets.UTF_8);
    }

    JobContext ctx() {
        return ctx;
    }

    long newTimerGeneration() {
        return ++timerGeneration;
    }

    long timerGeneration() {
        return timerGeneration;
    }

    boolean finished() {
        return finished;
    }

    /** Opens a connection; its outcome comes through {@link #ready} or the connect timeout. */
    void open() {
        if (!ctx.running()) {
            finish();
            return;
        }
        long timeoutNanos = tracker.timeout().toNanos();
        try {
            channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            if (channel.connect(address)) {
                connected();
            } else {
                channel.register(loop.selector(), SelectionKey.OP_CONNECT, this);
                loop.arm(
                        this,
                        System.nanoTime() + timeoutNanos,
                        () -> failed(tracker.disconnected(
                                Reason.TIMEOUT,
                                "no answer to connect to " + where() + " within " + timeoutNanos / 1_000_000 + " ms")));
            }
        } catch (IOException e) {
            failed(connectFailure(e));
        }
    }

    /** The selector says the channel is ready to finish connecting, to be written or to be read. */
    void ready(SelectionKey key) {
        try {
            if (key.isConnectable()) {
                try {
                    if (!channel.finishConnect()) {
                        return; // not yet: the selector says so again
                    }
                } catch (IOException e) {
                    failed(connectFailure(e));
                    return;
                }
                connected();
                return;
            }
            if (key.isWritable()) {
                write();
            }
            if (key.isValid() && key.isReadable()) {
                read();
            }
        } catch (IOException e) {
            if (ctx.running()) {
                failed(tracker.disconnected(Reason.CLOSED, "the stream was reset: " + phrase(e)));
            } else {
                finish();
            }
        }
    }

    private void connected() throws IOException {
        tracker.connected(System.nanoTime());
        lastSeqHere = -1;
        pendingWrite = ByteBuffer.wrap(subscribe);
        channel.register(loop.selector(), SelectionKey.OP_READ, this);
        write();
        armDeadline(true);
    }

    private void write() throws IOException {
        channel.write(pendingWrite);
        SelectionKey key = channel.keyFor(loop.selector());
        key.interestOps(
                pendingWrite.hasRemaining() ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
    }

    private void read() throws IOException {
        ByteBuffer buf = loop.readBuffer();
        buf.clear();
        int n = channel.read(buf);
        if (n < 0) {
            String after = tracker.lastSeq() < 0 ? " before the first beat" : " after seq " + tracker.lastSeq();
            failed(tracker.disconnected(Reason.CLOSED, "the stream ended" + after));
            return;
        }
        lines.offer(buf.array(), 0, n);
        while (true) {
            String line;
            Beat beat;
            try {
                line = lines.poll();
                if (line == null) {
                    break;
                }
                if (line.isBlank()) {
                    continue;
                }
                beat = Beat.parse(line);
            } catch (ProtocolViolation e) {
                failed(tracker.disconnected(Reason.PROTOCOL, e.getMessage() + "; closing the connection"));
                return;
            }
            if (auth != null) {
                // Before the backoff is reset: a forger must not make the monitor reconnect at once.
                String forged = auth.problem(line, beat, lastSeqHere);
                if (forged != null) {
                    failed(tracker.disconnected(Reason.AUTH, forged + "; closing the connection"));
                    return;
                }
            }
            lastSeqHere = beat.seq();
            backoff.reset();
            if (!ctx.report(tracker.beat(beat, System.nanoTime()))) {
                finish();
                return;
            }
        }
        armDeadline(false);
    }

    /**
     * Keeps one timer on the beat's deadline. A beat only moves the deadline later, as a rule, so the
     * armed timer stays and re-arms itself when it fires early; only a deadline earlier than the
     * armed one (the phi detector tightening) needs a new timer.
     */
    private void armDeadline(boolean always) {
        long deadline = tracker.deadlineNanos();
        if (always || deadline - armedDeadlineNanos < 0) {
            armedDeadlineNanos = deadline;
            loop.arm(this, deadline, this::deadlinePassed);
        }
    }

    private void deadlinePassed() {
        long now = System.nanoTime();
        if (tracker.deadlineNanos() - now > 0) {
            armDeadline(true); // beats came meanwhile: wait for the new deadline
            return;
        }
        if (!ctx.report(tracker.silence(now))) {
            finish();
            return;
        }
        armDeadline(true);
    }

    /** Reports {@code check} (a failed or lost connection), closes it and reconnects after the backoff. */
    private void failed(Check check) {
        closeChannel();
        if (!ctx.report(check)) {
            finish();
            return;
        }
        loop.arm(this, System.nanoTime() + backoff.next().toNanos(), this::open);
    }

    private Check connectFailure(IOException e) {
        if (e instanceof NoRouteToHostException || phrase(e).contains("unreachable")) {
            return tracker.disconnected(Reason.UNREACHABLE, "cannot reach " + where() + ": " + phrase(e));
        }
        if (e instanceof ConnectException) {
            return tracker.disconnected(Reason.REFUSED, "nothing listens on " + where());
        }
        return tracker.disconnected(Reason.CLOSED, "connection to " + where() + " failed: " + phrase(e));
    }

    /** Ends this stream for good: --count reached, or the run stopped. Idempotent. */
    void finish() {
        if (!finished) {
            finished = true;
            newTimerGeneration();
            closeChannel();
            ctx.finish();
        }
    }

    void closeChannel() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // closing a dead connection: nothing to report
            }
            channel = null;
        }
    }

    private String where() {
        return address.getAddress().getHostAddress() + ":" + address.getPort();
    }

    private static String phrase(IOException e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m.toLowerCase(Locale.ROOT);
    }
}
