package io.hbwatch.monitor.support;

import static org.awaitility.Awaitility.await;

import io.hbwatch.monitor.MonitorCli;
import io.hbwatch.monitor.job.JobRunner;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A long {@code monitor-cli} run on a test thread, stopped the way SIGINT stops it: tests wait for
 * output with a bounded Awaitility condition, then {@link #stop()} and look at the exit code.
 */
public final class BackgroundRun implements AutoCloseable {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final AtomicReference<JobRunner> runner = new AtomicReference<>();
    private final CompletableFuture<Integer> exit;

    public BackgroundRun(String... args) {
        exit = CompletableFuture.supplyAsync(() -> MonitorCli.commandLine(new MonitorCli(runner::set))
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(args));
    }

    public String out() {
        return out.toString();
    }

    public String err() {
        return err.toString();
    }

    /** Waits (up to 30 s) until stderr contains {@code text}. */
    public void awaitErr(String text) {
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(10))
                .failFast("the run ended: " + this, exit::isDone)
                .until(() -> err.toString().contains(text));
    }

    /** Waits (up to 30 s) until stdout contains {@code text}. */
    public void awaitOut(String text) {
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(10))
                .failFast("the run ended: " + this, exit::isDone)
                .until(() -> out.toString().contains(text));
    }

    /** Stops the run as SIGINT would and returns everything it printed. */
    public CliRun stop() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> runner.get() != null || exit.isDone());
        if (runner.get() != null) {
            runner.get().stop();
        }
        int code = exit.get(30, TimeUnit.SECONDS);
        return new CliRun(code, out.toString(), err.toString());
    }

    @Override
    public void close() throws Exception {
        if (!exit.isDone()) {
            stop();
        }
    }

    @Override
    public String toString() {
        return "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
}
