package io.hbwatch.monitor.diagnosis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.hbwatch.monitor.event.Check;
import org.junit.jupiter.api.Test;

/** Every result is recorded at an explicit time in milliseconds, as the reporter would at that instant. */
class DiagnosisTest {
    private static final Check PING_UP = Check.up("host", "echo in 0.1 ms", 100_000);
    private static final Check PING_DOWN = Check.down("host", "unreachable", "no echo within 1000 ms");
    private static final Check BEAT = Check.up("vm", "beat", -1);
    private static final Check JMX_UP = Check.up("vm", "ping echoed in 1 ms", 1_000_000);

    private final Diagnosis d = new Diagnosis();

    private void at(long ms, String job, Check check) {
        d.record(job, check, ms * 1_000_000);
    }

    /** Records {@code check} at {@code ms} and returns its detail as the event would show it. */
    private String detailAt(long ms, String job, Check check) {
        at(ms, job, check);
        return d.explain(job, check, ms * 1_000_000).detail();
    }

    /** Beats every {@code every} ms from {@code from} to {@code to} inclusive. */
    private void beats(long from, long to, long every) {
        for (long t = from; t <= to; t += every) {
            at(t, "hb", BEAT);
        }
    }

    @Test
    void anUnresolvedHostIsNotBlamedOnTheHostOrTheNetwork() {
        String detail = "cannot resolve host 'db7.shop' (fleet.txt:6)";
        assertEquals(detail, detailAt(0, "ping", Check.down("host", "unresolved", detail)));
        assertEquals(detail, detailAt(1, "hb", Check.down("host", "unresolved", detail)));
    }

    @Test
    void pingAnswersButThePortRefuses() {
        at(0, "ping", PING_UP);
        Check hb = Check.down("vm", "refused", "nothing listens on 127.0.0.1:7777");
        assertEquals(
                "nothing listens on 127.0.0.1:7777; the host answers ping-echo: the process is gone",
                detailAt(10, "hb", hb));
    }

    @Test
    void pingAnswersAndTheStreamIsSilent() {
        at(0, "ping", PING_UP);
        Check hb = Check.down("vm", "timeout", "no heartbeat for 612 ms");
        assertEquals(
                "no heartbeat for 612 ms; the host answers ping-echo and the stream is open but silent: the JVM is frozen, "
                        + "paused or starved, or the stream is cut",
                detailAt(612, "hb", hb));
    }

    @Test
    void pingFailsToo() {
        at(0, "ping", PING_DOWN);
        Check hb = Check.down("vm", "timeout", "no heartbeat for 3000 ms");
        assertEquals(
                "no heartbeat for 3000 ms; ping-echo fails too: the host or the network is down",
                detailAt(3000, "hb", hb));
        assertEquals("no echo within 1000 ms; the host or the network is down", detailAt(3001, "ping", PING_DOWN));
    }

    @Test
    void theHeartbeatStopsWhileJolokiaAnswers() {
        at(0, "ping", PING_UP);
        beats(0, 400, 200);
        for (long t = 101; t <= 3101; t += 1000) {
            at(t, "jmx", JMX_UP); // answers at 100, 1100, 2100, 3100: well after the beat due at 600
        }
        Check hb = Check.down("vm", "timeout", "no heartbeat for 3000 ms");
        assertEquals(
                "no heartbeat for 3000 ms; Jolokia still answers: the JVM runs but its heartbeat has stopped "
                        + "(the agent's beat thread is stuck, or the stream is cut)",
                detailAt(3400, "hb", hb));
    }

    @Test
    void jolokiaFailsWhileTheHeartbeatBeats() {
        at(0, "ping", PING_UP);
        beats(0, 400, 200);
        Check jmx = Check.down("vm", "auth", "Jolokia refused the credentials (HTTP 401)");
        assertEquals(
                "Jolokia refused the credentials (HTTP 401); the heartbeat still beats: the JVM runs, and Jolokia "
                        + "refuses the request (its policy or credentials)",
                detailAt(450, "jmx", jmx));
    }

    @Test
    void jolokiaTimesOutWhileTheHeartbeatBeats() {
        at(0, "ping", PING_UP);
        at(-499, "jmx", JMX_UP);
        at(501, "jmx", JMX_UP); // the next request goes out at 1500 and never comes back
        beats(0, 2500, 200);
        Check jmx = Check.down("vm", "timeout", "no answer within 1000 ms");
        assertEquals(
                "no answer within 1000 ms; the heartbeat still beats: the JVM runs, but Jolokia did not answer in "
                        + "time (busy or starved)",
                detailAt(2500, "jmx", jmx));
    }

