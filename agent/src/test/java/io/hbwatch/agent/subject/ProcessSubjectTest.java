package io.hbwatch.agent.subject;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.hbwatch.protocol.JsonLine;
import io.hbwatch.protocol.JsonParser;
import io.hbwatch.testing.Signals;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** PID and name subjects against real {@code sleep} processes, stopped and killed for real. */
class ProcessSubjectTest {

    static Map<String, Object> beat(Subject s) throws JsonParser.JsonException {
        JsonLine line = new JsonLine();
        s.writeTo(line);
        return JsonParser.parseObject(line.toJson());
    }

    static void awaitStatus(Subject s, String status, String reason) {
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    Map<String, Object> b = beat(s);
                    return status.equals(b.get("status")) && (reason == null || reason.equals(b.get("reason")));
                });
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void aPidIsUpThenStoppedThenUpThenExitedForGood() throws Exception {
        Process sleep = Signals.sleep(60);
        try {
            Subject s = Subjects.process(Long.toString(sleep.pid()));
            assertEquals("pid:" + sleep.pid(), s.name());
            Map<String, Object> up = beat(s);
            assertEquals("UP", up.get("status"));
            assertEquals(sleep.pid(), up.get("pid"));

            Signals.stop(sleep.pid());
            awaitStatus(s, "DEGRADED", "stopped");
            Signals.cont(sleep.pid());
            awaitStatus(s, "UP", null);

            Signals.kill(sleep.pid());
            awaitStatus(s, "DOWN", "exited"); // a zombie not yet reaped counts as exited
            sleep.waitFor(10, TimeUnit.SECONDS);
            assertEquals("exited", beat(s).get("reason"));
            // A new watcher of the same PID hears that it exited, not that it never was.
            assertEquals(
                    "exited", beat(Subjects.process(Long.toString(sleep.pid()))).get("reason"));
        } finally {
            sleep.destroyForcibly();
        }
    }

    @Test
    void aPidThatNeverWasIsNotFound() throws Exception {
        Map<String, Object> b = beat(Subjects.process("2000000000"));
        assertEquals("DOWN", b.get("status"));
        assertEquals("not-found", b.get("reason"));
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void aNameIsNotFoundThenUpThenStoppedThenExited(@TempDir Path dir) throws Exception {
        // A copy of sleep under a name of its own: other sleep processes on this machine do not count.
        String name = "hbsleep-" + Long.toHexString(System.nanoTime());
        Path exe = dir.resolve(name);
        Files.copy(sleepBinary(), exe);
        exe.toFile().setExecutable(true);
        Subject s = Subjects.process(name);
        assertEquals("name:" + name, s.name());
        assertEquals("not-found", beat(s).get("reason"));

        Process p = new ProcessBuilder(exe.toString(), "60").start();
        try {
            awaitStatus(s, "UP", null);
            assertEquals(p.pid(), beat(s).get("pid"));
            assertEquals(1L, beat(s).get("count"));
            Signals.stop(p.pid());
            awaitStatus(s, "DEGRADED", "stopped");
            Signals.kill(p.pid());
            awaitStatus(s, "DOWN", "exited");
        } finally {
            p.destroyForcibly();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "0", "99999999999999999999999"})
    void nonsenseIsRefused(String text) {
        assertThrows(IllegalArgumentException.class, () -> Subjects.process(text));
    }

    @Test
    void digitsMeanAPidAndAnythingElseAName() {
        assertInstanceOf(PidSubject.class, Subjects.process("42"));
        assertInstanceOf(NameSubject.class, Subjects.process("java"));
        assertInstanceOf(NameSubject.class, Subjects.process("4x"));
    }

    private static Path sleepBinary() throws IOException {
        for (String p : new String[] {"/bin/sleep", "/usr/bin/sleep"}) {
            if (Files.isExecutable(Paths.get(p))) {
                return Paths.get(p).toRealPath();
            }
        }
        throw new IOException("no sleep binary");
    }
}
