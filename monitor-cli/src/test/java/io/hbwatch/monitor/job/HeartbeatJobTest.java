package io.hbwatch.monitor.job;

import static io.hbwatch.monitor.support.FakeServer.beat;
import static io.hbwatch.monitor.support.FakeServer.beats;
import static io.hbwatch.monitor.support.FakeServer.holdOpen;
import static io.hbwatch.monitor.support.FakeServer.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hbwatch.monitor.support.BackgroundRun;
import io.hbwatch.monitor.support.CliRun;
import io.hbwatch.monitor.support.FakeServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** {@code --job hb} against fake servers on real loopback sockets: every way a peer can misbehave. */
class HeartbeatJobTest {

    private static void assertNoStackTrace(CliRun run) {
        assertFalse(run.err().contains("Exception") || run.out().contains("\tat "), run::toString);
    }

    @Test
    void beatsAreUpAndCountEndsTheRunWithZero() throws Exception {
        try (FakeServer server = new FakeServer((s, n) -> beats(s, 1, 100, 50, "a"))) {
            // --timeout: three 50 ms intervals would be too tight a bound for a loaded machine
            CliRun run = CliRun.of(server.target(), "--count", "3", "--format", "json", "--timeout", "5s");
            assertEquals(0, run.exitCode(), run::toString);
            List<Map<String, Object>> events = run.events();
            assertEquals(1, events.size(), run::toString);
            Map<String, Object> e = events.get(0);
            assertEquals("hb", e.get("job"));
            assertEquals(server.target(), e.get("target"));
            assertEquals("vm", e.get("subject"));
            assertEquals("UP", e.get("state"));
            assertEquals("first beat: seq 1, every 50 ms", e.get("detail"));
            assertTrue(run.err().contains("hb: 3 checks, 0 failures"), run::toString);
        }
    }

    @Test
    void nothingListeningIsDownRefused() throws Exception {
        int port = FakeServer.freePort();
        CliRun run = CliRun.of("127.0.0.1:" + port, "--count", "1", "--format", "json");
        assertEquals(2, run.exitCode(), run::toString);
        assertEquals(List.of("DOWN refused"), run.states());
    }

    @Test
    void garbageIsAProtocolEventNotACrash() throws Exception {
        try (FakeServer server = new FakeServer((s, n) -> {
            send(s, "SSH-2.0-OpenSSH_9.2p1 Debian-2");
            holdOpen(s);
        })) {
            CliRun run = CliRun.of(server.target(), "--count", "1", "--format", "json");
            assertEquals(2, run.exitCode(), run::toString);
            assertEquals(List.of("DOWN protocol"), run.states());
            assertTrue(run.events().get(0).get("detail").toString().contains("not a heartbeat"), run::toString);
            assertNoStackTrace(run);
        }
    }

    @Test
    void aHugeLineIsRefusedWithoutBufferingIt() throws Exception {
        try (FakeServer server = new FakeServer((s, n) -> {
            OutputStream out = s.getOutputStream();
            byte[] mib = new byte[1 << 20];
            java.util.Arrays.fill(mib, (byte) 'x');
            for (int i = 0; i < 64; i++) {
                out.write(mib); // 64 MiB without a newline: the monitor must stop reading at 4 KiB
            }
        })) {
            CliRun run = CliRun.of(server.target(), "--count", "1", "--format", "json");
            assertEquals(2, run.exitCode(), run::toString);
            assertEquals(List.of("DOWN protocol"), run.states());
            assertTrue(run.out().contains("a line longer than 4096 bytes"), run::toString);
            assertNoStackTrace(run);
        }
    }

    @Test
    void aWrongProtocolVersionIsNamed() throws Exception {
        try (FakeServer server = new FakeServer((s, n) -> {
            send(s, beat(1, 100, "UP", "a").replace("\"v\":1", "\"v\":2"));
            holdOpen(s);
        })) {
            CliRun run = CliRun.of(server.target(), "--count", "1", "--format", "json");
            assertEquals(List.of("DOWN protocol"), run.states());
            assertTrue(run.out().contains("protocol version 2, but this monitor speaks version 1"), run::toString);
        }
    }