    /** Normal mode on a frozen JVM: Jolokia's 1 s timeout fires before the heartbeat's 3 s. */
    @Test
    void frozenJvmWhereJolokiaTimesOutFirst() {
        at(0, "ping", PING_UP);
        at(-499, "jmx", JMX_UP);
        at(501, "jmx", JMX_UP);
        beats(0, 1000, 200); // frozen at 1050; the request sent at 1500 hangs
        Check jmx = Check.down("vm", "timeout", "no answer within 1000 ms");
        assertEquals(
                "no answer within 1000 ms; the host answers ping-echo: the JVM is frozen, paused or overloaded (no beat since "
                        + "either, the last one 1500 ms ago)",
                detailAt(2500, "jmx", jmx));
        at(3000, "ping", PING_UP);
        Check hb = Check.down("vm", "timeout", "no heartbeat for 3000 ms");
        assertEquals(
                "no heartbeat for 3000 ms; the host answers ping-echo and the stream is open but silent: the JVM is "
                        + "frozen, paused or starved, or the stream is cut",
                detailAt(4000, "hb", hb));
    }

    /**
     * Fast mode on a frozen JVM: the heartbeat times out first, and Jolokia's last answer came after
     * the last beat yet before the freeze, so its UP says nothing about the silence.
     */
    @Test
    void frozenJvmWhereTheHeartbeatTimesOutFirst() {
        at(0, "ping", PING_UP);
        for (long t = 271; t <= 1021; t += 250) {
            at(t, "jmx", JMX_UP); // sent at 270, 520, 770, 1020
        }
        beats(0, 1000, 100); // frozen at 1050: the beat due at 1100 never comes
        Check hb = Check.down("vm", "timeout", "no heartbeat for 300 ms");
        assertEquals(
                "no heartbeat for 300 ms; the host answers ping-echo and the stream is open but silent: the JVM is "
                        + "frozen, paused or starved, or the stream is cut (Jolokia has not answered since either, its last answer 280 ms ago)",
                detailAt(1300, "hb", hb));
        Check jmx = Check.down("vm", "timeout", "no answer within 250 ms");
        assertEquals(
                "no answer within 250 ms; the host answers ping-echo: the JVM is frozen, paused or overloaded",
                detailAt(1520, "jmx", jmx));
    }

    /** A killed JVM: the stream ends at once, while Jolokia's UP is from before the kill. */
    @Test
    void aClosedStreamRightAfterJolokiaAnsweredProvesNothing() {
        at(0, "ping", PING_UP);
        at(-99, "jmx", JMX_UP);
        at(901, "jmx", JMX_UP);
        beats(0, 1000, 200);
        Check hb = Check.down("vm", "closed", "the stream ended after seq 5");
        assertEquals(
                "the stream ended after seq 5; the host answers ping-echo: the process is gone (Jolokia has not "
                        + "answered since either, its last answer 150 ms ago)",
                detailAt(1050, "hb", hb));
    }

    @Test
    void aSilentStreamWhileJolokiaSeesAStallIsAStuckBeatThread() {
        at(0, "ping", PING_UP);
        beats(0, 400, 200);
        at(3000, "jmx", Check.down("vm", "stall", "Sequence stuck at 3 for 2600 ms"));
        Check hb = Check.down("vm", "timeout", "no heartbeat for 3000 ms");
        assertEquals(
                "no heartbeat for 3000 ms; Jolokia answers but the MBean's Sequence stands still: the JVM runs, "
                        + "the agent's beat thread is stuck",
                detailAt(3400, "hb", hb));
    }

    @Test
    void aCredentialsFailureWithAnOverdueHeartbeatIsNotConclusive() {
        at(0, "ping", PING_UP);
        beats(0, 400, 200);
        Check jmx = Check.down("vm", "auth", "Jolokia refused the credentials (HTTP 401)");
        assertEquals(
                "Jolokia refused the credentials (HTTP 401); no beat since either, the last one 1600 ms ago: "
                        + "not conclusive yet",
                detailAt(2000, "jmx", jmx));
    }

    @Test
    void theAgentsOwnVerdictIsNotARoadFailure() {
        at(0, "ping", PING_UP);
        at(1, "jmx", JMX_UP);
        at(2, "jmx", JMX_UP);
        Check hb = Check.down("pid:42", "exited", "process 42 has exited");
        at(3, "hb", hb);
        assertSame(hb, d.explain("hb", hb, 3_000_000));
    }

    @Test
    void allThreeDownOnALiveHostIsAGoneProcess() {
        at(0, "ping", PING_UP);
        at(1, "hb", Check.down("vm", "refused", "nothing listens on 127.0.0.1:7777"));
        Check jmx = Check.down("vm", "refused", "nothing listens at http://127.0.0.1:8778/jolokia");
        assertEquals(
                "nothing listens at http://127.0.0.1:8778/jolokia; the host answers ping-echo: the process is gone",
                detailAt(2, "jmx", jmx));
    }

    @Test
    void nothingToSayWhenUpOrWithoutPing() {
        at(0, "ping", PING_DOWN);
        at(1, "hb", BEAT);
        assertSame(BEAT, d.explain("hb", BEAT, 1_000_000));
        Diagnosis alone = new Diagnosis();
        Check down = Check.down("vm", "refused", "nothing listens");
        alone.record("hb", down, 0);
        assertSame(down, alone.explain("hb", down, 0));
    }
}
