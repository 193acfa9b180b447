package io.hbwatch.testing.apps;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A JVM that falls sick on command, one line on stdin per command; each prints {@code app: WORD}
 * when it has done what it says. The commands:
 *
 * <ul>
 *   <li>{@code spiral}: fills the heap to about 90% with live data and keeps replacing it, a GC
 *       death spiral; {@code release} ends it.
 *   <li>{@code hold PERCENT}: live data to that share of the heap, then {@code System.gc()}; {@code
 *       release} frees it.
 *   <li>{@code churn}: allocates short-lived garbage fast for good, as a busy healthy app does.
 *   <li>{@code fullgc MILLIONS}: builds that many million live nodes and calls {@code System.gc()}.
 *   <li>{@code oom-heap}, {@code oom-metaspace}, {@code oom-direct}: a worker thread dies of that
 *       kind of {@code OutOfMemoryError}; {@code oom-caught}: the main thread catches one.
 *   <li>{@code storm SECONDS}: fills the heap, then for that long threads keep dying of {@code
 *       OutOfMemoryError}, then frees the heap; the agent's own threads have no memory either.
 *   <li>{@code deadlock}: two threads deadlock on monitors.
 *   <li>{@code fds N}: opens N more files and keeps them open.
 *   <li>{@code threads}: a thread starts sleeping threads until one cannot be created, and dies of
 *       it.
 *   <li>{@code spin}: a thread that burns CPU for good.
 *   <li>{@code calls}: calls {@link #work()} every 50 ms; {@code stop-calls} stops.
 * </ul>
 */
public final class SickApp {
    private static final List<Object> LIVE = new ArrayList<>();
    private static final List<Object> KEPT = new ArrayList<>();
    private static volatile boolean spiralling;
    private static volatile boolean calling;
    private static volatile long worked;

    private SickApp() {}

    public static void main(String[] args) throws Exception {
        say("ready");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            String[] w = line.trim().split("\\s+");
            switch (w[0]) {
                case "spiral":
                    spiral();
                    break;
                case "release":
                    spiralling = false;
                    synchronized (LIVE) {
                        LIVE.clear();
                    }
                    System.gc();
                    say("released");
                    break;
                case "hold":
                    hold(Integer.parseInt(w[1]));
                    break;
                case "churn":
                    daemon("churn", SickApp::churn);
                    say("churning");
                    break;
                case "fullgc":
                    fullGc(Integer.parseInt(w[1]));
                    break;
                case "oom-heap":
                    die(SickApp::fillHeap);
                    break;
                case "oom-metaspace":
                    die(SickApp::fillMetaspace);
                    break;
                case "oom-direct":
                    die(SickApp::fillDirect);
                    break;
                case "oom-caught":
                    try {
                        fillHeap();
                    } catch (OutOfMemoryError e) {
                        say("caught " + e.getMessage());
                    }
                    break;
                case "storm":
                    storm(Integer.parseInt(w[1]));
                    break;
                case "deadlock":
                    deadlock();
                    break;
                case "fds":
                    fds(Integer.parseInt(w[1]));
                    break;
                case "threads":
                    threads();
                    break;
                case "spin":
                    daemon("spin", SickApp::spin);
                    say("spinning");
                    break;
                case "calls":
                    calling = true;
                    daemon("caller", SickApp::call);
                    say("calling");
                    break;
                case "stop-calls":
                    calling = false;
                    say("stopped calls after " + worked);
                    break;
                default:
                    say("unknown " + line);
            }
        }
        Thread.sleep(Long.MAX_VALUE);
    }

    /** The method an {@code expect=} probe watches. */
    public static void work() {
        worked++;
    }

    private static void call() {
        while (calling) {
            work();
            sleep(50);
        }
    }

    private static void spiral() {
        spiralling = true;
        long max = Runtime.getRuntime().maxMemory();
        // Live data to about 90% of the heap, in 64 KiB pieces that are then replaced at random:
        // every collection finds almost everything alive and frees almost nothing.
        int pieces = (int) (max * 9 / 10 / 65_536);
        synchronized (LIVE) {
            for (int i = 0; i < pieces; i++) {
                LIVE.add(new byte[65_536 - 16]);
            }
        }
        daemon("spiral", () -> {
            ThreadLocalRandom r = ThreadLocalRandom.current();
            while (spiralling) {
                try {
                    synchronized (LIVE) {
                        if (!LIVE.isEmpty()) {
                            LIVE.set(r.nextInt(LIVE.size()), new byte[65_536 - 16]);
                        }
                    }
                } catch (OutOfMemoryError e) {
                    // part of the spiral: carry on
                }
            }
        });
        say("spiralling with " + pieces + " pieces");
    }

    /** Live data to {@code percent} of the heap's maximum, then a full collection that keeps it all. */
    private static void hold(int percent) {
        long want = Runtime.getRuntime().maxMemory() / 100 * percent;
        synchronized (LIVE) {
            for (long held = 0; held < want; held += 65_536) {
                LIVE.add(new byte[65_536 - 16]);
            }
        }
        System.gc();
        say("holding " + percent + "%");
    }

    private static void churn() {
        // Garbage that dies young as fast as one thread makes it, plus a cache of about 2 MB whose
        // entries live a while: busy young collections, a healthy old generation.
        Map<Integer, byte[]> cache = new LinkedHashMap<>(2048, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Integer, byte[]> eldest) {
                return size() > 2048;
            }
        };
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long n = 0;
        while (true) {
            byte[] b = new byte[256 + r.nextInt(4096)];
            b[0] = 1;
            if (++n % 64 == 0) {
                cache.put(r.nextInt(65_536), new byte[1024]);
            }
        }
    }

    private static void fullGc(int millions) {
        Object[] head = null;
        for (int i = 0; i < millions * 1_000_000; i++) {
            head = new Object[] {head};
        }
        KEPT.add(head);
        long t0 = System.nanoTime();
        System.gc();
        say("full gc done in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
    }

    private static void fillHeap() {
        List<long[]> hog = new ArrayList<>();
        while (true) {
            hog.add(new long[1 << 16]);
        }
    }

    private static void fillMetaspace() {
        byte[] bytes = classBytes(Tiny.class);
        List<ClassLoader> loaders = new ArrayList<>();
        while (true) {
            ClassLoader l = new ClassLoader(null) {
                @Override
                protected Class<?> findClass(String name) {
                    return defineClass(name, bytes, 0, bytes.length);
                }
            };
            try {
                l.loadClass(Tiny.class.getName());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
            loaders.add(l);
        }
    }

    private static void fillDirect() {
        List<ByteBuffer> buffers = new ArrayList<>();
        while (true) {
            buffers.add(ByteBuffer.allocateDirect(1 << 20));
        }
    }

    /** Runs {@code task} in a worker thread that dies of what it throws. */
    private static void die(Runnable task) throws InterruptedException {
        Thread t = new Thread(task, "doomed-worker");
        t.start();
        t.join();
        System.gc();
        say("worker died");
    }

    private static void storm(int seconds) throws InterruptedException {
        // Workers that fill the heap between them and keep failing to allocate: while it lasts,
        // every allocation in the JVM fails, the agent's own included.
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        java.util.concurrent.atomic.AtomicInteger died = new java.util.concurrent.atomic.AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Thread t = new Thread(() -> stormWorker(end, died), "storm-" + i);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        System.gc();
        say("storm over after " + died.get() + " deaths");
    }

    /** Allocates until the storm ends, catching its errors; then lets one end the thread. */
    private static void stormWorker(long end, java.util.concurrent.atomic.AtomicInteger died) {
        List<long[]> hog = new ArrayList<>();
        while (System.nanoTime() < end) {
            try {
                hog.add(new long[1 << 14]);
            } catch (OutOfMemoryError e) {
                // caught ones: the VM counts them
            }
        }
        hog = null;
        died.incrementAndGet();
        long[] tooBig = new long[Integer.MAX_VALUE / 2]; // the VM's own Java heap space error, uncaught
        say("never " + tooBig.length);
    }

    private static void deadlock() throws InterruptedException {
        Object one = new Object();
        Object two = new Object();
        CountDownLatch both = new CountDownLatch(2);
        daemon("sick-deadlock-a", () -> cross(one, two, both));
        daemon("sick-deadlock-b", () -> cross(two, one, both));
        both.await();
        say("deadlocked");
    }

    private static void cross(Object first, Object second, CountDownLatch both) {
        synchronized (first) {
            both.countDown();
            try {
                both.await();
            } catch (InterruptedException e) {
                return;
            }
            synchronized (second) {
                say("not deadlocked after all");
            }
        }
    }

    private static void fds(int n) throws IOException {
        Path dir = Files.createTempDirectory("sick-fds");
        for (int i = 0; i < n; i++) {
            Path f = dir.resolve("f" + i);
            KEPT.add(new RandomAccessFile(f.toFile(), "rw"));
        }
        say("opened " + n);
    }

    /** A spawner thread starts sleeping threads until the OS refuses one; the error ends it. */
    private static void threads() throws InterruptedException {
        int[] n = {0};
        Thread spawner = new Thread(
                () -> {
                    while (true) {
                        daemon("sleeper-" + n[0], () -> sleep(Long.MAX_VALUE));
                        n[0]++;
                    }
                },
                "spawner");
        spawner.start();
        spawner.join();
        say("threads stopped at " + n[0]);
    }

    private static void spin() {
        long x = 0;
        while (true) {
            x += System.nanoTime() % 7;
            if (x == 42) {
                say("never");
            }
        }
    }

    private static Thread daemon(String name, Runnable task) {
        Thread t = new Thread(task, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleepNanos(long nanos) {
        java.util.concurrent.locks.LockSupport.parkNanos(nanos);
    }

    private static byte[] classBytes(Class<?> c) {
        try (InputStream in =
                c.getResourceAsStream(c.getName().substring(c.getName().lastIndexOf('.') + 1) + ".class")) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static synchronized void say(String what) {
        System.out.println("app: " + what);
        System.out.flush();
    }

    /** A class defined again and again, each time in a loader of its own, to fill Metaspace. */
    public static final class Tiny {
        public int value;
    }
}
