package io.hbwatch.examples;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code examples/worker.sh} as its README shows it: watched by PID through the standalone agent. */
class WorkerScriptIT {
    @TempDir
    Path tmp;

    private static Path repo() {
        return Paths.get(System.getProperty("hbwatch.repo.root", ".."))
                .toAbsolutePath()
                .normalize();
    }

    private Process worker(Path pidFile) throws Exception {
        assumeTrue(Files.isExecutable(Paths.get("/bin/sh")), "no /bin/sh: the worker is a POSIX shell script");
        return new ProcessBuilder(
                        "/bin/sh",
                        repo().resolve("examples/worker.sh").toString(),
                        "--every",
                        "1",
                        "--pid-file",
                        pidFile.toString())
                .redirectErrorStream(true)
                .redirectOutput(tmp.resolve("worker.out").toFile())
                .start();
    }

    @Test
    void stopsAtOnceOnSigtermLeavingNothingBehind() throws Exception {
        Path pidFile = tmp.resolve("worker.pid");
        Process worker = worker(pidFile);
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(pidFile));
            assertEquals(worker.pid(), Long.parseLong(Files.readString(pidFile).trim()));
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> Files.readString(tmp.resolve("worker.out")).contains("worker: job 2 done"));
            List<ProcessHandle> children = worker.descendants().collect(Collectors.toList());

            new ProcessBuilder("kill", "-TERM", Long.toString(worker.pid()))
                    .start()
                    .waitFor();
            assertTrue(worker.waitFor(20, TimeUnit.SECONDS), "worker.sh still runs after SIGTERM");
            assertEquals(0, worker.exitValue());
            assertFalse(Files.exists(pidFile), "the pid file is left behind");
            await().atMost(Duration.ofSeconds(10)).until(() -> children.stream().noneMatch(ProcessHandle::isAlive));
            assertTrue(Files.readString(tmp.resolve("worker.out")).contains("worker: stopping after"));
        } finally {
            worker.destroyForcibly();
        }
    }

    @Test
    void theStandaloneAgentWatchesItByPid() throws Exception {
        Path agentJar = repo().resolve("agent/target/hb-agent.jar");
        assumeTrue(Files.isRegularFile(agentJar), "agent not built: " + agentJar);
        Path ports = tmp.resolve("ports.json");
        Path pidFile = tmp.resolve("worker.pid");
        Process agent = new ProcessBuilder(
                        Paths.get(System.getProperty("java.home"), "bin", "java")
                                .toString(),
                        "-jar",
                        agentJar.toString(),
                        "--port",
                        "0",
                        "--interval",
                        "100ms",
                        "--portFile",
                        ports.toString())
                .redirectErrorStream(true)
                .redirectOutput(tmp.resolve("agent.out").toFile())
                .start();
        Process worker = worker(pidFile);
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(ports) && Files.exists(pidFile));
            int port = Integer.parseInt(Files.readString(ports).replaceAll("(?s).*\"heartbeat\":(\\d+).*", "$1"));
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                s.setSoTimeout(10_000);
                OutputStream out = s.getOutputStream();
                out.write(("{\"pid\":\"" + worker.pid() + "\"}\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                BufferedReader beats =
                        new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                awaitBeat(beats, "\"status\":\"UP\"");
                new ProcessBuilder("kill", "-TERM", Long.toString(worker.pid()))
                        .start()
                        .waitFor();
                String gone = awaitBeat(beats, "\"status\":\"DOWN\"");
                assertTrue(gone.contains("\"reason\":\"exited\""), gone);
            }
        } finally {
            worker.destroyForcibly();
            agent.destroyForcibly();
            agent.waitFor();
        }
    }

    /** Reads beats until one contains {@code text}; the socket's timeout bounds each read. */
    private static String awaitBeat(BufferedReader beats, String text) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (String line; (line = beats.readLine()) != null && System.nanoTime() < until; ) {
            if (line.contains(text)) {
                return line;
            }
        }
        throw new AssertionError("no beat with " + text + " within 30 s");
    }
}
