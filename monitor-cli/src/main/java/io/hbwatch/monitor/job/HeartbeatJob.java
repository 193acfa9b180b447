package io.hbwatch.monitor.job;

import io.hbwatch.monitor.beat.PhiAccrual;
import io.hbwatch.monitor.cli.DetectorName;
import io.hbwatch.monitor.cli.MonitorOptions;
import io.hbwatch.protocol.Protocol;
import java.time.Duration;

/**
 * {@code --job hb}: connects to the agent's heartbeat port, subscribes (to {@code --pid} when given,
 * else to the agent's default subject without its first-line wait)
 * and reads beats. DOWN at once with {@code refused} or {@code closed} when nothing listens or the
 * stream ends; DOWN with {@code timeout} when no beat comes within the timeout (or before phi
 * reaches its threshold, {@code --detector phi}) while the connection stays open (a frozen JVM);
 * the subject's own DOWN or DEGRADED passed on; UP when beats resume. Reconnects with capped
 * exponential backoff; a protocol violation closes the connection.
 * With {@code --secret}/{@code --secret-file} every beat must carry a valid signature ({@link
 * io.hbwatch.protocol.BeatSignature}), count up on its connection and, with {@code --pid}, be about
 * the subject asked for; a beat that does not is DOWN {@code auth} and closes the connection.
 *
 * <p>The runner puts every heartbeat stream of the run on one {@link BeatLoop} (non-blocking I/O,
 * one thread); the work of one stream is in {@link BeatStream}. Each beat, each silence and each
 * failed connection counts as one check for {@code --count}.
 */
public final class HeartbeatJob implements Job {
    static final Duration FIRST_RETRY = Duration.ofMillis(50);
    static final Duration MAX_RETRY = Duration.ofSeconds(2);

    @Override
    public String name() {
        return "hb";
    }

    /** This one stream on a loop of its own, until the job is done or stopped. */
    @Override
    public void run(JobContext ctx) throws InterruptedException {
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        ctx.onFinish(done::countDown);
        try (BeatLoop loop = new BeatLoop()) {
            loop.add(this, ctx);
            while (ctx.running() && !done.await(100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                // the loop's thread does the work; this one waits for the end
            }
        }
    }

    /** The phi accrual detector {@code --detector phi} asks for, else null (the fixed timeout). */
    static PhiAccrual detector(MonitorOptions o) {
        if (o.detector != DetectorName.phi) {
            return null;
        }
        return new PhiAccrual(o.phiThreshold, o.phiPause == null ? -1 : o.phiPause.toMillis());
    }

    /** The subject asked for: {@code vm}, or {@code pid:1234} / {@code name:chrome} with {@code --pid}. */
    static String subjectOf(String pid) {
        if (pid == null) {
            return Protocol.SUBJECT_VM;
        }
        return (pid.chars().allMatch(Character::isDigit) ? Protocol.SUBJECT_PID_PREFIX : Protocol.SUBJECT_NAME_PREFIX)
                + pid;
    }
}