    @Test
    void theAgentsErrorLineIsShown() throws Exception {
        try (FakeServer server =
                new FakeServer((s, n) -> send(s, "{\"error\":\"pid: 'x y' is not a PID or a name\"}"))) {
            CliRun run = CliRun.of(server.target(), "--count", "1", "--format", "json", "--pid", "x y");
            assertEquals(List.of("DOWN protocol"), run.states());
            assertTrue(run.out().contains("the agent answered: pid: 'x y' is not a PID or a name"), run::toString);
        }
    }

    @Test
    void silenceOnAnOpenConnectionIsTimeout() throws Exception {
        try (FakeServer server = new FakeServer((s, n) -> holdOpen(s))) {
            CliRun run = CliRun.of(server.target(), "--count", "1", "--timeout", "300ms", "--format", "json");
            assertEquals(2, run.exitCode(), run::toString);
            assertEquals(List.of("DOWN timeout"), run.states());
            assertTrue(run.out().contains("connected, but no heartbeat for"), run::toString);
        }
    }

    @Test
    void aSlowDripWithoutANewlineIsStillSilence() throws Exception {
        try (FakeServer server = new FakeServer((s, n) -> {
            OutputStream out = s.getOutputStream();
            for (int i = 0; i < 10_000; i++) {
                out.write('{');
                out.flush();
                Thread.sleep(20);
            }
        })) {
            CliRun run = CliRun.of(server.target(), "--count", "1", "--timeout", "300ms", "--format", "json");
            assertEquals(List.of("DOWN timeout"), run.states(), run::toString);
        }
    }

    @Test
    void theSubjectsOwnStatusIsPassedOn() throws Exception {
        try (FakeServer server = new FakeServer((s, n) -> {
            send(s, beat(1, 100, "DEGRADED", "a"));
            holdOpen(s);
        })) {
            CliRun run = CliRun.of(server.target(), "--count", "1", "--format", "json");
            assertEquals(1, run.exitCode(), run::toString);
            assertEquals(List.of("DEGRADED deadlock"), run.states());
            assertEquals("2 threads deadlocked", run.events().get(0).get("detail"));
        }
    }

    @Test
    void pidSubscribesWithTheFirstLine() throws Exception {
        try (FakeServer server = new FakeServer((s, n) -> {
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            String subject = "{\"pid\":\"sleep\"}".equals(in.readLine()) ? "name:sleep" : "wrong";
            send(s, beat(1, 100, "UP", "a").replace("\"subject\":\"vm\"", "\"subject\":\"" + subject + "\""));
            holdOpen(s);
        })) {
            CliRun run = CliRun.of(server.target(), "--count", "1", "--format", "json", "--pid", "sleep");
            assertEquals("name:sleep", run.events().get(0).get("subject"), run::toString);
        }
    }

    @Test
    void beatsResumingWithSeqContinuousArePaused() throws Exception {
        try (FakeServer server = new FakeServer((s, n) -> {
                    if (n > 0) {
                        holdOpen(s); // the spare connection the silence opens: this agent stays mute there
                    }
                    beats(s, 1, 3, 200, "a"); // timeout 600 ms: room for a loaded machine
                    Thread.sleep(2000);
                    beats(s, 4, 1000, 200, "a");
                });
                BackgroundRun run = new BackgroundRun(server.target(), "--format", "json")) {
            run.awaitOut("no beats lost");
            CliRun done = run.stop();
            assertEquals(0, done.exitCode(), done::toString);
            List<String> states = done.states();
            assertEquals(
                    List.of("DOWN timeout", "UP null"),
                    states.subList(states.size() - 2, states.size()),
                    done::toString);
            String detail = done.events().get(states.size() - 1).get("detail").toString();
            assertTrue(
                    detail.matches("beats resumed after \\d+\\.\\d s of silence: the agent did not say whether its JVM "
                            + "paused, no beats lost"),
                    detail);
            assertTrue(done.err().contains("hb: "), done::toString); // the summary, on stderr under json
        }
    }

    @Test
    void aNewInstanceBehindThePortIsARestart() throws Exception {
        try (FakeServer server = new FakeServer((s, n) -> {
                    if (n == 0) {
                        beats(s, 1, 3, 50, "first"); // then hang up, as a killed process does
                    } else {
                        beats(s, 1, 1000, 50, "second");
                    }
                });
                BackgroundRun run = new BackgroundRun(server.target(), "--format", "json", "--timeout", "5s")) {
            run.awaitOut("restarted");
            CliRun done = run.stop();
            assertTrue(done.states().contains("DOWN closed"), done::toString);
            assertTrue(done.out().contains("restarted: a new process (pid 4005 -> 4006)"), done::toString);
        }
    }

