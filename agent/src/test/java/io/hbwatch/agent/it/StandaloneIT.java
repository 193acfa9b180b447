package io.hbwatch.agent.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hbwatch.protocol.BeatSignature;
import io.hbwatch.protocol.JsonParser;
import io.hbwatch.testing.AgentJvm;
import io.hbwatch.testing.BeatClient;
import io.hbwatch.testing.Jdks;
import io.hbwatch.testing.Signals;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** {@code java -jar hb-agent.jar --port ...}: the host and real OS processes, watched standalone. */
@EnabledOnOs(OS.LINUX)
class StandaloneIT {
    @TempDir
    Path tmp;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void killWhatIsLeft() {
        for (Process p : started) {
            p.destroyForcibly();
        }
    }

    private Process standalone(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(
                Jdks.current().toString(),
                "-jar",
                AgentJvm.agentJar().toAbsolutePath().toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd)
                .redirectOutput(tmp.resolve("out.txt").toFile())
                .redirectError(tmp.resolve("err.txt").toFile())
                .start();
        started.add(p);
        return p;
    }

    private int startServer(String... more) throws Exception {
        Path portFile = tmp.resolve("ports.json");
        List<String> args =
                new ArrayList<>(List.of("--port", "0", "--interval", "200ms", "--portFile", portFile.toString()));
        args.addAll(List.of(more));
        Process p = standalone(args.toArray(new String[0]));
        await().atMost(Duration.ofSeconds(30))
                .failFast("the server exited", () -> !p.isAlive())
                .until(() -> Files.exists(portFile));
        Map<String, Object> ports =
                JsonParser.parseObject(Files.readString(portFile).trim());
        return ((Long) ports.get("heartbeat")).intValue();
    }

    private String stderr() throws IOException {
        return Files.readString(tmp.resolve("err.txt"), StandardCharsets.UTF_8);
    }

    @Test
    void theHostBeatsByDefault() throws Exception {
        int port = startServer();
        try (BeatClient c = BeatClient.connect(port)) {
            Map<String, Object> beat = c.next();
            assertEquals("host", beat.get("subject"));
            assertEquals("UP", beat.get("status"));
            assertEquals(200L, beat.get("interval"));
            assertTrue((Long) beat.get("cpus") > 0);
        }
        assertTrue(stderr().startsWith("hbwatch: heartbeat for host 127.0.0.1:" + port), stderr());
    }

    @Test
    void aSleepByPidIsUpThenStoppedThenUpThenExited() throws Exception {
        int port = startServer();
        Process sleep = Signals.sleep(120);
        started.add(sleep);
        try (BeatClient c = BeatClient.watch(port, Long.toString(sleep.pid()))) {
            Map<String, Object> up = c.next();
            assertEquals("pid:" + sleep.pid(), up.get("subject"));
            assertEquals("UP", up.get("status"));
            Signals.stop(sleep.pid());
            assertEquals("stopped", c.nextWithStatus("DEGRADED").get("reason"));
            Signals.cont(sleep.pid());
            c.nextWithStatus("UP");
            Signals.kill(sleep.pid());
            assertEquals("exited", c.nextWithStatus("DOWN").get("reason"));
        }
    }

    @Test
    void aSleepByNameIsUpThenExited() throws Exception {
        int port = startServer();
        String name = "hbsleep-" + Long.toHexString(System.nanoTime());
        Path exe = tmp.resolve(name);
        Files.copy(Paths.get("/bin/sleep").toRealPath(), exe);
        exe.toFile().setExecutable(true);
        Process sleep = new ProcessBuilder(exe.toString(), "120").start();
        started.add(sleep);
        try (BeatClient c = BeatClient.watch(port, name)) {
            Map<String, Object> up = c.nextWithStatus("UP");
            assertEquals("name:" + name, up.get("subject"));
            assertEquals(sleep.pid(), up.get("pid"));
            Signals.kill(sleep.pid());
            assertEquals("exited", c.nextWithStatus("DOWN").get("reason"));
        }
    }

    @Test
    void anUnknownProcessIsNotFound() throws Exception {
        int port = startServer();
        try (BeatClient byPid = BeatClient.watch(port, "2000000000");
                BeatClient byName = BeatClient.watch(port, "no-such-process-" + System.nanoTime())) {
            assertEquals("not-found", byPid.next().get("reason"));
            assertEquals("not-found", byName.next().get("reason"));
        }
    }

    @Test
    void sigtermEndsItWithExitCodeZero() throws Exception {
        startServer();
        Process p = started.get(0);
        Signals.send("TERM", p.pid());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), stderr());
    }

    @Test
    void aBusyPortIsOneLineAndExitCodeOne() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Process p = standalone("--port", Integer.toString(busy.getLocalPort()));
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertEquals(1, p.exitValue());
            assertTrue(stderr().startsWith("hbwatch: cannot listen on 127.0.0.1:" + busy.getLocalPort()), stderr());
            assertEquals(1, stderr().lines().count(), stderr());
        }
    }

    @Test
    void aBadArgumentIsOneLineAndExitCodeTwo() throws Exception {
        Process p = standalone("--interval", "banana");
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(2, p.exitValue());
        assertTrue(stderr().startsWith("hbwatch: interval: 'banana' is not a duration"), stderr());
        assertEquals(1, stderr().lines().count(), stderr());
    }

    @Test
    void withASecretEveryBeatIsSigned() throws Exception {
        Path secretFile = Files.writeString(tmp.resolve("secret"), "standalone-secret\n");
        int port = startServer("--secretFile", secretFile.toString());
        BeatSignature sig = new BeatSignature("standalone-secret".getBytes(StandardCharsets.UTF_8));
        try (BeatClient c = BeatClient.watchSigned(port, "1", sig)) {
            for (int i = 0; i < 3; i++) {
                String line = c.readLine();
                assertTrue(sig.verify(line), line);
            }
        }
        assertTrue(stderr().contains("every 200ms, signed"), stderr());
        assertFalse(stderr().contains("standalone-secret"), stderr());
    }
}
