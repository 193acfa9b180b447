package io.hbwatch.agent.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hbwatch.protocol.JsonParser;
import io.hbwatch.testing.AgentJvm;
import io.hbwatch.testing.BeatRecorder;
import io.hbwatch.testing.Http;
import io.hbwatch.testing.HttpAttacks;
import io.hbwatch.testing.apps.SleepApp;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The agent's Jolokia port under attack, one attack per JVM: the app lives, a heartbeat subscriber
 * gets every beat in time, the agent's threads stay within {@code jolokiaThreads} workers and one
 * deadline thread, a small heap is enough, the host's stderr hears nothing, and Jolokia answers a
 * real request once the attack is over (slow clients are cut off after {@code jolokiaTimeout}).
 */
class JolokiaAttackIT {
    /** Small enough that buffering an attacker's headers or body without bound would end the app. */
    private static final String SMALL_HEAP = "-Xmx32m";

    private static final long INTERVAL_MS = 200;
    private static final int THREADS = 2;

    @TempDir
    Path tmp;

    static Stream<String> attacks() {
        return HttpAttacks.NAMES.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attacks")
    void jolokiaServesAgainAndNoBeatIsMissed(String attack) throws Exception {
        try (AgentJvm app = AgentJvm.builder(tmp)
                .jvmArgs(SMALL_HEAP)
                .agentArgs("interval=" + INTERVAL_MS + "ms,jolokia=127.0.0.1:0,jolokiaThreads=" + THREADS
                        + ",jolokiaTimeout=1s")
                .main(SleepApp.class)
                .start()) {
            AgentJvm.Ports ports = app.awaitPorts();
            String url = "http://127.0.0.1:" + ports.jolokia() + "/jolokia/";
            app.awaitOutput("app: started");
            assertSequenceReadable(url);
            List<String> before = AgentThreads.settled(app.pid());
            try (BeatRecorder subscriber = BeatRecorder.start(ports.heartbeat())) {
                subscriber.awaitBeats(2);
                new HttpAttacks(ports.jolokia(), "/jolokia/").run(attack, 3_000);
                List<String> during = AgentThreads.of(app.pid());
                subscriber.awaitBeats(subscriber.count() + 2);

                assertTrue(app.process().isAlive(), app.stderr());
                // /proc cuts names at 15 characters: workers, dispatcher, idle timer and deadline
                // thread all read "hbwatch-jolokia".
                long jolokia = during.stream()
                        .filter(n -> n.startsWith("hbwatch-jolokia"))
                        .count();
                assertTrue(jolokia <= THREADS + 3, "Jolokia's threads: " + during);
                assertTrue(during.size() <= before.size() + THREADS + 1, before + " then " + during);
                subscriber.assertNoMissedBeat(Duration.ofMillis(10 * INTERVAL_MS));
            }
            // Slow clients were cut off: a real request is served again.
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertSequenceReadable(url));
            // Attacks are the client's problem, not lines in the host's stderr.
            assertEquals(1, AgentIT.hbwatchLines(app).size(), app.stderr());
            assertFalse(app.stderr().contains("Exception"), app.stderr());
            assertFalse(app.stderr().contains("WARNING"), app.stderr());
        }
    }

    /**
     * 300 slowloris connections, each sending a byte of its request head a second and reconnecting
     * when cut off, while a monitor reads the Heartbeat ten times a second (one retry on a fresh
     * connection when its kept one was closed, as monitor-cli does): at least 99% of its reads are
     * answered within its 1 s timeout. A slow request holds no worker.
     */
    @Test
    void slowlorisConnectionsDoNotStarveTheMonitor() throws Exception {
        try (AgentJvm app = AgentJvm.builder(tmp)
                .agentArgs("interval=" + INTERVAL_MS + "ms,jolokia=127.0.0.1:0,jolokiaThreads=" + THREADS)
                .main(SleepApp.class)
                .start()) {
            int port = app.awaitPorts().jolokia();
            String url = "http://127.0.0.1:" + port + "/jolokia/read/hbwatch:type=Heartbeat/Sequence";
            AtomicBoolean attacking = new AtomicBoolean(true);
            Thread attacker = new Thread(() -> slowloris(port, 300, attacking), "slowloris");
            attacker.setDaemon(true);
            attacker.start();
            try {
                Thread.sleep(2_000); // the 300 connections open and dripping, not a wait for a condition
                HttpClient client = HttpClient.newBuilder()
                        .connectTimeout(Duration.ofSeconds(1))
                        .build();
                int asked = 0;
                int answered = 0;
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
                while (System.nanoTime() - end < 0) {
                    asked++;
                    if (readOnce(client, url) || readOnce(client, url)) {
                        answered++;
                    }
                    Thread.sleep(100);
                }
                assertTrue(answered >= asked * 0.99, answered + " of " + asked + " reads answered in time");
            } finally {
                attacking.set(false);
                attacker.join(10_000);
            }
            assertEquals(1, AgentIT.hbwatchLines(app).size(), app.stderr());
        }
    }

    private static boolean readOnce(HttpClient client, String url) {
        try {
            HttpResponse<String> r = client.send(
                    HttpRequest.newBuilder(URI.create(url))
                            .timeout(Duration.ofSeconds(1))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 && r.body().contains("\"status\":200");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Keeps {@code count} connections dripping a request head, a byte a second each, reopening cut ones. */
    private static void slowloris(int port, int count, AtomicBoolean on) {
        byte[] head =
                "GET /jolokia/version HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII);
        Socket[] sockets = new Socket[count];
        int[] sent = new int[count];
        try {
            while (on.get()) {
                for (int i = 0; i < count && on.get(); i++) {
                    try {
                        if (sockets[i] == null) {
                            sockets[i] = new Socket("127.0.0.1", port);
                            sent[i] = 0;
                        }
                        sockets[i].getOutputStream().write(sent[i] < head.length ? head[sent[i]] : 'a');
                        sent[i]++;
                    } catch (IOException e) {
                        closeQuietly(sockets[i]);
                        sockets[i] = null;
                    }
                }
                Thread.sleep(1_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            for (Socket s : sockets) {
                closeQuietly(s);
            }
        }
    }

    private static void closeQuietly(Socket s) {
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                // closing
            }
        }
    }

    private static void assertSequenceReadable(String url) throws Exception {
        HttpResponse<String> r = Http.get(url + "read/hbwatch:type=Heartbeat/Sequence");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(200L, ((Number) JsonParser.parseObject(r.body()).get("status")).longValue(), r.body());
    }
}
