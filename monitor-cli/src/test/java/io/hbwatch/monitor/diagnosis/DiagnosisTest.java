package io.hbwatch.monitor.diagnosis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.hbwatch.monitor.event.Check;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DiagnosisTest {
    private static final Check PING_UP = Check.up("host", "echo in 0.1 ms", 100_000);
    private static final Check PING_DOWN = Check.down("host", "unreachable", "no echo within 1000 ms");

    @Test
    void pingAnswersButThePortRefuses() {
        Check hb = Check.down("vm", "refused", "nothing listens on 127.0.0.1:7777");
        assertEquals(
                "nothing listens on 127.0.0.1:7777; the host answers ping-echo: the process is gone",
                Diagnosis.explain("hb", hb, Map.of("ping", PING_UP, "hb", hb)).detail());
    }

    @Test
    void pingAnswersAndTheStreamIsSilent() {
        Check hb = Check.down("vm", "timeout", "no heartbeat for 612 ms");
        assertEquals(
                "no heartbeat for 612 ms; the host answers ping-echo and the stream is open but silent: the JVM is frozen",
                Diagnosis.explain("hb", hb, Map.of("ping", PING_UP, "hb", hb)).detail());
    }

    @Test
    void pingFailsToo() {
        Check hb = Check.down("vm", "timeout", "no heartbeat for 3000 ms");
        assertEquals(
                "no heartbeat for 3000 ms; ping-echo fails too: the host or the network is down",
                Diagnosis.explain("hb", hb, Map.of("ping", PING_DOWN, "hb", hb)).detail());
        assertEquals(
                "no echo within 1000 ms; the host or the network is down",
                Diagnosis.explain("ping", PING_DOWN, Map.of("ping", PING_DOWN)).detail());
    }

    @Test
    void aSilentStreamWhileJolokiaSeesAStallIsAStuckBeatThread() {
        Check hb = Check.down("vm", "timeout", "no heartbeat for 3000 ms");
        Check jmx = Check.down("vm", "stall", "Sequence stuck at 9 for 3000 ms");
        assertEquals(
                "no heartbeat for 3000 ms; Jolokia answers but the MBean's Sequence stands still: the JVM runs, "
                        + "the agent's beat thread is stuck",
                Diagnosis.explain("hb", hb, Map.of("ping", PING_UP, "hb", hb, "jmx", jmx))
                        .detail());
    }

    @Test
    void anUpOfTheOtherRoadExplainsNothing() {
        // jmx's latest UP may be an interval old: the JVM may have frozen or died since.
        Check hb = Check.down("vm", "closed", "the stream ended after seq 20");
        Check jmx = Check.up("vm", "ping echoed in 0.5 ms, Sequence 20", 500_000);
        assertEquals(
                "the stream ended after seq 20; the host answers ping-echo: the process is gone",
                Diagnosis.explain("hb", hb, Map.of("ping", PING_UP, "hb", hb, "jmx", jmx))
                        .detail());
    }

    @Test
    void allThreeDownOnALiveHostIsAGoneProcess() {
        Check jmx = Check.down("vm", "refused", "nothing listens at http://127.0.0.1:8778/jolokia");
        Check hb = Check.down("vm", "refused", "nothing listens on 127.0.0.1:7777");
        assertEquals(
                "nothing listens at http://127.0.0.1:8778/jolokia; the host answers ping-echo: the process is gone",
                Diagnosis.explain("jmx", jmx, Map.of("ping", PING_UP, "hb", hb, "jmx", jmx))
                        .detail());
    }

    @Test
    void nothingToSayWhenUpOrWithoutPing() {
        Check hb = Check.up("vm", "beat seq 1", -1);
        assertSame(hb, Diagnosis.explain("hb", hb, Map.of("ping", PING_DOWN, "hb", hb)));
        Check down = Check.down("vm", "refused", "nothing listens");
        assertSame(down, Diagnosis.explain("hb", down, Map.of("hb", down)));
    }
}
