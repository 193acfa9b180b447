package io.hbwatch.monitor.beat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hbwatch.monitor.event.Check;
import io.hbwatch.protocol.Status;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The phi accrual detector's arithmetic, and the detector against replayed traces in virtual time. */
class PhiAccrualTest {
    private static final long MS = 1_000_000L;

    private static TraceReplay.Profile profile(String name) {
        return TraceReplay.PROFILES.stream()
                .filter(p -> p.name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    private static final TraceReplay.Detector FIXED_3 =
            new TraceReplay.Detector("fixed 3", () -> new BeatTracker("vm", null));
    private static final TraceReplay.Detector FIXED_2 =
            new TraceReplay.Detector("fixed 2", () -> new BeatTracker("vm", Duration.ofSeconds(2)));
    private static final TraceReplay.Detector PHI =
            new TraceReplay.Detector("phi 8", () -> TraceReplay.phi(PhiAccrual.DEFAULT_THRESHOLD, -1));

    @Test
    void phiIsAkkasLogisticApproximation() {
        // At the mean, half the beats are later: phi = -log10(1/2).
        assertEquals(Math.log10(2), PhiAccrual.phi(1000, 1000, 100), 1e-9);
        assertTrue(PhiAccrual.phi(1500, 1000, 100) > 5);
        assertTrue(PhiAccrual.phi(900, 1000, 100) < PhiAccrual.phi(1000, 1000, 100));
        // phi 8 is reached about 5.2 standard deviations past the mean.
        double y = PhiAccrual.standardizedAt(8);
        assertEquals(8, PhiAccrual.phi(y, 0, 1), 1e-6);
        assertTrue(y > 5 && y < 5.5, "y=" + y);
    }

    @Test
    void aRegularStreamIsSuspectedAtMeanPlusPausePlusFloorDeviations() {
        PhiAccrual phi = new PhiAccrual(8, -1);
        long t = 0;
        long deadline = 0;
        for (int i = 0; i < 500; i++) {
            deadline = phi.deadlineNanos(t, 1000);
            t += 1000 * MS;
        }
        // mean ~1000 ms, the deviation at its floor (100 ms) once the seed is diluted, one interval of pause
        double expected = 1000 + 1000 + PhiAccrual.standardizedAt(8) * 100;
        assertEquals(expected, (deadline - (t - 1000 * MS)) / 1e6, 5);
    }

    @Test
    void jitterWidensTheDeadline() {
        PhiAccrual steady = new PhiAccrual(8, -1);
        PhiAccrual jittery = new PhiAccrual(8, -1);
        long ts = 0;
        long tj = 0;
        long ds = 0;
        long dj = 0;
        java.util.Random r = new java.util.Random(1);
        for (int i = 0; i < 500; i++) {
            ds = steady.deadlineNanos(ts, 1000) - ts;
            dj = jittery.deadlineNanos(tj, 1000) - tj;
            ts += 1000 * MS;
            tj += (long) ((1000 + r.nextGaussian() * 300) * MS);
        }
        assertTrue(dj > ds + 500 * MS, "steady " + ds / MS + " ms, jittery " + dj / MS + " ms");
    }

    @Test
    void theSilenceDetailSaysWhatPhiSaw() {
        BeatTracker t = new BeatTracker("vm", null, new PhiAccrual(8, -1));
        t.connected(0);
        for (int i = 1; i <= 10; i++) {
            t.beat(new Beat(i, 0, 1000, "vm", Status.UP, null, null, "a", "1", -1), i * 1000 * MS);
        }
        Check c = t.silence(t.deadlineNanos());
        assertEquals(Status.DOWN, c.state());
        assertTrue(
                c.detail().contains("phi 8 with arrivals 1000 ± 107 ms over 11 beats, 1000 ms pause allowed"),
                c.detail());
    }

    @Test
    void onASteadyStreamPhiDetectsSoonerWithoutFalseSuspicions() {
        TraceReplay.Profile steady = profile("steady LAN");
        TraceReplay.Result phi = TraceReplay.run(steady, PHI, 20, 0.5);
        TraceReplay.Result fixed = TraceReplay.run(steady, FIXED_3, 20, 0.5);
        assertEquals(0, phi.falseSuspicions());
        assertEquals(0, fixed.falseSuspicions());
        assertTrue(phi.detectionPercentile(0.5) + 300 < fixed.detectionPercentile(0.5));
    }

    @Test
    void underJitterAndLossPhiErrsFarLessThanAFixedTimeoutAsFast() {
        TraceReplay.Profile noisy = profile("jitter and loss");
        TraceReplay.Result phi = TraceReplay.run(noisy, PHI, 20, 1);
        TraceReplay.Result fixed2 = TraceReplay.run(noisy, FIXED_2, 20, 1);
        assertTrue(
                phi.falsePerHour() * 10 < fixed2.falsePerHour(), phi.falsePerHour() + " vs " + fixed2.falsePerHour());
        // ... and still sees the real stop within about three intervals.
        assertTrue(phi.detectionPercentile(1) < 3500, "worst " + phi.detectionPercentile(1) + " ms");
        for (long ms : phi.detectionMs()) {
            assertTrue(ms > 0, "a detection before the stop");
        }
    }
}
