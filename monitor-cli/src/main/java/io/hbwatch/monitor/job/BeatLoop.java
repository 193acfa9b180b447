package io.hbwatch.monitor.job;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Every heartbeat stream of the run on one thread ({@code monitor-beats}): one NIO selector for the
 * connections and one queue of timers for the deadlines, reconnects and connect timeouts. A
 * thousand streams cost one thread, a 4 KiB read buffer shared by all, and each stream's own line
 * buffer.
 *
 * <p>Thread-safe entry points: {@link #add} and {@link #close} may be called from any thread; all
 * else runs on the loop's thread.
 */
final class BeatLoop implements AutoCloseable {
    private final Selector selector;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private final List<BeatStream> streams = new ArrayList<>();
    private final ByteBuffer readBuffer = ByteBuffer.allocate(io.hbwatch.protocol.Protocol.MAX_LINE_BYTES);
    private final Thread thread;
    private volatile boolean closed;
    private long timerSeq;

    /** A timer: at {@code dueNanos}, {@code action} runs unless {@code stream} has armed another since. */
    private record Timer(long dueNanos, long seq, BeatStream stream, long generation, Runnable action)
            implements Comparable<Timer> {
        @Override
        public int compareTo(Timer o) {
            int c = Long.compare(dueNanos - o.dueNanos, 0);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    BeatLoop() {
        try {
            selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector", e);
        }
        thread = new Thread(this::loop, "monitor-beats");
        thread.setDaemon(true);
        thread.start();
    }

    /** What a selection key is attached to: told when its channel is ready. Loop thread only. */
    interface Ready {
        void ready(SelectionKey key);
    }

    /** Starts watching one heartbeat stream. */
    void add(HeartbeatJob job, JobContext ctx) {
        tasks.add(() -> {
            BeatStream s = new BeatStream(this, job, ctx);
            streams.add(s);
            s.open();
        });
        selector.wakeup();
    }

    /** Ends the stream of {@code ctx}, if any: its connections close, and it is forgotten. */
    void remove(JobContext ctx) {
        tasks.add(() -> {
            for (int i = streams.size() - 1; i >= 0; i--) {
                if (streams.get(i).ctx() == ctx) {
                    streams.remove(i).finish();
                }
            }
        });
        selector.wakeup();
    }

    Selector selector() {
        return selector;
    }

    /** The read buffer every stream shares (the loop reads one at a time). */
    ByteBuffer readBuffer() {
        return readBuffer;
    }

    /** Runs {@code action} at {@code dueNanos} unless {@code stream} arms another timer first. Loop thread only. */
    void arm(BeatStream stream, long dueNanos, Runnable action) {
        timers.add(new Timer(dueNanos, timerSeq++, stream, stream.newTimerGeneration(), action));
    }

    private void loop() {
        try {
            while (!closed) {
                Runnable task;
                while ((task = tasks.poll()) != null) {
                    task.run();
                }
                long waitMs = fireDueTimers();
                selector.select(waitMs);
                handleSelected();
            }
        } catch (IOException | RuntimeException | Error e) {
            // A bug, not a target's fault: say so once; the streams' missing results make exit 3.
            if (!streams.isEmpty()) {
                streams.get(0).ctx().internalError("monitor-cli: internal error in the hb job: " + e);
            }
            for (BeatStream s : streams) {
                s.finish();
            }
        } finally {
            for (BeatStream s : streams) {
                s.closeChannel();
            }
            try {
                selector.close();
            } catch (IOException e) {
                // closing at the end: nothing to report
            }
        }
    }

    private void handleSelected() {
        for (SelectionKey key : selector.selectedKeys()) {
            if (key.isValid()) {
                ((Ready) key.attachment()).ready(key);
            }
        }
        selector.selectedKeys().clear();
    }

    /**
     * Runs the timers that are due; returns how long the selector may wait for the next (0: forever).
     * Reads what is ready first: after this thread was held up (a stall of the monitor's own), the
     * beats that came meanwhile must be read before any deadline is judged.
     */
    private long fireDueTimers() throws IOException {
        boolean polled = false;
        while (!timers.isEmpty()) {
            Timer t = timers.peek();
            long left = t.dueNanos - System.nanoTime();
            if (left > 0) {
                return Math.max(1, (left + 999_999) / 1_000_000);
            }
            if (!polled) {
                polled = true;
                selector.selectNow();
                handleSelected();
                continue;
            }
            timers.poll();
            if (t.generation == t.stream.timerGeneration() && !t.stream.finished()) {
                try {
                    t.action.run();
                } catch (RuntimeException e) {
                    t.stream.internalError(e);
                }
            }
        }
        return 0;
    }

    /** Stops the loop, closing every connection. Idempotent; returns at once. */
    @Override
    public void close() {
        closed = true;
        selector.wakeup();
    }
}
