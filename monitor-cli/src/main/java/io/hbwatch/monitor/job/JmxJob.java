package io.hbwatch.monitor.job;

import io.hbwatch.monitor.event.Check;
import io.hbwatch.monitor.jmx.HeartbeatReading;
import io.hbwatch.monitor.jmx.JmxTracker;
import io.hbwatch.monitor.jmx.JolokiaProbe;
import io.hbwatch.monitor.jmx.ProbeFailure;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Locale;

/**
 * {@code --job jmx}: every {@code --interval}, one bulk request to Jolokia that reads the Heartbeat
 * MBean ({@code Status}, {@code Sequence}, ...) and execs {@code ping} with a fresh nonce, over one
 * keep-alive connection. UP when the nonce echoes and {@code Sequence} advances; the MBean's own
 * DEGRADED or DOWN passed on; DOWN with {@code timeout}, {@code refused}, {@code auth} or {@code
 * http} when Jolokia does not answer properly, and with {@code stall} when {@code Sequence} stands
 * still for three beat intervals while Jolokia answers.
 *
 * <p>Against a JVM with some other Jolokia and no hbwatch agent, it says so once and falls back to
 * {@code java.lang:type=Runtime} {@code Uptime} as the liveness signal.
 *
 * <p>Not thread-safe: the runner never calls one instance's {@link #check} twice at once.
 */
public final class JmxJob implements PeriodicJob {
    private static final SecureRandom RANDOM = new SecureRandom();

    @Override
    public String name() {
        return "jmx";
    }

    private JmxTracker tracker;
    private JolokiaProbe probe;
    private String url;
    private boolean fallback;
    private FixedRate rate;

    @Override
    public Duration check(JobContext ctx) {
        Duration interval = ctx.options().interval;
        if (probe == null) {
            Duration timeout = ctx.options().jmxTimeout();
            url = ctx.options().jolokiaUrl();
            tracker = new JmxTracker(interval.toMillis());
            probe = new JolokiaProbe(
                    url, ctx.options().jolokiaUser, ctx.options().jolokiaPassword(), (int)
                            Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis())));
            ctx.closeOnStop(probe);
            ctx.note(String.format(
                    Locale.ROOT,
                    "JMX %s %s every %s, timeout %s",
                    url,
                    JolokiaProbe.HEARTBEAT,
                    PingJob.millis(interval),
                    PingJob.millis(timeout)));
            rate = new FixedRate(interval);
        }
        Check check;
        if (!fallback) {
            String nonce = Long.toHexString(RANDOM.nextLong());
            try {
                HeartbeatReading r = probe.heartbeat(nonce);
                check = tracker.reading(r, nonce, System.nanoTime(), ctx.stalls()::overlaps);
            } catch (ProbeFailure f) {
                if (f.noHeartbeatMBean()) {
                    fallback = true;
                    ctx.note("jmx: " + url + " has no " + JolokiaProbe.HEARTBEAT + " (no hbwatch agent there): "
                            + "using " + JolokiaProbe.RUNTIME + " Uptime as the liveness signal");
                    check = uptime(probe, tracker);
                } else {
                    tracker.failed();
                    check = Check.down(JmxTracker.SUBJECT, f.reason(), f.getMessage());
                }
            }
        } else {
            check = uptime(probe, tracker);
        }
        if (!ctx.report(check)) {
            ctx.closeOnStop(null);
            probe.close();
            return null;
        }
        return rate.untilNext();
    }

    private static Check uptime(JolokiaProbe probe, JmxTracker tracker) {
        long[] rtt = new long[1];
        try {
            return tracker.uptime(probe.uptimeMs(rtt), rtt[0]);
        } catch (ProbeFailure f) {
            tracker.failed();
            return Check.down(JmxTracker.SUBJECT, f.reason(), f.getMessage());
        }
    }
}
