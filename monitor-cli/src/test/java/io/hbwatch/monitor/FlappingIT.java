package io.hbwatch.monitor;

import static io.hbwatch.monitor.support.FakeServer.beats;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hbwatch.monitor.support.BackgroundRun;
import io.hbwatch.monitor.support.CliRun;
import io.hbwatch.monitor.support.FakeServer;
import io.hbwatch.monitor.support.Scrape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fake agent that flaps for a minute (a few beats, then it hangs up, again and again: about 30
 * changes of state) with a counting hook on both --on-down and --on-up: the hook runs at most twice
 * while it flaps, its events carry {@code "flapping":true}, and the metric says so.
 */
class FlappingIT {
    @TempDir
    Path tmp;

    @Test
    void aMinuteOfFlappingRunsTheHookAtMostTwice() throws Exception {
        Path runs = tmp.resolve("runs");
        String hook = "echo \"$HBWATCH_STATE $HBWATCH_FLAPPING\" >> '" + runs + "'";
        long flapUntil = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        try (FakeServer server = new FakeServer((s, n) -> {
                    if (System.nanoTime() - flapUntil < 0) {
                        beats(s, 1, 10, 100, "flap-" + n); // one second up, then it hangs up
                    } else {
                        beats(s, 1, 100_000, 100, "steady");
                    }
                });
                BackgroundRun run = new BackgroundRun(
                        server.target(),
                        "--format",
                        "json",
                        "--on-down",
                        hook,
                        "--on-up",
                        hook,
                        "--metrics",
                        "127.0.0.1:0")) {
            run.awaitOut("\"flapping\":true");
            String scraped = Scrape.metrics(Scrape.port(run));
            assertTrue(scraped.matches("(?s).*\nhbwatch_flapping\\{[^}]*subject=\"vm\"[^}]*\\} 1\\.0\n.*"), scraped);
            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> System.nanoTime() - flapUntil > 0);
            CliRun done = run.stop();
            List<Map<String, Object>> events = done.events();
            long changes = done.states().size();
            assertTrue(changes >= 20, "it flapped: " + changes + " events\n" + done);
            List<String> hookRuns = Files.readAllLines(runs);
            // Before the flapping starts: DOWN (1), UP (2); the third change starts it: one run (3).
            // From then on none, however often it changes, until it ends (after --flap-window of a
            // steady state: the second and last run of the flapping, outside this minute).
            assertEquals(3, hookRuns.size(), hookRuns::toString);
            assertEquals("DOWN true", hookRuns.get(2), hookRuns::toString);
            // The paging hook alone: the first DOWN and the flapping's start, however often it changes.
            assertTrue(hookRuns.stream().filter(r -> r.startsWith("DOWN")).count() <= 2, hookRuns::toString);
            int start = -1;
            for (int i = 0; i < events.size(); i++) {
                if (Boolean.TRUE.equals(events.get(i).get("flapping"))) {
                    start = start < 0 ? i : start;
                }
            }
            for (int i = start; i < events.size(); i++) {
                assertEquals(Boolean.TRUE, events.get(i).get("flapping"), done::toString);
            }
        }
    }
}
