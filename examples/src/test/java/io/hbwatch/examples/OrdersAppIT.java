package io.hbwatch.examples;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example service as a user runs it: a real JVM, real HTTP, real signals. */
class OrdersAppIT {
    @TempDir
    Path tmp;

    @Test
    void takesAndProcessesOrdersOverHttp() throws Exception {
        try (ServiceProcess service = new ServiceProcess(tmp)) {
            String url = service.awaitUrl();
            assertTrue(url.matches("http://127\\.0\\.0\\.1:\\d+/"), url);
            assertTrue(service.outputText().contains("orders: listening on " + url), service.outputText());

            HttpResponse<String> taken = ServiceProcess.post(url + "orders", "coffee");
            assertEquals(202, taken.statusCode());
            assertTrue(taken.body().contains("\"item\":\"coffee\""), taken.body());

            await().atMost(Duration.ofSeconds(10))
                    .until(() -> ServiceProcess.get(url + "orders").body().contains("\"state\":\"done\""));
            assertTrue(ServiceProcess.get(url + "health").body().contains("\"processed\":1"));
            assertEquals(400, ServiceProcess.post(url + "orders", "").statusCode());
            assertEquals(405, ServiceProcess.get(url + "misbehave/crash").statusCode());
            assertEquals(404, ServiceProcess.post(url + "misbehave/explode", "").statusCode());
            assertEquals(
                    400,
                    ServiceProcess.post(url + "misbehave/pause?ms=soon", "").statusCode());
            assertTrue(service.process.isAlive());
        }
    }

    @Test
    void pauseStopsTheWholeJvmAndResumesIt() throws Exception {
        long pid;
        try (ServiceProcess service = new ServiceProcess(tmp)) {
            String url = service.awaitUrl();
            pid = service.process.pid();
            Path stat = Paths.get("/proc", Long.toString(pid), "stat");
            assumeTrue(Files.exists(stat), "no /proc: cannot see a process's state here");

            assertEquals(
                    202,
                    ServiceProcess.post(url + "misbehave/pause?ms=2000", "").statusCode());
            await().atMost(Duration.ofSeconds(10)).until(() -> state(stat) == 'T');
            await().atMost(Duration.ofSeconds(20)).until(() -> state(stat) != 'T');
            assertEquals(200, ServiceProcess.get(url + "health").statusCode());
        }
    }

    @Test
    void crashHaltsWithTheExitCodeAsked() throws Exception {
        try (ServiceProcess service = new ServiceProcess(tmp)) {
            String url = service.awaitUrl();
            assertEquals(
                    202,
                    ServiceProcess.post(url + "misbehave/crash?code=42", "").statusCode());
            assertTrue(service.process.waitFor(30, TimeUnit.SECONDS), "still running after crash");
            assertEquals(42, service.process.exitValue());
        }
    }

    @Test
    void deadlockAndHangLeaveTheServiceAnswering() throws Exception {
        try (ServiceProcess service = new ServiceProcess(tmp, "--load", "20")) {
            String url = service.awaitUrl();
            assertEquals(
                    202, ServiceProcess.post(url + "misbehave/deadlock", "").statusCode());
            assertEquals(
                    202,
                    ServiceProcess.post(url + "misbehave/hang?ms=60000", "").statusCode());
            // One worker hangs, the other keeps processing: the service looks fine from outside,
            // which is exactly why an in-process watchdog is needed.
            long before = processed(url);
            await().atMost(Duration.ofSeconds(20)).until(() -> processed(url) > before);
            assertTrue(service.outputText().contains("orders: deadlock:"), service.outputText());
        }
    }

    @Test
    void aBadOptionGetsOneLineAndTheUsage() throws Exception {
        try (ServiceProcess service = new ServiceProcess(tmp, "--workers", "none")) {
            assertTrue(service.process.waitFor(30, TimeUnit.SECONDS));
            assertEquals(2, service.process.exitValue());
            String out = service.outputText();
            assertTrue(out.startsWith("orders: --workers: 'none' is not a number from 1 to 256\nusage:"), out);
        }
    }

    @Test
    void aBusyPortGetsOneLineAndExitCodeOne() throws Exception {
        try (java.net.ServerSocket busy = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
                ServiceProcess service = new ServiceProcess(tmp, "--port", Integer.toString(busy.getLocalPort()))) {
            assertTrue(service.process.waitFor(30, TimeUnit.SECONDS));
            assertEquals(1, service.process.exitValue());
            String out = service.outputText();
            assertTrue(out.startsWith("orders: cannot listen on 127.0.0.1:" + busy.getLocalPort() + ": "), out);
            assertEquals(1, out.lines().count(), out);
        }
    }

    private static long processed(String url) throws IOException, InterruptedException {
        String body = ServiceProcess.get(url + "health").body();
        return Long.parseLong(
                body.replaceAll(".*\"processed\":(\\d+).*\\s*", "$1").trim());
    }

    private static char state(Path stat) throws IOException {
        // Field 3 of /proc/PID/stat, after the parenthesised command name (which may hold spaces).
        String s = Files.readString(stat);
        return s.charAt(s.lastIndexOf(')') + 2);
    }
}
