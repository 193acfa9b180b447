package io.hbwatch.monitor.job;

import io.hbwatch.monitor.beat.Backoff;
import io.hbwatch.monitor.beat.Beat;
import io.hbwatch.monitor.beat.BeatTracker;
import io.hbwatch.monitor.beat.LineReader;
import io.hbwatch.monitor.beat.ProtocolViolation;
import io.hbwatch.monitor.event.Check;
import io.hbwatch.protocol.Addresses;
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
 *
 * <p><b>Reconnect on silence.</b> A connection that looks open may be dead: after a long partition
 * the agent has dropped a subscriber that could not keep up, and its goodbye may never arrive. So
 * once the stream is silent past its deadline, a <em>spare</em> connection is opened beside it, and
 * again every {@link #SPARE_CONNECT_TIMEOUT_NANOS} while it cannot connect (a SYN a second, so the
 * stream is UP within about a second of the network returning); whichever connection speaks first
 * carries the stream on and the other is closed. A spare that connects but stays silent (a frozen
 * JVM's kernel still accepts connections) is replaced only at the next deadline, so a frozen JVM's
 * backlog gets one connection per timeout. A spare that is refused means nothing listens any more:
 * the stream is DOWN {@code refused}.
 *
 * <p><b>The monitor's own stalls.</b> A deadline that passes while this monitor itself was stalled
 * ({@link OwnStalls}) is not a silence of the target's: the deadline moves to a full timeout after
 * the stall.
 */
final class BeatStream {
    /** A spare connection that has not connected after this long is given up and tried again. */
    static final long SPARE_CONNECT_TIMEOUT_NANOS = 1_000_000_000L;

    private final BeatLoop loop;
    private final JobContext ctx;
    private final BeatTracker tracker;
    private final Backoff backoff = new Backoff(HeartbeatJob.FIRST_RETRY, HeartbeatJob.MAX_RETRY);
    private final InetSocketAddress address;
    private final String pid;
    /** Makes each connection's proof; null without a secret. */
    private final BeatSignature signer;

    private final Auth auth;
    /** The connection that carries the stream; null between a failure and the next attempt. */
    private Conn main;
    /** A fresh connection opened because {@link #main} fell silent; null when there is none. */
    private Conn spare;

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
        this.pid = pid;
        this.signer = secret == null ? null : new BeatSignature(secret);
    }

    /**
     * The first line of a new connection; always one: without it the agent waits (500 ms) before
     * it picks the default subject. With a secret, a fresh nonce, which the agent echoes in every
     * beat it signs on this connection, and the proof that this monitor knows the secret.
     */
    private byte[] firstLine(Conn c) {
        JsonLine line = new JsonLine();
        if (pid != null) {
            line.field(Protocol.F_PID, pid);
        }
        if (signer != null) {
            c.nonce = BeatSignature.newNonce();
            line.field(Protocol.F_NONCE, c.nonce).field(Protocol.F_PROOF, signer.proof(c.nonce, pid));
        }
        return (line.toJson() + "\n").getBytes(StandardCharsets.UTF_8);
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

    /** Opens the main connection; its outcome comes through {@link Conn#ready} or the connect timeout. */
    void open() {
        if (!ctx.running()) {
            finish();
            return;
        }
        long timeoutNanos = tracker.timeout().toNanos();
        Conn c = new Conn();
        main = c;
        try {
            if (c.connect()) {
                connected(c);
            } else {
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

    /** Opens a spare connection beside a silent main one; at most one at a time. */
    private void openSpare() {
        if (spare != null || main == null) {
            return;
        }
        Conn c = new Conn();
        spare = c;
        try {
            if (c.connect()) {
                c.subscribe();
            }
        } catch (IOException e) {
            spareFailed(e);
        }
    }

    private void spareConnectTimedOut() {
        if (spare != null && !spare.connected) {
            dropSpare();
            openSpare(); // the partition goes on: one more SYN, a second after the last
        }
        armDeadline(true);
    }

    /** The spare could not connect: refused means nothing listens, which ends the silent stream. */
    private void spareFailed(IOException e) {
        dropSpare();
        if (e instanceof ConnectException && phrase(e).contains("refused")) {
            failed(connectFailure(e));
        } else {
            armDeadline(true);
        }
    }

    private void dropSpare() {
        if (spare != null) {
            spare.close();
            spare = null;
        }
    }

    private void connected(Conn c) throws IOException {
        tracker.connected(System.nanoTime());
        c.subscribe();
        armDeadline(true);
    }

    /** The selector says {@code c} is ready to finish connecting, to be written or to be read. */
    private void ready(Conn c, SelectionKey key) {
        if (c != main && c != spare) {
            c.close();
            return;
        }
        try {
            if (key.isConnectable()) {
                if (!c.channel.finishConnect()) {
                    return; // not yet: the selector says so again
                }
                c.connected = true;
                if (c == main) {
                    connected(c);
                } else {
                    c.subscribe();
                }
                return;
            }
            if (key.isWritable()) {
                c.write();
            }
            if (key.isValid() && key.isReadable()) {
                read(c);
            }
        } catch (IOException e) {
            if (c == spare) {
                if (c.connected) {
                    dropSpare(); // the main connection still stands; the next deadline tries again
                } else {
                    spareFailed(e);
                }
            } else if (!c.connected) {
                failed(connectFailure(e));
            } else if (ctx.running()) {
                failed(tracker.disconnected(Reason.CLOSED, "the stream was reset: " + phrase(e)));
            } else {
                finish();
            }
        }
    }

    private void read(Conn c) throws IOException {
        ByteBuffer buf = loop.readBuffer();
        buf.clear();
        int n = c.channel.read(buf);
        if (n < 0) {
            if (c == spare) {
                dropSpare();
                return;
            }
            String after = tracker.lastSeq() < 0 ? " before the first beat" : " after seq " + tracker.lastSeq();
            failed(tracker.disconnected(Reason.CLOSED, "the stream ended" + after));
            return;
        }
        c.lines.offer(buf.array(), 0, n);
        while (true) {
            String line;
            Beat beat;
            try {
                line = c.lines.poll();
                if (line == null) {
                    break;
                }
                if (line.isBlank()) {
                    continue;
                }
                beat = Beat.parse(line);
            } catch (ProtocolViolation e) {
                if (c == spare) {
                    dropSpare();
                    return;
                }
                // The agent's own error line after beats is its goodbye (it dropped this connection).
                boolean goodbye = e.fromAgent() && c.lastSeqHere >= 0;
                failed(tracker.disconnected(
                        e.refusedProof() ? Reason.AUTH : goodbye ? Reason.CLOSED : Reason.PROTOCOL,
                        goodbye
                                ? "the agent closed the stream: " + e.agentMessage()
                                : e.getMessage() + "; closing the connection"));
                return;
            }
            if (auth != null) {
                // Before the backoff is reset: a forger must not make the monitor reconnect at once.
                String forged = auth.problem(line, beat, c.lastSeqHere, c.nonce);
                if (forged != null) {
                    refuse(c, Reason.AUTH, forged);
                    return;
                }
            }
            if (c.instanceHere != null && beat.instance() != null && !c.instanceHere.equals(beat.instance())) {
                // An agent that restarts closes its connections: another run's beats on this one come
                // from something between, switching agents (a relay), not from the agent watched.
                String detail = "the beats on this connection changed from instance " + c.instanceHere + " to "
                        + beat.instance() + ": a relay or proxy switched agents, this is not the agent watched";
                refuse(c, Reason.PROTOCOL, detail);
                return;
            }
            if (c.instanceHere == null) {
                c.instanceHere = beat.instance();
            }
            String back = tracker.wentBack(beat);
            if (back != null) {
                refuse(c, Reason.PROTOCOL, back);
                return;
            }
            c.lastSeqHere = beat.seq();
            if (c == spare) {
                // The spare spoke first: it carries the stream from now on.
                main.close();
                main = spare;
                spare = null;
                tracker.replaced(System.nanoTime());
            }
            Check check = tracker.beat(beat, System.nanoTime());
            if (check == null) {
                continue; // a stale beat, held up on the way: the silence goes on
            }
            if (spare != null) {
                dropSpare(); // the old connection spoke first after all
            }
            backoff.reset();
            if (!ctx.report(check)) {
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
        if (spare != null && !spare.connected) {
            always = true; // the spare's connect timer and the deadline share the one timer
            long spareDue = spare.startedNanos + SPARE_CONNECT_TIMEOUT_NANOS;
            if (spareDue - deadline < 0) {
                armedDeadlineNanos = spareDue;
                loop.arm(this, spareDue, this::deadlinePassed);
                return;
            }
        }
        if (always || deadline - armedDeadlineNanos < 0) {
            armedDeadlineNanos = deadline;
            loop.arm(this, deadline, this::deadlinePassed);
        }
    }

    private void deadlinePassed() {
        long now = System.nanoTime();
        if (spare != null && !spare.connected && now - spare.startedNanos - SPARE_CONNECT_TIMEOUT_NANOS >= 0) {
            spareConnectTimedOut();
            return;
        }
        if (tracker.deadlineNanos() - now > 0) {
            armDeadline(true); // beats came meanwhile: wait for the new deadline
            return;
        }
        long stallEnd = ctx.stalls().overlaps(tracker.quietSinceNanos(), now);
        if (stallEnd != Long.MIN_VALUE) {
            // This monitor was not running: its silence is not the target's. Count from the stall's end.
            tracker.deferPast(stallEnd);
            armDeadline(true);
            return;
        }
        if (!ctx.report(tracker.silence(now))) {
            finish();
            return;
        }
        if (spare != null && spare.connected) {
            dropSpare(); // connected but silent as well: a frozen JVM; try a fresh one
        }
        openSpare();
        armDeadline(true);
    }

    /**
     * A beat that must not be trusted ({@code reason}, {@code why}): a spare connection is dropped
     * (the main one still stands), the main one is closed and reported, and the stream reconnects.
     */
    private void refuse(Conn c, String reason, String why) {
        if (c == spare) {
            dropSpare();
            return;
        }
        failed(tracker.disconnected(reason, why + "; closing the connection"));
    }

    /**
     * A bug met while handling this stream (whatever its peer sent, it must never get here): one
     * stderr line, a DOWN {@code protocol} event, and the stream starts afresh after the backoff;
     * the other streams go on. The run then exits 3, however it ends.
     */
    void internalError(RuntimeException e) {
        ctx.internalError("monitor-cli: internal error in the hb job watching " + where() + ": " + e);
        try {
            if (spare != null) {
                dropSpare();
            }
            failed(Check.down(
                    tracker.subject(),
                    Reason.PROTOCOL,
                    "this monitor could not handle the stream from " + where() + " (" + e + "); connecting again"));
        } catch (RuntimeException again) {
            finish();
        }
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

    /** Closes both connections. */
    void closeChannel() {
        if (main != null) {
            main.close();
            main = null;
        }
        dropSpare();
    }

    private String where() {
        return Addresses.hostPort(address);
    }

    private static String phrase(IOException e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m.toLowerCase(Locale.ROOT);
    }

    /** One TCP connection to the agent and what was read on it. */
    private final class Conn implements BeatLoop.Ready {
        final LineReader lines = new LineReader();
        final long startedNanos = System.nanoTime();
        SocketChannel channel;
        ByteBuffer pendingWrite;
        long lastSeqHere = -1;
        boolean connected;
        /** The nonce its first line sent; null without a secret. */
        String nonce;
        /** The instance of the first beat read on it: one connection, one run of the agent. */
        String instanceHere;

        /** Starts connecting; true when connected at once. */
        boolean connect() throws IOException {
            channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            if (channel.connect(address)) {
                connected = true;
                return true;
            }
            channel.register(loop.selector(), SelectionKey.OP_CONNECT, this);
            return false;
        }

        /** Sends the first line and waits for beats. */
        void subscribe() throws IOException {
            pendingWrite = ByteBuffer.wrap(firstLine(this));
            channel.register(loop.selector(), SelectionKey.OP_READ, this);
            write();
        }

        void write() throws IOException {
            channel.write(pendingWrite);
            SelectionKey key = channel.keyFor(loop.selector());
            key.interestOps(
                    pendingWrite.hasRemaining() ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
        }

        @Override
        public void ready(SelectionKey key) {
            try {
                BeatStream.this.ready(this, key);
            } catch (RuntimeException e) {
                internalError(e);
            }
        }

        void close() {
            if (channel == null) {
                return;
            }
            try {
                channel.close();
            } catch (IOException e) {
                // closing a dead connection: nothing to report
            }
        }
    }
}
