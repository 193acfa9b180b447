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
    void nothingToSayWhenUpOrWithoutPing() {
        Check hb = Check.up("vm", "beat seq 1", -1);
        assertSame(hb, Diagnosis.explain("hb", hb, Map.of("ping", PING_DOWN, "hb", hb)));
        Check down = Check.down("vm", "refused", "nothing listens");
        assertSame(down, Diagnosis.explain("hb", down, Map.of("hb", down)));
    }
}
