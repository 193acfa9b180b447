package io.hbwatch.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hostile clients of a TCP port on loopback, for tests and the soak ({@code bench/soak.sh}). Each
 * attack is bounded in connections and in time, and swallows the errors its own abuse provokes
 * (resets, broken pipes): the point is what happens to the server.
 *
 * <p>{@code java -cp agent/target/test-classes io.hbwatch.testing.Attacks PORT SECONDS} runs them
 * all in turn, round after round, for that long.
 */
public final class Attacks {
    /** Every attack by name, in the order {@link #main} runs them. */
    public static final List<String> NAMES = List.of(
            "random-bytes",
            "megabyte-line",
            "silent",
            "resets",
            "connect-flood",
            "chatty-subscriber",
            "slow-drip",
            "long-name",
            "separator-name",
            "subscribe-churn");

    /** A process name of 3,920 characters: once, a beat too long for its line. */
    public static final String LONG_NAME = "x".repeat(3_920);
    /** 700 line separators, 2.1 KB of UTF-8 and more escaped: once, the same. */
    public static final String SEPARATOR_NAME = "\u2028".repeat(700);

    private static final long CONNECT_TIMEOUT_MS = 5_000;

    private final int port;
    private final Random random = new Random(42);
    /** Connections made so far, over every attack. */
    public final AtomicLong connections = new AtomicLong();

    public Attacks(int port) {
        this.port = port;
    }

    /** Runs the attack of that name, one of {@link #NAMES}, for about {@code millis}. */
    public void run(String name, long millis) throws InterruptedException {
        switch (name) {
            case "random-bytes":
                randomBytes(100, 8192);
                break;
            case "megabyte-line":
                megabyteLines(8);
                break;
            case "silent":
                silent(300, millis);
                break;
            case "resets":
                resets(300);
                break;
            case "connect-flood":
                connectFlood(millis);
                break;
            case "chatty-subscriber":
                chattySubscriber(millis);
                break;
            case "slow-drip":
                slowDrip(20, millis);
                break;
            case "long-name":
                subscribeLoop(List.of(LONG_NAME), millis);
                break;
            case "separator-name":
                subscribeLoop(List.of(SEPARATOR_NAME), millis);
                break;
            case "subscribe-churn":
                subscribeLoop(List.of("sleep", "java", "no-such-process", "1"), millis);
                break;
            default:
                throw new IllegalArgumentException("no attack " + name + "; known: " + NAMES);
        }
    }

    /** {@code count} connections that each send {@code bytes} random bytes, then read to the end. */
    public void randomBytes(int count, int bytes) {
        byte[] junk = new byte[bytes];
        for (int i = 0; i < count; i++) {
            random.nextBytes(junk);
            try (Socket s = open()) {
                s.getOutputStream().write(junk);
                drain(s, 2_000);
            } catch (IOException e) {
                // a reset is a fine answer to junk
            }
        }
    }

    /** {@code count} connections that each send one mebibyte with no newline. */
    public void megabyteLines(int count) {
        byte[] chunk = new byte[64 * 1024];
        java.util.Arrays.fill(chunk, (byte) 'a');
        for (int i = 0; i < count; i++) {
            try (Socket s = open()) {
                OutputStream out = s.getOutputStream();
                for (int k = 0; k < 16; k++) {
                    out.write(chunk);
                }
                drain(s, 2_000);
            } catch (IOException e) {
                // the server may close before the mebibyte is through: that is the point
            }
        }
    }

