package io.hbwatch.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hbwatch.testing.AgentJvm;
import io.hbwatch.testing.BeatRecorder;
import io.hbwatch.testing.Http;
import io.hbwatch.testing.apps.SleepApp;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What one Jolokia request may cost the host and what it may learn: no secret of the command line
 * or the system properties in any answer, no JSONP, no enumeration of the JVM's MBeans, and a
 * request that asks for megabytes gets errors instead of filling a small heap.
 */
class JolokiaBoundsIT {
    private static final String SECRET = "hunter2-" + Long.toHexString(System.nanoTime());
    private static final String PASSWORD = "pw-" + Long.toHexString(System.nanoTime() + 1);
    private static final long INTERVAL_MS = 200;

    @TempDir
    Path tmp;

    @Test
    void noAnswerCarriesASecretAndNoPageCanLoadOne() throws Exception {
        try (AgentJvm app = AgentJvm.builder(tmp)
                .jvmArgs("-Dapp.secret=" + SECRET)
                .agentArgs("interval=1s,jolokia=127.0.0.1:0,jolokiaUser=u,jolokiaPassword=" + PASSWORD)
                .main(SleepApp.class)
                .start()) {
            String url = "http://127.0.0.1:" + app.awaitPorts().jolokia() + "/jolokia/";
            for (String path : new String[] {
                "read/java.lang:type=Runtime/InputArguments",
                "read/java.lang:type=Runtime/SystemProperties",
                "read/java.lang:type=Runtime/ClassPath",
                "read/java.lang:type=Runtime",
                "read/java.lang:type=Runtime?ignoreErrors=true",
                "read/java.lang:*?ignoreErrors=true",
                "read/*:*?ignoreErrors=true",
                "read/*:type=Runtime?ignoreErrors=true",
                "read/java.*:*?ignoreErrors=true",
            }) {
                HttpResponse<String> r = Http.get(url + path, "u", PASSWORD);
                assertFalse(r.body().contains(SECRET), path + ": " + r.body());
                assertFalse(r.body().contains(PASSWORD), path + ": " + r.body());
                // Nothing outside the allowed domains is named, not even in a refusal.
                assertFalse(r.body().contains("JMImplementation"), path + ": " + r.body());
                assertFalse(r.body().contains("com.sun.management"), path + ": " + r.body());
            }
            // What the monitor reads still reads.
            HttpResponse<String> status = Http.get(url + "read/hbwatch:type=Heartbeat/Status", "u", PASSWORD);
            assertTrue(status.body().contains("\"value\":\"UP\""), status.body());
            HttpResponse<String> uptime = Http.get(url + "read/java.lang:type=Runtime/Uptime", "u", PASSWORD);
            assertTrue(uptime.body().contains("\"status\":200"), uptime.body());

            HttpResponse<String> jsonp =
                    Http.get(url + "read/hbwatch:type=Heartbeat/Status?callback=steal", "u", PASSWORD);
            assertEquals(400, jsonp.statusCode(), jsonp.body());
            assertFalse(
                    jsonp.headers().firstValue("Content-Type").orElse("").contains("javascript"),
                    jsonp.headers().toString());
            assertFalse(jsonp.body().contains("steal("), jsonp.body());
            // The agent's own lines never print the password.
            assertFalse(app.stderr().contains(PASSWORD), app.stderr());
        }
    }

    /**
     * The amplification: 64 KiB of {@code read java.lang:*} (1,700 of them) asking for tens of
     * megabytes, and 64 of them (as many as a bulk may hold), looped against a 64 MiB heap. The
     * first is refused before Jolokia parses it, the second stops at the work and answer bounds;
     * the host sees no {@code OutOfMemoryError}, its beats stay on time, and once the heap the
     * attack touches has been touched (5 s), its RSS grows by at most 20 MiB in the 20 s after.
     */
    @Test
    void aRequestForMegabytesGetsErrorsNotTheHeap() throws Exception {
        String huge = bulk(1_700);
        String most = bulk(64);
        try (AgentJvm app = AgentJvm.builder(tmp)
                .jvmArgs("-Xmx64m")
                .agentArgs("interval=" + INTERVAL_MS + "ms,jolokia=127.0.0.1:0")
                .main(SleepApp.class)
                .start()) {
            AgentJvm.Ports ports = app.awaitPorts();
            String url = "http://127.0.0.1:" + ports.jolokia() + "/jolokia/?ignoreErrors=true";
            HttpResponse<String> refused = Http.post(url, huge);
            assertEquals(413, refused.statusCode(), refused.body());
            assertTrue(refused.body().contains("jolokiaMaxBulk"), refused.body());
            HttpResponse<String> bounded = Http.post(url, most);
            assertEquals(200, bounded.statusCode());
            assertTrue(
                    bounded.body().length() < 1_100_000,
                    "answer of " + bounded.body().length() + " chars");
            assertTrue(bounded.body().contains("jolokiaWorkRate"), "the work is bounded: " + bounded.body());
            try (BeatRecorder subscriber = BeatRecorder.start(ports.heartbeat())) {
                subscriber.awaitBeats(2);
                attack(url, huge, most, 5);
                long rssBefore = rssKiB(app.pid());
                int sent = attack(url, huge, most, 20);
                long grewKiB = rssKiB(app.pid()) - rssBefore;
                assertTrue(grewKiB <= 20 * 1024, "RSS grew by " + grewKiB + " KiB in " + sent + " requests");
                subscriber.awaitBeats(subscriber.count() + 2);
                subscriber.assertNoMissedBeat(Duration.ofMillis(10 * INTERVAL_MS));
            }
            assertTrue(app.process().isAlive(), app.stderr());
            assertFalse(app.stderr().contains("OutOfMemoryError"), app.stderr());
            HttpResponse<String> oom =
                    Http.get(url.replace("?ignoreErrors=true", "") + "read/hbwatch:type=Heartbeat/OutOfMemoryErrors");
            assertTrue(oom.body().contains("\"value\":0"), oom.body());
        }
    }

    /** Sends {@code huge} and {@code most} in turn for {@code seconds}; returns how many were sent. */
    private static int attack(String url, String huge, String most, int seconds) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        int sent = 0;
        while (System.nanoTime() - end < 0) {
            HttpResponse<String> r = Http.post(url, sent % 2 == 0 ? huge : most);
            assertTrue(r.statusCode() == 200 || r.statusCode() == 413, r.statusCode() + " " + r.body());
            sent++;
        }
        return sent;
    }

    private static String bulk(int requests) {
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < requests; i++) {
            body.append(i == 0 ? "" : ",").append("{\"type\":\"read\",\"mbean\":\"java.lang:*\"}");
        }
        return body.append(']').toString();
    }

    private static long rssKiB(long pid) throws IOException {
        for (String line : Files.readAllLines(Paths.get("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("no VmRSS for " + pid);
    }
}