    @Test
    void thePhiDetectorSaysDownWithWhatItLearned() throws Exception {
        try (FakeServer server = new FakeServer((s, n) -> {
            if (n == 0) {
                beats(s, 1, 20, 50, "a");
            }
            holdOpen(s); // and mute on the spare connection the silence opens
        })) {
            CliRun run = CliRun.of(
                    server.target(), "--count", "22", "--format", "json", "--detector", "phi", "--timeout", "5s");
            assertEquals(2, run.exitCode(), run::toString);
            assertEquals(List.of("UP null", "DOWN timeout"), run.states(), run::toString);
            String detail = run.events().get(1).get("detail").toString();
            assertTrue(
                    detail.matches(
                            "no heartbeat for \\d+ ms \\(every 50 ms announced; phi 8 with arrivals \\d+ ± \\d+ ms over "
                                    + "\\d+ beats, 50 ms pause allowed\\): frozen, paused or starved, or cut off; the "
                                    + "connection is open"),
                    detail);
        }
    }

    @Test
    void withASecretSignedBeatsAreUp() throws Exception {
        try (FakeServer server = new FakeServer((s, n) -> {
            String nonce = FakeServer.nonceOf(s);
            for (long seq = 1; seq <= 100; seq++) {
                send(s, FakeServer.signed(beat(seq, 50, "UP", "a"), "s3cret", nonce));
                Thread.sleep(50);
            }
        })) {
            CliRun run = CliRun.of(
                    server.target(), "--count", "3", "--format", "json", "--timeout", "5s", "--secret", "s3cret");
            assertEquals(0, run.exitCode(), run::toString);
            assertEquals(List.of("UP null"), run.states());
        }
    }

    @Test
    void withASecretAnUnsignedStreamIsDownAuth() throws Exception {
        try (FakeServer server = new FakeServer((s, n) -> beats(s, 1, 100, 50, "a"))) {
            CliRun run = CliRun.of(server.target(), "--count", "1", "--format", "json", "--secret", "s3cret");
            assertEquals(2, run.exitCode(), run::toString);
            assertEquals(List.of("DOWN auth"), run.states());
            assertTrue(run.out().contains("an unsigned beat (seq 1)"), run::toString);
            assertFalse(run.out().contains("s3cret"), run::toString);
        }
    }

    @Test
    void withASecretAForgedOrAlteredBeatIsDownAuth() throws Exception {
        try (FakeServer server = new FakeServer((s, n) -> {
            if (n == 0) {
                send(s, FakeServer.signed(beat(1, 50, "UP", "a"), "another secret"));
            } else {
                send(s, FakeServer.signed(beat(1, 50, "DOWN", "a"), "s3cret").replace("DOWN", "UP"));
            }
            holdOpen(s);
        })) {
            CliRun run = CliRun.of(server.target(), "--count", "2", "--format", "json", "--secret", "s3cret");
            assertEquals(2, run.exitCode(), run::toString);
            assertEquals(List.of("DOWN auth"), run.states());
            assertTrue(run.out().contains("whose signature does not match"), run::toString);
            assertTrue(server.connections() >= 2, "reconnected after closing");
        }
    }

    @Test
    void withASecretAReplayedBeatIsDownAuth() throws Exception {
        try (FakeServer server = new FakeServer((s, n) -> {
            String nonce = FakeServer.nonceOf(s);
            String first = FakeServer.signed(beat(7, 50, "UP", "a"), "s3cret", nonce);
            send(s, first);
            send(s, FakeServer.signed(beat(8, 50, "UP", "a"), "s3cret", nonce));
            send(s, first); // recorded and played again
            holdOpen(s);
        })) {
            CliRun run = CliRun.of(
                    server.target(), "--count", "3", "--format", "json", "--timeout", "5s", "--secret", "s3cret");
            assertEquals(List.of("UP null", "DOWN auth"), run.states());
            assertTrue(run.out().contains("a replayed beat: seq 7 after seq 8 on this connection"), run::toString);
        }
    }

