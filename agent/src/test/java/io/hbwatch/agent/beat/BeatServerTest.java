package io.hbwatch.agent.beat;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hbwatch.agent.subject.Subject;
import io.hbwatch.protocol.JsonLine;
import io.hbwatch.testing.BeatClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The beat server over real loopback sockets, in this JVM. */
class BeatServerTest {
    /** A subject that counts how often it is asked and pads its beats to {@code padding} chars. */
    static final class CountingSubject implements Subject {
        final AtomicInteger built = new AtomicInteger();
        final String padding;

        CountingSubject(int padding) {
            this.padding = "x".repeat(padding);
        }

        @Override
        public String name() {
            return "test";
        }

        @Override
        public void writeTo(JsonLine beat) {
            built.incrementAndGet();
            beat.field("status", "UP").field("pad", padding);
        }
    }

    private BeatServer server;

    private int start(Subject subject, long intervalMs, int maxSubscribers) throws IOException {
        return start(subject, intervalMs, new Limits(maxSubscribers, maxSubscribers, 500, 16 * 1024));
    }

    private int start(Subject subject, long intervalMs, Limits limits) throws IOException {
        server = new BeatServer(subject, intervalMs, limits, "0123456789abcdef");
        InetSocketAddress a = server.listen("127.0.0.1", 0);
        server.start();
        return a.getPort();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aBeatAtOnceThenOneEveryIntervalWithCountingSeq() throws IOException {
        int port = start(new CountingSubject(0), 100, 8);
        try (BeatClient c = BeatClient.connect(port, "{}")) {
            Map<String, Object> first = c.next();
            assertEquals(1L, first.get("v"));
            assertEquals("0123456789abcdef", first.get("instance"));
            assertEquals("test", first.get("subject"));
            assertEquals(100L, first.get("interval"));
            assertEquals("UP", first.get("status"));
            assertTrue((Long) first.get("time") > 1_600_000_000_000L);
            long seq = (Long) first.get("seq");
            for (int i = 1; i <= 3; i++) {
                assertEquals(seq + i, c.next().get("seq"));
            }
        }
    }

    @Test
    void theBeatThreadWakesAtLeastEveryResolutionAndSaysHowLate() throws Exception {
        start(new CountingSubject(0), 60_000, 8); // one beat a minute: any other wake-up is the resolution's
        AtomicInteger wakes = new AtomicInteger();
        AtomicLong latest = new AtomicLong(Long.MIN_VALUE);
        server.measureLateness(new BeatServer.Lateness() {
            @Override
            public void woke(long late, long now) {
                wakes.incrementAndGet();
                latest.accumulateAndGet(late, Math::max);
            }

            @Override
            public long resolutionMs() {
                return 20;
            }
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> wakes.get() >= 10);
        // A real stop of every thread: a full collection over a few million live objects.
        Object[] live = new Object[2_000_000];
        for (int i = 0; i < live.length; i++) {
            live[i] = new int[] {i};
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            System.gc();
            return latest.get() >= 1_000_000L;
        });
        assertNotNull(live[live.length - 1]);
    }

    @Test
    void withoutAFirstLineTheDefaultSubjectFollowsTheTimeout() throws IOException {
        int port = start(new CountingSubject(0), 100, 8);
        try (BeatClient c = BeatClient.connect(port)) {
            assertEquals("test", c.next().get("subject"));
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "garbage",
                "{\"pid\":true}",
                "{\"pid\":\"\"}",
                "{\"pid\":-3}",
                "[1]",
                "{\"pid\":\"1\"",
                "{\"pid\":\"99999999999999999999999999999999999999999999999999\"}"
            })
    void aBadFirstLineGetsOneErrorLineThenTheEnd(String line) throws IOException {
        int port = start(new CountingSubject(0), 100, 8);
        try (BeatClient c = BeatClient.connect(port, line)) {
            Map<String, Object> error = c.next();
            assertNotNull(error.get("error"), error.toString());
            assertEquals(1, error.size());
            assertTrue(c.endsSoon());
        }
    }

    @Test
    void aFirstLineOverFourKibibytesGetsAnErrorLine() throws IOException {
        int port = start(new CountingSubject(0), 100, 8);
        try (BeatClient c = BeatClient.connect(port)) {
            c.send("{\"pid\":\"" + "a".repeat(5000) + "\"}\n");
            assertEquals("first line longer than 4096 bytes", c.next().get("error"));
            assertTrue(c.endsSoon());
        }
    }

    @Test
    void overTheCapTheNextSubscriberGetsAnErrorLine() throws IOException {
        int port = start(new CountingSubject(0), 100, 2);
        try (BeatClient a = BeatClient.connect(port, "{}");
                BeatClient b = BeatClient.connect(port, "{}")) {
            a.next();
            b.next();
            for (int i = 0; i < 3; i++) { // refusing one must not make room for another
                try (BeatClient c = BeatClient.connect(port, "{}")) {
                    assertEquals(
                            "too many subscribers: this agent serves at most 2",
                            c.next().get("error"));
                    assertTrue(c.endsSoon());
                }
            }
            a.close();
            await().atMost(Duration.ofSeconds(10)).until(() -> server.subscribers() == 1);
            try (BeatClient d = BeatClient.connect(port, "{}")) {
                assertEquals("test", d.next().get("subject"));
            }
        }
    }

    @Test
    void oneBeatIsBuiltPerIntervalHoweverManyWatch() throws IOException {
        CountingSubject subject = new CountingSubject(0);
        int port = start(subject, 50, 8);
        try (BeatClient a = BeatClient.connect(port, "{}");
                BeatClient b = BeatClient.connect(port, "{}");
                BeatClient c = BeatClient.connect(port, "{}")) {
            long firstSeq = (Long) a.next().get("seq");
            b.next();
            c.next();
            long lastSeq = 0;
            for (int i = 0; i < 10; i++) {
                lastSeq = (Long) a.next().get("seq");
                b.next();
                c.next();
            }
            // One build per beat, plus the one at once for the first subscriber.
            assertTrue(subject.built.get() <= server.sequence() - firstSeq + 2, subject.built + " builds");
            assertTrue(lastSeq >= firstSeq + 10);
        }
    }

    @Test
    void aSubscriberThatStopsReadingIsDroppedWhileOthersGetEveryBeat() throws Exception {
        // Big beats, fast: the stalled reader's buffers fill within a second or two.
        int port = start(new CountingSubject(3000), 10, 8);
        Socket stalled = new Socket();
        stalled.setReceiveBufferSize(4096);
        stalled.connect(new InetSocketAddress("127.0.0.1", port));
        stalled.getOutputStream().write("{}\n".getBytes());
        List<Long> seqs = new CopyOnWriteArrayList<>();
        AtomicBoolean done = new AtomicBoolean();
        try (BeatClient fast = BeatClient.connect(port, "{}")) {
            Thread reader = new Thread(() -> {
                try {
                    while (!done.get()) {
                        seqs.add((Long) fast.next().get("seq"));
                    }
                } catch (IOException e) {
                    // closed at the end of the test
                }
            });
            reader.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> server.subscribers() == 1);
            int seen = seqs.size();
            await().atMost(Duration.ofSeconds(10)).until(() -> seqs.size() > seen + 20);
            done.set(true);
            reader.join(10_000);
        } finally {
            stalled.close();
        }
        for (int i = 1; i < seqs.size(); i++) {
            assertEquals(seqs.get(i - 1) + 1, seqs.get(i), "the fast subscriber missed a beat: " + seqs);
        }
    }