    /** {@code count} connections opened at once and left silent (no write, no read) for {@code millis}. */
    public void silent(int count, long millis) throws InterruptedException {
        List<Socket> open = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                try {
                    open.add(open());
                } catch (IOException e) {
                    // backlog full: a refused connect is part of the picture
                }
            }
            Thread.sleep(millis);
        } finally {
            open.forEach(Attacks::closeQuietly);
        }
    }

    /** {@code count} connections closed with a reset (SO_LINGER 0): at once, mid-line, or as subscribers. */
    public void resets(int count) {
        for (int i = 0; i < count; i++) {
            try {
                Socket s = open();
                s.setSoLinger(true, 0);
                switch (i % 3) {
                    case 1:
                        s.getOutputStream().write("{\"pid\":\"12".getBytes(StandardCharsets.UTF_8));
                        break;
                    case 2:
                        s.getOutputStream().write("{}\n".getBytes(StandardCharsets.UTF_8));
                        s.setSoTimeout(2_000); // on a port that does not answer "{}" (HTTP), give up
                        s.getInputStream().read();
                        break;
                    default:
                        break;
                }
                s.close();
            } catch (IOException e) {
                // refused or reset first: fine
            }
        }
    }

    /** As many connect-and-close cycles as four threads manage in {@code millis}. */
    public void connectFlood(long millis) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread th = new Thread(
                    () -> {
                        while (System.nanoTime() - end < 0) {
                            try {
                                open().close();
                            } catch (IOException e) {
                                // backlog full: keep flooding
                            }
                        }
                    },
                    "attack-flood-" + t);
            th.setDaemon(true);
            th.start();
            threads.add(th);
        }
        for (Thread th : threads) {
            th.join(millis + 10_000);
        }
    }

    /** One subscriber that, after its first line, sends as fast as it can for {@code millis}. */
    public void chattySubscriber(long millis) {
        byte[] chunk = new byte[16 * 1024];
        java.util.Arrays.fill(chunk, (byte) '\n');
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        try (Socket s = open()) {
            s.setSoTimeout((int) Math.max(1, millis));
            OutputStream out = s.getOutputStream();
            out.write("{}\n".getBytes(StandardCharsets.UTF_8));
            while (System.nanoTime() - end < 0) {
                out.write(chunk);
            }
        } catch (IOException e) {
            // dropped by the server: the expected end
        }
    }

    /** {@code count} clients that drip their first line one byte every 100 ms for {@code millis}. */
    public void slowDrip(int count, long millis) throws InterruptedException {
        List<Socket> open = new ArrayList<>();
        byte[] line = "{\"pid\":\"1\"}".getBytes(StandardCharsets.UTF_8);
        try {
            for (int i = 0; i < count; i++) {
                try {
                    open.add(open());
                } catch (IOException e) {
                    // fine
                }
            }
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            for (int k = 0; System.nanoTime() - end < 0; k++) {
                for (Socket s : open) {
                    try {
                        s.getOutputStream().write(line[k % line.length]);
                    } catch (IOException e) {
                        // closed by the server
                    }
                }
                Thread.sleep(100);
            }
        } finally {
            open.forEach(Attacks::closeQuietly);
        }
    }

    /**
     * Connects, asks for one of {@code names} (in turn), reads one line and closes, as fast as it
     * can for {@code millis}: each name is a fresh subscription.
     */
    public void subscribeLoop(List<String> names, long millis) {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        for (int i = 0; System.nanoTime() - end < 0; i++) {
            try (Socket s = open()) {
                s.setSoTimeout(5_000);
                String name = names.get(i % names.size());
                s.getOutputStream()
                        .write(("{\"pid\":" + io.hbwatch.protocol.JsonLine.quote(name) + "}\n")
                                .getBytes(StandardCharsets.UTF_8));
                s.getInputStream().read(new byte[4096]);
            } catch (IOException e) {
                // refused or reset: the attacker's problem
            }
        }
    }

    /** A new connection to the port, counted in {@link #connections}. */
    Socket open() throws IOException {
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress("127.0.0.1", port), (int) CONNECT_TIMEOUT_MS);
        } catch (IOException e) {
            s.close();
            throw e;
        }
        connections.incrementAndGet();
        return s;
    }

    /** Reads until the end of the stream, a reset, or {@code millis} in all (junk may pass for a subscriber). */
    static void drain(Socket s, int millis) throws IOException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        InputStream in = s.getInputStream();
        byte[] buf = new byte[4096];
        try {
            long left;
            while ((left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())) > 0) {
                s.setSoTimeout((int) left);
                if (in.read(buf) < 0) {
                    return;
                }
            }
        } catch (java.net.SocketTimeoutException e) {
            // the server kept it open: fine
        }
    }

    static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing
        }
    }

    /**
     * Runs every attack (or those named, comma-separated, in {@code args[2]}) in turn, round after
     * round, for {@code args[1]} seconds against port {@code args[0]}.
     */
    public static void main(String[] args) throws InterruptedException {
        int port = Integer.parseInt(args[0]);
        long seconds = Long.parseLong(args[1]);
        List<String> names = args.length > 2 ? List.of(args[2].split(",")) : NAMES;
        Attacks attacks = new Attacks(port);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        int rounds = 0;
        while (System.nanoTime() - end < 0) {
            for (String name : names) {
                if (System.nanoTime() - end >= 0) {
                    break;
                }
                attacks.run(name, 2_000);
            }
            rounds++;
            System.out.println("attacks: round " + rounds + " done, " + attacks.connections.get() + " connections");
        }
    }
}