    /** A beat signed for one connection, played on the next: its nonce is not the new one. */
    @Test
    void withASecretABeatOfAnotherConnectionIsDownAuth() throws Exception {
        AtomicReference<String> recorded = new AtomicReference<>();
        try (FakeServer server = new FakeServer((s, n) -> {
            String nonce = FakeServer.nonceOf(s);
            if (n == 0) {
                recorded.set(FakeServer.signed(beat(1, 50, "UP", "a"), "s3cret", nonce));
                send(s, recorded.get());
                return; // hangs up: the monitor connects again
            }
            send(s, recorded.get());
            holdOpen(s);
        })) {
            CliRun run = CliRun.of(
                    server.target(), "--count", "3", "--format", "json", "--timeout", "5s", "--secret", "s3cret");
            assertTrue(run.out().contains("not bound to this connection's nonce"), run::toString);
            assertEquals("UP null", run.states().get(0), run::toString);
        }
    }

    /** Without --pid the beats must be about the JVM (or host): a signed beat of pid:1 is not. */
    @Test
    void withASecretABeatOfAnotherSubjectIsDownAuth() throws Exception {
        try (FakeServer server = new FakeServer((s, n) -> {
            String nonce = FakeServer.nonceOf(s);
            send(s, FakeServer.signed(beat(1, 50, "UP", "a").replace("\"vm\"", "\"pid:1\""), "s3cret", nonce));
            holdOpen(s);
        })) {
            CliRun run = CliRun.of(server.target(), "--count", "1", "--format", "json", "--secret", "s3cret");
            assertEquals(List.of("DOWN auth"), run.states(), run::toString);
            assertTrue(run.out().contains("about pid:1, not the JVM or host asked for"), run::toString);
        }
    }

    /**
     * A relay that switches agents under one connection (the watched one died, another with the
     * same secret answers): its beats are genuine, but another run's on the same connection is
     * DOWN protocol, not "UP: restarted".
     */
    @Test
    void anotherInstanceOnTheSameConnectionIsDownProtocol() throws Exception {
        try (FakeServer server = new FakeServer((s, n) -> {
            String nonce = FakeServer.nonceOf(s);
            send(s, FakeServer.signed(beat(10, 50, "UP", "watched"), "s3cret", nonce));
            send(s, FakeServer.signed(beat(11, 50, "UP", "watched"), "s3cret", nonce));
            send(s, FakeServer.signed(beat(500, 50, "UP", "relayed"), "s3cret", nonce));
            holdOpen(s);
        })) {
            CliRun run = CliRun.of(
                    server.target(), "--count", "3", "--format", "json", "--timeout", "5s", "--secret", "s3cret");
            assertEquals(List.of("UP null", "DOWN protocol"), run.states().subList(0, 2), run::toString);
            assertTrue(run.out().contains("changed from instance watched to relayed"), run::toString);
        }
    }

    /** Within one run of the agent (one instance) seq never goes back, signed or not. */
    @Test
    void aSeqThatGoesBackWithinOneInstanceIsDownProtocol() throws Exception {
        try (FakeServer server = new FakeServer((s, n) -> {
            if (n == 0) {
                send(s, beat(40, 50, "UP", "a"));
                return;
            }
            send(s, beat(3, 50, "UP", "a")); // the same instance, numbered before
            holdOpen(s);
        })) {
            CliRun run = CliRun.of(server.target(), "--count", "3", "--format", "json", "--timeout", "5s");
            assertTrue(run.out().contains("seq went back from 40 to 3"), run::toString);
        }
    }

    @Test
    void aSecretFileThatCannotBeReadIsOneLineAndExitThree(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
            throws Exception {
        java.nio.file.Path missing = tmp.resolve("missing.secret");
        CliRun run = CliRun.of("127.0.0.1:1", "--secret-file", missing.toString());
        assertEquals(3, run.exitCode(), run::toString);
        assertTrue(run.err().contains("'" + missing + "' is not a file that exists"), run::toString);
        assertNoStackTrace(run);
        CliRun both = CliRun.of("127.0.0.1:1", "--secret", "x", "--secret-file", tmp.toString());
        assertEquals(3, both.exitCode(), both::toString);
    }
}