    @Test
    void closeEndsTheThreadAndEveryConnection() throws IOException {
        int port = start(new CountingSubject(0), 100, 8);
        try (BeatClient c = BeatClient.connect(port, "{}")) {
            c.next();
            server.close();
            assertTrue(c.endsSoon());
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().equals("hbwatch-beat")));
        assertFalse(server.address() != null);
    }

    @Test
    void aSubscriberThatKeepsTalkingAfterItsFirstLineIsDropped() throws IOException {
        int port = start(new CountingSubject(0), 100, 8);
        try (BeatClient c = BeatClient.connect(port, "{}")) {
            c.next();
            c.send("\n".repeat(BeatServer.MAX_DISCARDED_BYTES / 2)); // a little is ignored
            c.next();
            assertEquals(1, server.subscribers());
            try {
                c.send("x".repeat(BeatServer.MAX_DISCARDED_BYTES));
            } catch (IOException e) {
                // already dropped
            }
            assertTrue(c.endsSoon());
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> server.subscribers() == 0);
    }

    @Test
    void overThePendingCapTheNextConnectionGetsAnErrorLine() throws IOException {
        int port = start(new CountingSubject(0), 100, new Limits(8, 2, 5_000, 16 * 1024));
        try (BeatClient a = BeatClient.connect(port);
                BeatClient b = BeatClient.connect(port);
                BeatClient c = BeatClient.connect(port)) {
            assertEquals(
                    "too many connections without a first line: at most 2",
                    c.next().get("error"));
            a.send("{}\n"); // a first line frees its place
            assertEquals("test", a.next().get("subject"));
            try (BeatClient d = BeatClient.connect(port, "{}")) {
                assertEquals("test", d.next().get("subject"));
            }
        }
    }

    @Test
    void theFirstLineTimeoutIsAnOption() throws IOException {
        int port = start(new CountingSubject(0), 10_000, new Limits(8, 8, 50, 16 * 1024));
        try (BeatClient c = BeatClient.connect(port)) {
            c.socket().setSoTimeout(400); // far less than the protocol's default 500 ms
            assertEquals("test", c.next().get("subject"));
        }
    }

    @org.junit.jupiter.api.RepeatedTest(20)
    void instanceIdsAreSixteenHexDigits() {
        String id = BeatServer.newInstanceId();
        org.junit.jupiter.api.Assertions.assertTrue(id.matches("[0-9a-f]{16}"), id);
    }
}
