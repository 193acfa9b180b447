package io.hbwatch.agent.probe;

import io.hbwatch.agent.health.Health;
import io.hbwatch.agent.watchdog.Action;
import io.hbwatch.agent.watchdog.Actions;
import java.util.concurrent.TimeUnit;
import net.bytebuddy.agent.ByteBuddyAgent;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What a probe adds to a call: the same small method, bare and instrumented. Run with {@code
 * bench/watchdog-jmh.sh} ({@code -prof gc} shows the allocation per call). Goal: under 100 ns
 * added, no allocation.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = "-Djdk.attach.allowAttachSelf=true")
public class ProbeBench {
    /** Not probed. */
    public static final class BareTarget {
        public static long work(long x) {
            return x * 31 + 7;
        }
    }

    /** The same code, probed. */
    public static final class ProbedTarget {
        public static long work(long x) {
            return x * 31 + 7;
        }
    }

    private Probes probes;
    private long x = 42;

    @Setup(Level.Trial)
    public void probe() {
        probes = Probes.start(
                ProbeSpec.parseAll(ProbedTarget.class.getName() + "#work@1s"),
                java.util.List.of(),
                ByteBuddyAgent.install(),
                new Health(),
                Action.LOG,
                new Actions(null));
        if (!probes.probes().get(0).isInstrumented()) {
            throw new IllegalStateException(probes.probes().get(0).getState());
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        probes.close();
    }

    @Benchmark
    public long bare() {
        return BareTarget.work(x++);
    }

    @Benchmark
    public long probed() {
        return ProbedTarget.work(x++);
    }
}
