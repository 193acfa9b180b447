package io.hbwatch.agent.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hbwatch.agent.health.Finding;
import io.hbwatch.agent.health.Health;
import io.hbwatch.agent.watchdog.Action;
import io.hbwatch.agent.watchdog.Actions;
import io.hbwatch.protocol.JsonLine;
import io.hbwatch.protocol.Reason;
import java.lang.instrument.Instrumentation;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import javax.management.MBeanServer;
import net.bytebuddy.agent.ByteBuddyAgent;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Probes applied with a real Instrumentation to real classes of the test JVM. */
class ProbesTest {
    private static Instrumentation inst;

    @BeforeAll
    static void installAgent() {
        inst = ByteBuddyAgent.install();
    }

    /** A watched method that blocks until told to return. */
    static final class Hang {
        static String serve(CountDownLatch release) throws InterruptedException {
            release.await();
            return "served";
        }
    }

    /** Watched methods that return and throw. */
    static final class Calc {
        static final IllegalStateException BOOM = new IllegalStateException("boom");

        int twice(int x) {
            return 2 * x;
        }

        void fail() {
            throw BOOM;
        }
    }

    static final class NoSuchMethodHere {
        void other() {}
    }

    @Test
    void aCallPastItsDeadlineIsAStallUntilItReturns() throws Exception {
        Hang.serve(new CountDownLatch(0)); // loaded before the probe: retransformation
        Health health = new Health();
        try (Probes probes = start(health, Hang.class.getName() + "#serve@200ms")) {
            ProbeMXBean mbean = probes.probes().get(0);
            assertTrue(mbean.isInstrumented(), mbean.getState());
            CountDownLatch release = new CountDownLatch(1);
            Thread caller = new Thread(
                    () -> {
                        try {
                            Hang.serve(release);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    },
                    "probe-test-caller");
            caller.start();
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> health.worst() != null);
            Finding f = health.worst();
            assertEquals(Reason.STALL, f.reason());
            assertTrue(
                    f.detail().startsWith(Hang.class.getName() + "#serve in thread \"probe-test-caller\" for "),
                    f.detail());
            assertTrue(f.detail().endsWith(", past its 200 ms deadline"), f.detail());
            assertEquals(1, mbean.getInFlight());
            assertTrue(mbean.getStalledStack().contains(Hang.class.getName() + ".serve"), mbean.getStalledStack());
            assertTrue(mbean.getStalledThreads()[0].startsWith("\"probe-test-caller\" for "));
            JsonLine beat = new JsonLine();
            health.contribute(beat);
            assertEquals(
                    "{\"stalled\":[\"" + Hang.class.getName() + "#serve in \\\"probe-test-caller\\\"\"]}",
                    beat.toJson());

            release.countDown();
            caller.join(10_000);
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> health.worst() == null);
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> mbean.getCalls() == 1);
            assertEquals(0, mbean.getInFlight());
            assertTrue(mbean.getLongestMillis() >= 200, "longest " + mbean.getLongestMillis());
            assertTrue(Math.abs(System.currentTimeMillis() - mbean.getLastCompletion()) < 60_000);
        }
    }

    @Test
    void aFailingProbeNeverChangesWhatTheMethodReturnsOrThrows() throws Exception {
        Health health = new Health();
        try (Probes probes = start(health, Calc.class.getName() + "#twice@1s;" + Calc.class.getName() + "#fail@1s")) {
            assertTrue(
                    probes.probes().get(0).isInstrumented(),
                    probes.probes().get(0).getState());
            Calc calc = new Calc();
            assertEquals(42, calc.twice(21));
            assertSame(Calc.BOOM, assertThrows(IllegalStateException.class, calc::fail));
            ProbeCalls.failForTest = true;
            try {
                assertEquals(42, calc.twice(21));
                assertSame(Calc.BOOM, assertThrows(IllegalStateException.class, calc::fail));
            } finally {
                ProbeCalls.failForTest = false;
            }
            assertEquals(8, calc.twice(4));
            Awaitility.await()
                    .atMost(Duration.ofSeconds(20))
                    .until(() -> probes.probes().get(0).getCalls() == 2);
            Awaitility.await()
                    .atMost(Duration.ofSeconds(20))
                    .until(() -> probes.probes().get(1).getCalls() == 1);
            assertEquals(0, probes.probes().get(0).getInFlight(), "failed entries leave no call in flight");
            assertNull(health.worst());
        }
    }

    @Test
    void theMBeanSaysWhenItsClassNeverLoadedOrHasNoSuchMethod() throws Exception {
        Health health = new Health();
        new NoSuchMethodHere().other();
        String never = "io.hbwatch.agent.probe.NeverLoaded";
        try (Probes probes = start(health, never + "#run@1s;" + NoSuchMethodHere.class.getName() + "#run@1s")) {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            String state = (String) server.getAttribute(Probes.objectName(ProbeSpec.parse(never + "#run@1s")), "State");
            assertEquals("waiting for class " + never + " to load", state);
            ProbeMXBean missing = probes.probes().get(1);
            assertFalse(missing.isInstrumented());
            assertTrue(missing.getState().endsWith("declares no method run with a body"), missing.getState());
            assertEquals(
                    1000L,
                    server.getAttribute(
                            Probes.objectName(ProbeSpec.parse(NoSuchMethodHere.class.getName() + "#run@1s")),
                            "DeadlineMillis"));
        }
        assertFalse(ManagementFactory.getPlatformMBeanServer()
                .isRegistered(Probes.objectName(ProbeSpec.parse(never + "#run@1s"))));
    }

    @Test
    void aBootClassCannotBeProbedAndSaysWhy() {
        try (Probes probes = start(new Health(), "java.lang.Thread#sleep@1s")) {
            String state = probes.probes().get(0).getState();
            assertTrue(state.contains("cannot see the agent's classes"), state);
        }
    }

    private static Probes start(Health health, String watch) {
        List<ProbeSpec> specs = ProbeSpec.parseAll(watch);
        return Probes.start(specs, List.of(), inst, health, Action.LOG, new Actions(null));
    }
}
