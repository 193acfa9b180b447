package io.hbwatch.monitor.job;

import io.hbwatch.monitor.event.Check;
import io.hbwatch.monitor.ping.Echo;
import io.hbwatch.monitor.ping.Prober;
import io.hbwatch.monitor.ping.TcpProber;
import io.hbwatch.protocol.Addresses;
import io.hbwatch.protocol.Reason;
import java.time.Duration;
import java.util.Locale;

/**
 * {@code --job ping}: an echo request every {@code --interval}, each waiting at most the echo
 * timeout. DOWN with {@code unreachable} after {@code --misses} missed echoes in a row (default 1),
 * UP again on the first answer. Each answer's round trip goes into the summary.
 *
 * <p>Not thread-safe: the runner never calls one instance's {@link #check} twice at once.
 */
public final class PingJob implements PeriodicJob {
    /** Subject of every ping result: the target's host. */
    static final String SUBJECT = "host";

    @Override
    public String name() {
        return "ping";
    }

    private Prober prober;
    private int misses;
    private FixedRate rate;

    @Override
    public Duration check(JobContext ctx) throws InterruptedException {
        Duration interval = ctx.options().interval;
        Duration timeout = ctx.options().echoTimeout();
        if (prober == null) {
            int port = ctx.target().hasPort() ? ctx.target().port() : TcpProber.ECHO_PORT;
            prober = ctx.options().probe.create(port);
            ctx.note(String.format(
                    Locale.ROOT,
                    "PING %s (%s) with %s every %s, timeout %s",
                    ctx.target().host(),
                    Addresses.host(ctx.address()),
                    prober.method(),
                    millis(interval),
                    millis(timeout)));
            rate = new FixedRate(interval);
        }
        Echo echo = prober.probe(ctx.address(), timeout);
        Check check;
        if (echo.answered()) {
            misses = 0;
            check = Check.up(
                    SUBJECT, String.format(Locale.ROOT, "echo in %.3f ms", echo.rttNanos() / 1e6), echo.rttNanos());
        } else {
            misses++;
            String detail = echo.failure() + (misses > 1 ? " (" + misses + " misses in a row)" : "");
            check = misses >= ctx.options().misses
                    ? Check.down(SUBJECT, Reason.UNREACHABLE, detail)
                    : Check.up(SUBJECT, detail + ", below --misses " + ctx.options().misses, -1);
        }
        if (!ctx.report(check)) {
            return null;
        }
        return rate.untilNext();
    }

    static String millis(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
    }
}
