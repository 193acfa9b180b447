package io.hbwatch.bench;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

/**
 * What a thread that only wakes and sleeps again costs, per wake-up, at several periods at once
 * (one thread each): the floor under every periodic thread of the agent. A period alone ({@code
 * 200}) parks the thread as the agent's periodic checks do; {@code select:1000} sleeps in a
 * selector as the beat thread does; {@code write:1000} also writes a 315-byte line to a loopback
 * connection that another thread reads, as a beat to one subscriber: together the floor under one
 * beat a second. {@code parkwrite:1000} writes the same line from a parked thread, as a beat
 * thread that left its selector to another thread would. CPU from {@code /proc/self/task/TID/schedstat} (Linux). Run through {@code
 * bench/beat-path.sh}.
 *
 * <p>Arguments: the window in seconds, then the kinds and periods in milliseconds.
 */
public final class WakeCost {
    private WakeCost() {}

    public static void main(String[] args) throws Exception {
        int seconds = Integer.parseInt(args[0]);
        int n = args.length - 1;
        long[] periods = new long[n];
        String[] kinds = new String[n];
        long[] tids = new long[n];
        for (int i = 0; i < n; i++) {
            String[] kindAndPeriod = args[i + 1].split(":");
            kinds[i] = kindAndPeriod.length > 1 ? kindAndPeriod[0] : "park";
            periods[i] = Long.parseLong(kindAndPeriod[kindAndPeriod.length - 1]);
            int at = i;
            SocketChannel out = kinds[i].endsWith("write") ? loopbackWithReader() : null;
            Thread t = new Thread(() -> {
                tids[at] = currentTid();
                long periodNanos = periods[at] * 1_000_000L;
                try (Selector selector = Selector.open()) {
                    ByteBuffer line = ByteBuffer.allocateDirect(315);
                    while (true) {
                        if (kinds[at].startsWith("park")) {
                            LockSupport.parkNanos(periodNanos);
                        } else {
                            selector.select(periods[at]);
                        }
                        if (out != null) {
                            line.clear();
                            line.put(314, (byte) '\n');
                            out.write(line);
                        }
                    }
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            t.setDaemon(true);
            t.start();
        }
        Thread.sleep(3000); // every thread has its id and has woken a few times
        long[] before = new long[n];
        for (int i = 0; i < n; i++) {
            before[i] = onCpuNanos(tids[i]);
        }
        Thread.sleep(seconds * 1000L);
        for (int i = 0; i < n; i++) {
            long nanos = onCpuNanos(tids[i]) - before[i];
            double wakes = seconds * 1000.0 / periods[i];
            System.out.printf(
                    Locale.ROOT,
                    "a thread waking every %d ms (%s): %.4f%% of a core, %.1f us per wake-up (%d s)%n",
                    periods[i],
                    kinds[i],
                    100.0 * nanos / (seconds * 1e9),
                    nanos / wakes / 1000.0,
                    seconds);
        }
    }

    /** A connected loopback socket whose other end a daemon thread reads and discards. */
    private static SocketChannel loopbackWithReader() throws java.io.IOException {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            SocketChannel out = SocketChannel.open(server.getLocalAddress());
            SocketChannel in = server.accept();
            Thread reader = new Thread(() -> {
                ByteBuffer sink = ByteBuffer.allocate(4096);
                try {
                    while (in.read(sink) >= 0) {
                        sink.clear();
                    }
                } catch (java.io.IOException e) {
                    // the benchmark ends
                }
            });
            reader.setDaemon(true);
            reader.start();
            return out;
        }
    }

    private static long currentTid() {
        try {
            return Long.parseLong(Files.readSymbolicLink(Paths.get("/proc/thread-self"))
                    .getFileName()
                    .toString());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long onCpuNanos(long tid) throws java.io.IOException {
        return Long.parseLong(Files.readString(Paths.get("/proc/self/task/" + tid + "/schedstat"))
                .split(" ")[0]);
    }
}
