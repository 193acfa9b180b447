package io.hbwatch.monitor.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hbwatch.monitor.cli.Format;
import io.hbwatch.protocol.Status;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReporterTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private Reporter reporter(boolean verbose, String... jobs) {
        Output output = new Output(Format.json, false, new PrintWriter(out), new PrintWriter(err));
        return new Reporter(List.of(jobs), "h:1", output, verbose, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));
    }

    private long lines() {
        return out.toString().lines().count();
    }

    @Test
    void printsChangesOfStateAndOfReasonOnly() {
        Reporter r = reporter(false, "hb");
        r.report("hb", Check.up("vm", "first", -1));
        r.report("hb", Check.up("vm", "again", -1));
        assertEquals(1, lines());
        r.report("hb", Check.down("vm", "refused", "nothing listens"));
        r.report("hb", Check.down("vm", "refused", "nothing listens"));
        assertEquals(2, lines());
        r.report("hb", Check.down("vm", "timeout", "silent"));
        assertEquals(3, lines());
        r.report("hb", Check.up("vm", "restarted", -1).asNotable());
        r.report("hb", Check.up("vm", "restarted again", -1).asNotable());
        assertEquals(5, lines());
    }

    @Test
    void verbosePrintsEveryCheck() {
        Reporter r = reporter(true, "ping");
        for (int i = 0; i < 4; i++) {
            r.report("ping", Check.up("host", "echo", 1000));
        }
        assertEquals(4, lines());
    }

    @Test
    void exitCodeIsTheWorstFinalStateOrThreeWithoutAResult() {
        Reporter r = reporter(false, "ping", "hb");
        r.report("ping", Check.up("host", "echo", 1000));
        assertEquals(3, r.exitCode());
        r.report("hb", new Check("vm", Status.DEGRADED, "deadlock", "2 threads", -1, false));
        assertEquals(1, r.exitCode());
        r.report("ping", Check.down("host", "unreachable", "no echo"));
        assertEquals(2, r.exitCode());
        r.report("ping", Check.up("host", "echo", 1000));
        r.report("hb", Check.up("vm", "beat", -1));
        assertEquals(0, r.exitCode());
    }

    @Test
    void theSummaryIsLikePingsAndNothingFollowsIt() {
        Reporter r = reporter(false, "ping");
        r.report("ping", Check.up("host", "echo", 1_000_000));
        r.report("ping", Check.down("host", "unreachable", "no echo"));
        r.close();
        r.report("ping", Check.up("host", "echo", 1_000_000));
        assertEquals(2, lines());
        assertTrue(
                err.toString()
                        .contains(
                                "ping: 2 checks, 1 failure (50%), rtt min/avg/max = 1.000/1.000/1.000 ms, now DOWN (unreachable)"),
                err::toString);
    }

    @Test
    void theSummaryOfAFleetIsOneAlignedLinePerTargetAndJob() {
        Output output = new Output(Format.json, false, new PrintWriter(out), new PrintWriter(err));
        Reporter r = new Reporter(output, false, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));
        r.watch("10.0.0.5:7777", "10.0.0.5:7777", List.of("ping", "hb"));
        r.watch("db.example:7777 --pid sshd", "db.example:7777", List.of("hb"));
        r.report("10.0.0.5:7777", "ping", Check.up("host", "echo", 1_000_000));
        r.report("10.0.0.5:7777", "hb", Check.up("vm", "beat", -1));
        r.report("db.example:7777 --pid sshd", "hb", Check.down("pid:1", "exited", "gone"));
        r.close();
        assertEquals(
                List.of(
                        "--- monitor-cli statistics ---",
                        "TARGET                      JOB     CHECKS  FAILURES  STATE",
                        "10.0.0.5:7777               ping         1         0  UP",
                        "10.0.0.5:7777               hb           1         0  UP",
                        "db.example:7777 --pid sshd  hb           1         1  DOWN (exited)"),
                err.toString().lines().toList());
        assertEquals(3, lines(), "stdout holds the events only");
    }

    @Test
    void aRoadOfAnUnwatchedWatchIsDroppedEvenOnceItsKeyIsWatchedAgain() {
        Output output = new Output(Format.json, false, new PrintWriter(out), new PrintWriter(err));
        Reporter r = new Reporter(output, false, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));
        List<String> unwatched = new java.util.ArrayList<>();
        r.listen(new Listener() {
            @Override
            public void onCheck(String target, String job, Check check, Check previous, Event event) {}

            @Override
            public void onUnwatch(String target) {
                unwatched.add(target);
            }
        });
        r.watch("h:1 --pid a", "h:1", List.of("hb"));
        r.watch("h:1 --pid b", "h:1", List.of("hb"));
        Reporter.Road old = r.road("h:1 --pid a", "hb");
        r.report(old, Check.up("pid:1", "beat", -1));
        assertEquals(1, lines());

        r.unwatch("h:1 --pid a", "changed in fleet.txt");
        assertEquals(List.of(), unwatched, "h:1 is still watched for pid b");
        r.watch("h:1 --pid a", "h:1", List.of("hb"));
        r.report(old, Check.down("pid:1", "exited", "gone"));
        assertEquals(1, lines(), "a check of the watch before the change is dropped");
        r.report(r.road("h:1 --pid a", "hb"), Check.down("pid:1", "exited", "gone"));
        assertEquals(2, lines(), "the new watch's first check is an event");

        r.unwatch("h:1 --pid a", "removed from fleet.txt");
        r.unwatch("h:1 --pid b", "removed from fleet.txt");
        assertEquals(List.of("h:1"), unwatched, "told once, when the last watch of h:1 ends");
        assertThrows(NullPointerException.class, () -> r.road("h:1 --pid a", "hb"));
    }
}
