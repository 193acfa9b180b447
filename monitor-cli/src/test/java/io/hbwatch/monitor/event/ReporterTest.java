package io.hbwatch.monitor.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
}
