package io.hbwatch.agent.beat;

import io.hbwatch.agent.subject.ProcessTable;
import io.hbwatch.agent.subject.Subject;
import io.hbwatch.agent.subject.Subjects;
import io.hbwatch.agent.util.HbThreads;
import io.hbwatch.agent.util.Log;
import io.hbwatch.protocol.JsonLine;
import io.hbwatch.protocol.Protocol;
import io.hbwatch.protocol.Reason;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The heartbeat stream, protocol v1 ({@code docs/PROTOCOL.md}): one thread, {@code hbwatch-beat},
 * runs one NIO selector for every connection and the beat clock, so no client can make the agent
 * start a thread.
 *
 * <p>Every interval (fixed delay on the monotonic clock: after a pause the beats resume, they do
 * not catch up in a burst, and {@code seq} just continues) the server builds one beat per watched
 * subject and copies it to each of its subscribers.
 *
 * <p>No client, nor any number of them, can make it grow past its {@link Limits}: at most {@code
 * maxSubscribers} connections are served and at most {@code maxPending} of them may be waiting for
 * their first line (the next connection gets an error line); a first line must fit in {@link
 * Protocol#MAX_LINE_BYTES} and whoever has not sent one within {@code firstLineTimeout} gets the
 * default subject; each subscriber has an output buffer of {@code subscriberBuffer} bytes and one
 * that lets it fill up is dropped, with an error line that says why when the socket still takes
 * one (a partition that heals in time shows the client why its stream ended); a client that sends more than {@link #MAX_DISCARDED_BYTES} after
 * its first line (or after its error line) is dropped, so talking cannot keep this thread busy; at
 * most {@link #MAX_CLOSING} refused connections linger for their error line. Nothing a client does
 * is logged above debug level: attacks do not fill the host's stderr.
 *
 * <p>Thread-safety: {@link #listen}, {@link #start} and {@link #close} may be called from any
 * thread, once each and in that order; the getters are safe from any thread at any time.
 */
public final class BeatServer implements AutoCloseable {
    /**
     * Kernel send buffer asked for each subscriber socket: a subscriber that stops reading is
     * noticed after about this much plus its {@code subscriberBuffer}, not after megabytes.
     */
    public static final int SOCKET_SEND_BUFFER_BYTES = 32 * 1024;
    /** How long a refused client's input is drained after its error line, so it can read the line. */
    static final long CLOSING_GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** Most refused connections kept open for their grace period at once; the rest close at once. */
    static final int MAX_CLOSING = 64;
    /** Most bytes a client may send after its first line (which it should not do at all) before it is dropped. */
    static final int MAX_DISCARDED_BYTES = Protocol.MAX_LINE_BYTES;
    /** Most connections taken from the backlog per wake-up, so that a flood of connects never delays a beat. */
    private static final int MAX_ACCEPTS_PER_WAKEUP = 256;

    private static final String NO_PROOF = "this agent signs its beats: a first line with a nonce and the proof"
            + " that the subscriber knows the secret is required (monitor-cli with --secret)";
    /** Nonces remembered against replay: far more subscriptions than any real monitor makes a day. */
    private static final int MAX_NONCES = 65_536;
    /** Most connections accepted per second, on average; as many at once. */
    static final int MAX_ACCEPTS_PER_SECOND = 200;
    /** How long the farewell beats of {@link #close(String)} may take to leave, at most. */
    static final long FAREWELL_DRAIN_NANOS = 200_000_000L;
    /** Pause after the loop failed with an {@link Error} (memory short, say), so that it does not spin. */
    private static final long ERROR_BACKOFF_NANOS = 50_000_000L;

    private final Subject defaultSubject;
    private final long intervalMs;
    private final Limits limits;
    private final String instance;
    private final Selector selector;
    private final BeatWriter writer;
    /** Where name subscriptions look their processes up; scanned on its own thread. */
    private final ProcessTable processes;

    private final ByteBuffer scratch = ByteBuffer.allocate(1024);
    /** One beat on its way to a socket (see {@link #sendDirect}); used only on the beat thread. */
    private final ByteBuffer wire = ByteBuffer.allocateDirect(Protocol.MAX_LINE_BYTES);
    /** One beat bound to one subscriber's nonce ({@link BeatWriter#bind}); beat thread only. */
    private final byte[] bound = new byte[Protocol.MAX_LINE_BYTES];
    /** Nonces of the subscriptions lately accepted: each may be used once. Beat thread only. */
    private final Map<String, Boolean> usedNonces = new LinkedHashMap<>(64, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > MAX_NONCES;
        }
    };

    private final List<Feed> feeds = new ArrayList<>();
    /** PENDING and CLOSING connections: the ones with a deadline. */
    private final List<Subscriber> waiting = new ArrayList<>();

    private final Consumer<SelectionKey> onReady = new Ready();

    private ServerSocketChannel server;
    private volatile InetSocketAddress address;
    private volatile boolean running = true;
    /** The detail of the last beat that {@link #close(String)} asked for; null for none. */
    private volatile String farewell;

    private volatile boolean signed;
    /** Runs on the beat thread after every beat; null for nothing. */
    private volatile Runnable afterBeat;
    /** Told of every wait's lateness; null for nothing. */
    private volatile Lateness lateness;
    /** The longest wait while {@link #lateness} listens, in nanoseconds. */
    private volatile long latenessResolutionNanos = Long.MAX_VALUE;
    /** When the selector first handed over a ready key in this wait, 0 before; beat thread only. */
    private long firstReadyNanos;
    /** A process scan has been published since the loop last looked. */
    private volatile boolean scanned;

    private volatile long sequence;
    private volatile long lastBeatMillis;
    private volatile int subscribers;
    private int pending;
    private int closing;
    private double acceptTokens = MAX_ACCEPTS_PER_SECOND;
    private long acceptRefillNanos = System.nanoTime();
    /** When accepting resumes after the rate was reached; 0 while it runs. */
    private long acceptResumeNanos;

    private Thread thread;
    /** When the next beat is due ({@link System#nanoTime()}); the beat thread's alone. */
    private long nextBeatNanos;

    /**
     * @param defaultSubject what a client that asks for nothing watches: the JVM, or standalone the host
     * @param intervalMs time between beats, in milliseconds, positive
     * @param limits what clients may take
     * @param instance the id of this agent run that every beat carries
     */
    public BeatServer(Subject defaultSubject, long intervalMs, Limits limits, String instance) throws IOException {
        this.defaultSubject = defaultSubject;
        this.intervalMs = intervalMs;
        this.limits = limits;
        this.instance = instance;
        this.writer = new BeatWriter(instance, intervalMs);
        this.selector = Selector.open();
        this.processes = new ProcessTable(intervalMs, () -> {
            scanned = true;
            selector.wakeup();
        });
    }

    /** A random id for one run of the agent: 16 hex digits. */
    public static String newInstanceId() {
        // Long.toHexString and padding rather than String.format, which would load the JDK's
        // formatter into the host at start-up for sixteen characters.
        String hex = Long.toHexString(new SplittableRandom().nextLong());
        return "0000000000000000".substring(hex.length()) + hex;
    }

    /**
     * Binds the listening socket. Without it the server still beats (the MBean's {@code Sequence}
     * moves on) but nobody can subscribe.
     *
     * @param port 0 for a free one
     * @return the address bound
     * @throws IOException when the address cannot be bound (busy port, unknown host)
     */
    public InetSocketAddress listen(String host, int port) throws IOException {
        ServerSocketChannel ch = ServerSocketChannel.open();
        try {
            ch.bind(new InetSocketAddress(host, port), 64);
            ch.configureBlocking(false);
            ch.register(selector, SelectionKey.OP_ACCEPT);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        server = ch;
        address = (InetSocketAddress) ch.getLocalAddress();
        return address;
    }

    /**
     * Signs every beat with {@code secret} (HMAC-SHA256, {@link io.hbwatch.protocol.BeatSignature}).
     * Call before {@link #start}.
     */
    public void signWith(byte[] secret) {
        writer.signWith(secret);
        signed = true;
    }

    /** True when beats are signed. */
    public boolean signed() {
        return signed;
    }

    /**
     * Runs {@code task} on the beat thread after every beat, subscribers or not; it must be cheap
     * and must not block. What it throws, an {@link Error} included, is dropped.
     */
    public void afterEachBeat(Runnable task) {
        this.afterBeat = task;
    }

    /**
     * How late the beat thread wakes, told after every wait: what stops every thread of the JVM (a
     * safepoint, a SIGSTOP, a host that does not schedule it) stops this one, so its lateness is a
     * pause, as jHiccup measures pauses, at no cost of a thread or a wake-up of its own.
     */
    public interface Lateness {
        /**
         * Called on the beat thread after each wait, before any beat it leads to is built.
         *
         * @param lateNanos how much later than asked the thread woke; 0 or less when it woke on
         *     time, or early because a client spoke
         * @param nowNanos when it woke ({@link System#nanoTime()})
         */
        void woke(long lateNanos, long nowNanos);

        /** The longest the thread may sleep, beats or not, in milliseconds (at least 1). */
        long resolutionMs();
    }

    /**
     * Tells {@code listener} how late each wait ended, and waits at most its {@link
     * Lateness#resolutionMs} at a time, beats or not, so that a pause between two beats is seen to
     * within that much. Call at most once, from any thread; it takes effect at the next wait.
     */
    public void measureLateness(Lateness listener) {
        latenessResolutionNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(1, listener.resolutionMs()));
        lateness = listener;
        selector.wakeup();
    }

    /** Starts the beat thread {@code hbwatch-beat}. */
    public void start() {
        thread = HbThreads.startWatched("beat", intervalMs, new Loop());
    }

    /** Where it listens, or {@code null} when it does not. */
    public InetSocketAddress address() {
        return address;
    }

    /** Number of the latest beat: 0 before the first, then 1, 2, ... one per interval. */
    public long sequence() {
        return sequence;
    }

    /** Wall-clock time of the latest beat, epoch milliseconds, 0 before the first. */
    public long lastBeatMillis() {
        return lastBeatMillis;
    }

    public long intervalMillis() {
        return intervalMs;
    }

    /** Connections receiving beats now. */
    public int subscribers() {
        return subscribers;
    }

    public String instance() {
        return instance;
    }

    /** Stops the thread and closes every connection. Idempotent; never throws. */
    @Override
    public void close() {
        close(null);
    }

    /**
     * Sends every subscriber a last beat, {@code DOWN} with reason {@code shutdown} and {@code
     * detail} (the JVM is exiting on purpose, so that a monitor can tell a deploy from a crash), then
     * stops as {@link #close()} does. The beats leave within {@link #FAREWELL_DRAIN_NANOS} or not at
     * all. Never throws.
     *
     * @param detail one sentence, such as "the JVM is exiting: SIGTERM"; null sends nothing
     */
    public void close(String detail) {
        if (detail != null && running) {
            farewell = detail;
        }
        running = false;
        selector.wakeup();
        Thread t = thread;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (t == null) {
            sayFarewell();
            closeAll();
        }
    }

    private void loop() {
        long intervalNanos = TimeUnit.MILLISECONDS.toNanos(intervalMs);
        nextBeatNanos = System.nanoTime();
        String lastProblem = null;
        try {
            while (running) {
                try {
                    turn(intervalNanos);
                    lastProblem = null;
                } catch (Throwable e) { // OutOfMemoryError included: the beat must outlive it
                    lastProblem = report(e, lastProblem);
                }
            }
        } finally {
            sayFarewell();
            closeAll();
        }
    }

    /**
     * One turn of the loop: the beat when it is due, then the wait for the next event. A method of
     * its own, not the loop's body: the JIT compiles a method after a few hundred calls, but a
     * loop's body only by on-stack replacement, after tens of thousands of turns, which at one beat
     * a second is most of a day of interpreting every beat's turn.
     */
    private void turn(long intervalNanos) throws IOException {
        long now = System.nanoTime();
        if (now - nextBeatNanos >= 0) {
            beat();
            // Fixed delay: after a pause the next beat is one interval away, no burst.
            nextBeatNanos = System.nanoTime() + intervalNanos;
        }
        now = System.nanoTime();
        sweep(now);
        resumeAccepting(now);
        long waitNanos = nextBeatNanos - now;
        if (acceptResumeNanos != 0) {
            waitNanos = Math.min(waitNanos, acceptResumeNanos - now);
        }
        for (int i = 0; i < waiting.size(); i++) {
            waitNanos = Math.min(waitNanos, waiting.get(i).deadlineNanos - now);
        }
        Lateness late = lateness;
        if (late != null) {
            waitNanos = Math.min(waitNanos, latenessResolutionNanos);
        }
        if (waitNanos <= 0) {
            selector.selectNow(onReady);
        } else {
            // Rounded up: rounded down, the last millisecond before each beat was
            // spent spinning on selectNow (half a millisecond of CPU per beat).
            long waitMs = (waitNanos + 999_999) / 1_000_000;
            firstReadyNanos = 0;
            selector.select(onReady, waitMs);
            if (late != null) {
                // When the thread woke: a client's bytes handled in this wait do not count.
                long woke = firstReadyNanos != 0 ? firstReadyNanos : System.nanoTime();
                late.woke(woke - now - waitMs * 1_000_000L, woke);
            }
        }
        if (scanned) {
            firstBeats();
        }
        HbThreads.tick();
    }

    /** The last beat to every subscriber, when {@link #close(String)} asked for one; best effort. */
    private void sayFarewell() {
        String detail = farewell;
        if (detail == null) {
            return;
        }
        farewell = null;
        try {
            long seq = sequence + 1;
            long now = System.currentTimeMillis();
            List<Subscriber> pendingOut = new ArrayList<>();
            for (int i = 0; i < feeds.size(); i++) {
                Feed feed = feeds.get(i);
                String words = feed.subject.name().equals(Protocol.SUBJECT_VM)
                                || feed.subject.name().equals(Protocol.SUBJECT_HOST)
                        ? detail
                        : detail + "; the agent watching " + feed.subject.name() + " stops with it";
                writer.buildFarewell(feed, seq, now, words);
                for (int j = feed.subscribers.size() - 1; j >= 0; j--) {
                    Subscriber s = feed.subscribers.get(j);
                    send(s, feed);
                    if (s.state == Subscriber.State.ACTIVE && s.out.position() > 0) {
                        pendingOut.add(s);
                    }
                }
            }
            sequence = seq;
            long end = System.nanoTime() + FAREWELL_DRAIN_NANOS;
            while (!pendingOut.isEmpty() && end - System.nanoTime() > 0) {
                selector.select(10);
                selector.selectedKeys().clear();
                for (int i = pendingOut.size() - 1; i >= 0; i--) {
                    Subscriber s = pendingOut.get(i);
                    if (s.state == Subscriber.State.ACTIVE) {
                        flush(s);
                    }
                    if (s.state != Subscriber.State.ACTIVE || s.out.position() == 0) {
                        pendingOut.remove(i);
                    }
                }
            }
        } catch (Throwable e) {
            // the JVM is going down: a farewell that cannot be said is a crash to the monitor
        }
    }

    /**
     * Reports a problem of the loop once, not once per interval, and returns it; after an {@link
     * Error} it waits a little, so that a loop that keeps failing cannot spin.
     */
    private static String report(Throwable e, String lastProblem) {
        String problem = lastProblem;
        try {
            problem = Log.describe(e);
            if (!problem.equals(lastProblem)) {
                Log.warn("heartbeat: " + problem);
            }
        } catch (Throwable ignored) {
            // memory too short even for the line
        }
        if (e instanceof Error) {
            try {
                LockSupport.parkNanos(ERROR_BACKOFF_NANOS);
            } catch (Throwable ignored) {
                // The first back-off of the thread links LockSupport, which may be a class still to
                // load when memory is short: the loop must go round rather than end.
            }
        }
        return problem;
    }

    private void beat() {
        sequence = sequence + 1;
        lastBeatMillis = System.currentTimeMillis();
        for (int i = feeds.size() - 1; i >= 0; i--) {
            Feed feed = feeds.get(i);
            if (feed.awaitingFirst && !feed.subject.ready()) {
                continue;
            }
            feed.awaitingFirst = false;
            if (build(feed, sequence, lastBeatMillis)) {
                fanOut(feed);
            }
        }
        Runnable after = afterBeat;
        if (after != null) {
            try {
                after.run();
            } catch (Throwable e) {
                // An OutOfMemoryError included: what follows the beat (a JMX notification, built
                // exactly when the JVM turns DEGRADED oom) must never send the beat loop into its
                // error back-off; it tries again after the next beat.
                try {
                    Log.debug("after the beat: " + Log.describe(e));
                } catch (Throwable ignored) {
                    // no memory even for the line
                }
            }
        }
    }

    /** After a process scan: the feeds that waited for it send their first beat, as of now. */
    private void firstBeats() {
        scanned = false;
        for (int i = feeds.size() - 1; i >= 0; i--) {
            Feed feed = feeds.get(i);
            if (feed.awaitingFirst && feed.subject.ready()) {
                feed.awaitingFirst = false;
                if (build(feed, sequence, System.currentTimeMillis())) {
                    fanOut(feed);
                }
            }
        }
    }

    private void removeFeed(Feed feed) {
        feeds.remove(feed);
        try {
            feed.subject.close();
        } catch (RuntimeException e) {
            Log.debug("closing " + feed.subject.name() + " failed: " + Log.describe(e));
        }
    }

    /**
     * Builds {@code feed}'s beat; false when it cannot be built, and then its subscribers have had
     * an error line and the feed is gone: one subject's failure is never another's problem, and
     * never the beat thread's.
     */
    private boolean build(Feed feed, long seq, long timeMillis) {
        try {
            writer.build(feed, seq, timeMillis);
            return true;
        } catch (RuntimeException e) {
            Log.debug("the beat of " + feed.subject.name() + " failed: " + Log.describe(e));
            for (int j = feed.subscribers.size() - 1; j >= 0; j--) {
                goodbye(
                        feed.subscribers.get(j),
                        "dropped: the beat of this subject cannot be built (" + Log.describe(e) + ")");
            }
            removeFeed(feed);
            return false;
        }
    }

    private void fanOut(Feed feed) {
        // Backwards: a subscriber that cannot keep up is removed from the list on the way.
        for (int i = feed.subscribers.size() - 1; i >= 0; i--) {
            send(feed.subscribers.get(i), feed);
        }
    }

    private void send(Subscriber s, Feed feed) {
        byte[] line = feed.line;
        int length = feed.length;
        if (s.nonceField != null) {
            length = writer.bind(feed, s.nonceField, bound);
            line = bound;
        }
        if (s.out.position() == 0) {
            sendDirect(s, line, length);
            return;
        }
        if (s.out.remaining() < length) {
            Log.debug("dropped a subscriber of " + feed.subject.name() + " that did not keep up");
            goodbye(
                    s,
                    "dropped: this connection did not read its beats (" + s.out.position()
                            + " bytes waited unread); connect again");
            return;
        }
        s.out.put(line, 0, length);
        flush(s);
    }

    /**
     * The usual case, a subscriber that keeps up: the beat goes to the socket from {@link #wire}, a
     * direct buffer, and only what the socket does not take now is queued in {@code s.out}. Writing
     * a heap buffer would make the JDK copy it through a temporary direct buffer of its own, which
     * costs more than the write itself on a beat thread that runs once a second.
     */
    private void sendDirect(Subscriber s, byte[] line, int length) {
        try {
            wire.clear();
            wire.put(line, 0, length);
            wire.flip();
            s.channel.write(wire);
        } catch (IOException e) {
            drop(s);
            return;
        }
        if (wire.hasRemaining()) {
            s.out.put(wire);
            interest(s);
        }
    }

    /** Writes what the socket takes now; asks for OP_WRITE while something is left. */
    private void flush(Subscriber s) {
        try {
            s.out.flip();
            s.channel.write(s.out);
            s.out.compact();
        } catch (IOException e) {
            drop(s);
            return;
        }
        interest(s);
    }

    /** Asks for OP_WRITE while {@code s.out} holds something; once a closing one is drained, sends FIN. */
    private void interest(Subscriber s) {
        boolean more = s.out.position() > 0;
        if (!s.key.isValid()) {
            return;
        }
        int ops = s.key.interestOps();
        int want = more ? ops | SelectionKey.OP_WRITE : ops & ~SelectionKey.OP_WRITE;
        if (want != ops) {
            s.key.interestOps(want);
        }
        if (!more && s.state == Subscriber.State.CLOSING) {
            try {
                // FIN after the error line; reading on until EOF keeps the kernel from sending an
                // RST that could destroy the line before the client reads it.
                s.channel.shutdownOutput();
            } catch (IOException e) {
                drop(s);
            }
        }
    }

    private void ready(SelectionKey key) {
        if (!key.isValid()) {
            return;
        }
        if (key.isAcceptable()) {
            accept();
            return;
        }
        Subscriber s = (Subscriber) key.attachment();
        if (key.isValid() && key.isWritable()) {
            flush(s);
        }
        if (key.isValid() && key.isReadable()) {
            read(s);
        }
    }

    private void accept() {
        for (int accepted = 0; accepted < MAX_ACCEPTS_PER_WAKEUP; accepted++) {
            if (!takeAcceptToken()) {
                return;
            }
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (IOException e) {
                Log.debug("accept failed: " + Log.describe(e));
                return;
            }
            if (ch == null) {
                return;
            }
            try {
                ch.configureBlocking(false);
                // A beat is one write of one line: send it now, not after Nagle's wait.
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                ch.setOption(StandardSocketOptions.SO_SNDBUF, SOCKET_SEND_BUFFER_BYTES);
                SelectionKey key = ch.register(selector, SelectionKey.OP_READ);
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(limits.firstLineTimeoutMs);
                Subscriber s = new Subscriber(ch, key, deadline);
                key.attach(s);
                if (subscribers + pending >= limits.maxSubscribers) {
                    refuse(s, "too many subscribers: this agent serves at most " + limits.maxSubscribers);
                } else if (pending >= limits.maxPending) {
                    refuse(s, "too many connections without a first line: at most " + limits.maxPending);
                } else {
                    pending++;
                    waiting.add(s);
                }
            } catch (IOException e) {
                closeQuietly(ch);
            }
        }
    }

    /**
     * One more connection accepted, within {@value #MAX_ACCEPTS_PER_SECOND} a second (a burst of as
     * many). Past that the server stops accepting until the next token is due: further connects
     * wait in the kernel's backlog, and once it is full the kernel refuses them, at no cost to the
     * host's CPU. Clients subscribing and leaving at full speed cost the host this many activations
     * a second, no more.
     */
    private boolean takeAcceptToken() {
        long now = System.nanoTime();
        acceptTokens = Math.min(
                MAX_ACCEPTS_PER_SECOND, acceptTokens + (now - acceptRefillNanos) * MAX_ACCEPTS_PER_SECOND / 1e9);
        acceptRefillNanos = now;
        if (acceptTokens >= 1) {
            acceptTokens -= 1;
            return true;
        }
        SelectionKey key = server.keyFor(selector);
        if (key != null && key.isValid()) {
            key.interestOps(0);
        }
        acceptResumeNanos = now + (long) ((1 - acceptTokens) * 1e9 / MAX_ACCEPTS_PER_SECOND);
        return false;
    }

    /** Accepts again once a token is due (see {@link #takeAcceptToken}). */
    private void resumeAccepting(long now) {
        if (acceptResumeNanos != 0 && now - acceptResumeNanos >= 0) {
            acceptResumeNanos = 0;
            SelectionKey key = server.keyFor(selector);
            if (key != null && key.isValid()) {
                key.interestOps(SelectionKey.OP_ACCEPT);
            }
        }
    }

    private void read(Subscriber s) {
        ByteBuffer into = s.state == Subscriber.State.PENDING ? s.in : scratch;
        int n;
        try {
            if (into == scratch) {
                scratch.clear();
            }
            n = s.channel.read(into);
        } catch (IOException e) {
            drop(s);
            return;
        }
        if (n < 0) {
            drop(s);
            return;
        }
        if (s.state != Subscriber.State.PENDING) {
            // Input after the first line means nothing: discard it, but a client that keeps
            // talking would keep this thread busy for nothing.
            s.discardedBytes += n;
            if (s.discardedBytes > MAX_DISCARDED_BYTES && s.state == Subscriber.State.ACTIVE) {
                Log.debug("dropped " + remote(s) + ": it sent more than " + MAX_DISCARDED_BYTES
                        + " bytes after its first line");
                goodbye(
                        s,
                        "dropped: this connection sent more than " + MAX_DISCARDED_BYTES
                                + " bytes after its first line");
            } else if (s.discardedBytes > MAX_DISCARDED_BYTES) {
                drop(s);
            }
            return;
        }
        String line = FirstLine.lineIn(s.in);
        if (line == null) {
            if (!s.in.hasRemaining()) {
                refuse(s, "first line longer than " + Protocol.MAX_LINE_BYTES + " bytes");
            }
            return;
        }
        Subject subject;
        FirstLine.Request asked;
        try {
            asked = FirstLine.parse(line);
            subject = asked.process == null ? defaultSubject : Subjects.process(asked.process, processes);
        } catch (IllegalArgumentException e) {
            refuse(s, e.getMessage());
            return;
        }
        if (writer.signed()) {
            if (asked.nonce == null || !writer.proves(asked.nonce, asked.process, asked.proof)) {
                refuse(s, NO_PROOF, Reason.AUTH);
                return;
            }
            if (usedNonces.putIfAbsent(asked.nonce, Boolean.TRUE) != null) {
                refuse(s, "this nonce was used before: a replayed first line", Reason.AUTH);
                return;
            }
            s.nonceField =
                    (",\"" + Protocol.F_NONCE + "\":\"" + asked.nonce + "\"").getBytes(StandardCharsets.US_ASCII);
        }
        activate(s, subject);
    }

    private void sweep(long now) {
        for (int i = waiting.size() - 1; i >= 0; i--) {
            Subscriber s = waiting.get(i);
            if (now - s.deadlineNanos < 0) {
                continue;
            }
            if (s.state == Subscriber.State.PENDING) {
                if (writer.signed()) {
                    refuse(s, NO_PROOF, Reason.AUTH); // with a secret, only a subscriber that proves it knows it
                } else {
                    activate(s, defaultSubject); // no first line in time: the default subject
                }
            } else {
                drop(s);
            }
        }
    }

    private void activate(Subscriber s, Subject subject) {
        waiting.remove(s);
        pending--;
        s.in = null;
        s.out = ByteBuffer.allocate(limits.subscriberBufferBytes);
        s.state = Subscriber.State.ACTIVE;
        Feed feed = null;
        for (int i = 0; i < feeds.size(); i++) {
            if (feeds.get(i).subject.name().equals(subject.name())) {
                feed = feeds.get(i);
                break;
            }
        }
        boolean fresh = feed == null;
        if (fresh) {
            feed = new Feed(subject);
            feeds.add(feed);
            subject.open();
        }
        s.feed = feed;
        feed.subscribers.add(s);
        subscribers = subscribers + 1;
        if (feed.awaitingFirst || !feed.subject.ready()) {
            // Its data is being fetched (a name's first scan): the first beat leaves once it is here.
            feed.awaitingFirst = true;
            Log.debug("subscriber " + remote(s) + " waits for " + subject.name());
            return;
        }
        if (fresh) {
            if (!build(feed, sequence, lastBeatMillis)) { // a beat at once, numbered like the latest
                return;
            }
        } else if (System.nanoTime() - feed.builtNanos > TimeUnit.MILLISECONDS.toNanos(intervalMs)) {
            // The feed's last beat is older than an interval: built before a pause or a collection
            // that a monitor reconnecting after its silence must hear of. Built anew, as of now.
            if (!build(feed, sequence, System.currentTimeMillis())) {
                return;
            }
        }
        Log.debug("subscriber " + remote(s) + " watches " + subject.name());
        send(s, feed); // the latest beat at once, then one per interval
    }

    /**
     * Stops sending beats to an active subscriber and tells it why in an error line, which it gets
     * if its socket still takes one within the grace period; the beats it has not taken are dropped.
     */
    private void goodbye(Subscriber s, String why) {
        s.feed.subscribers.remove(s);
        if (s.feed.subscribers.isEmpty()) {
            removeFeed(s.feed);
        }
        subscribers = subscribers - 1;
        s.state = Subscriber.State.CLOSED; // for refuse(): no longer counted anywhere
        refuse(s, why);
    }

    private void refuse(Subscriber s, String message) {
        refuse(s, message, null);
    }

    /**
     * Sends one error line, with {@code reason} when not null ({@code auth}: the subscriber did not
     * prove it knows the secret), then closes once the client has read it (or after a grace period).
     */
    private void refuse(Subscriber s, String message, String reason) {
        Log.debug("refused " + remote(s) + ": " + message);
        // A connection refused over the cap was never counted as pending.
        if (s.state == Subscriber.State.PENDING && waiting.remove(s)) {
            pending--;
        }
        s.in = null;
        // Messages may quote the client's input: keep the line far below the line limit.
        String text = message.length() > 200 ? message.substring(0, 200) + "..." : message;
        JsonLine error = new JsonLine(256).field(Protocol.F_ERROR, text);
        if (reason != null) {
            error.field(Protocol.F_REASON, reason);
        }
        byte[] line = (error.toJson() + "\n").getBytes(StandardCharsets.UTF_8);
        if (closing >= MAX_CLOSING) {
            // Under a flood of refused connections: the line, best effort, and no grace period.
            s.state = Subscriber.State.CLOSED;
            try {
                s.channel.write(ByteBuffer.wrap(line));
            } catch (IOException e) {
                // closing anyway
            }
            closeQuietly(s.channel);
            return;
        }
        s.state = Subscriber.State.CLOSING;
        s.deadlineNanos = System.nanoTime() + CLOSING_GRACE_NANOS;
        closing++;
        waiting.add(s);
        s.out = ByteBuffer.wrap(line);
        s.out.position(line.length);
        flush(s);
    }

    /** Closes the connection and forgets it, whatever its state. */
    private void drop(Subscriber s) {
        switch (s.state) {
            case PENDING:
                waiting.remove(s);
                pending--;
                break;
            case ACTIVE:
                s.feed.subscribers.remove(s);
                if (s.feed.subscribers.isEmpty()) {
                    removeFeed(s.feed);
                }
                subscribers = subscribers - 1;
                break;
            case CLOSING:
                waiting.remove(s);
                closing--;
                break;
            default:
                return; // already closed
        }
        s.state = Subscriber.State.CLOSED;
        s.key.cancel();
        closeQuietly(s.channel);
    }

    private void closeAll() {
        processes.close();
        for (SelectionKey key : selector.keys()) {
            closeQuietly(key.channel());
        }
        closeQuietly(selector);
        feeds.clear();
        waiting.clear();
        subscribers = 0;
        address = null;
    }

    private static String remote(Subscriber s) {
        try {
            return String.valueOf(s.channel.getRemoteAddress());
        } catch (IOException e) {
            return "?";
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            if (c != null) {
                c.close();
            }
        } catch (Exception e) {
            // closing: nothing to do about it
        }
    }

    // Named classes rather than method references: the server is made as the agent starts, where
    // a method reference would spin a hidden class in the host (see HbThreads).

    /** The beat thread. */
    private final class Loop implements Runnable {
        @Override
        public void run() {
            loop();
        }
    }

    /** What the selector calls for each ready key, without allocating. */
    private final class Ready implements Consumer<SelectionKey> {
        @Override
        public void accept(SelectionKey key) {
            if (firstReadyNanos == 0) {
                firstReadyNanos = System.nanoTime();
            }
            ready(key);
        }
    }
}
