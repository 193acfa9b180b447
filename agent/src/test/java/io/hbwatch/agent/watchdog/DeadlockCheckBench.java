package io.hbwatch.agent.watchdog;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The cost of one deadlock check in a JVM of 1,000 waiting threads, with and without a deadlock
 * among them (with one, the check also reads the deadlocked threads' stacks the first time only;
 * later checks compare ids). Goal: under 10 ms.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
@Fork(1)
public class DeadlockCheckBench {
    @Param({"1000"})
    public int threads;

    @Param({"false", "true"})
    public boolean deadlocked;

    private final List<Thread> started = new ArrayList<>();
    private final CountDownLatch done = new CountDownLatch(1);
    private Thread[] pair;
    private DeadlockCheck check;

    @Setup(Level.Trial)
    public void start() throws InterruptedException {
        int waiting = deadlocked ? threads - 2 : threads;
        for (int i = 0; i < waiting; i++) {
            Thread t = new Thread(
                    () -> {
                        try {
                            done.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    },
                    "bench-waiter-" + i);
            t.setDaemon(true);
            t.start();
            started.add(t);
        }
        if (deadlocked) {
            pair = DeadlockCheckTest.deadlock("bench-a", "bench-b");
        }
        check = new DeadlockCheck(Action.LOG, new Actions(null));
    }

    @TearDown(Level.Trial)
    public void stop() {
        done.countDown();
        if (pair != null) {
            pair[0].interrupt();
        }
    }

    @Benchmark
    public long[] check() {
        return check.check();
    }
}
