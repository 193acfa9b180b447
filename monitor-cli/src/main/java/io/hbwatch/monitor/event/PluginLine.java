package io.hbwatch.monitor.event;

import io.hbwatch.protocol.Printable;
import io.hbwatch.protocol.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The first line of a run as a monitoring plugin, by the Monitoring Plugins development
 * guidelines: {@code HBWATCH OK - <summary> | <perfdata>}. The service name, the status word of
 * the exit code (OK 0, WARNING 1, CRITICAL 2, UNKNOWN 3), one line of summary, then performance
 * data, each {@code 'label'=value[UOM];[warn];[crit];[min];[max]}:
 *
 * <ul>
 *   <li>{@code ping_rtt}, {@code jmx_rtt}: the latest round trip, in ms;
 *   <li>{@code hb_age}: time since the latest beat arrived, in ms;
 *   <li>{@code hb_pause}: the longest JVM pause the beats of the run reported, in ms.
 * </ul>
 *
 * With several watches each label starts with the target ({@code '10.0.0.5:7777 hb_age'=...}).
 * A value the run has not measured is left out, as the guidelines ask. Nothing here contains
 * {@code |} except the separator, so that no detail can cut the line into a false perfdata part.
 */
final class PluginLine {
    static final String SERVICE = "HBWATCH";

    private PluginLine() {}

    /**
     * @param stats watch -> job -> counts, as the {@link Reporter} keeps them
     * @param exitCode the code the run exits with: its status word
     */
    static String of(Map<String, Map<String, Stats>> stats, int exitCode, long nowNanos) {
        String perfdata = perfdata(stats, nowNanos);
        String line = SERVICE + ' ' + word(exitCode) + " - " + summary(stats);
        return perfdata.isEmpty() ? line : line + " | " + perfdata;
    }

    static String word(int exitCode) {
        return switch (exitCode) {
            case 0 -> "OK";
            case 1 -> "WARNING";
            case 2 -> "CRITICAL";
            default -> "UNKNOWN";
        };
    }

    private static String summary(Map<String, Map<String, Stats>> stats) {
        if (stats.size() == 1) {
            Map.Entry<String, Map<String, Stats>> only =
                    stats.entrySet().iterator().next();
            return clean(only.getKey() + ": " + jobs(only.getValue()));
        }
        int up = 0;
        int degraded = 0;
        int down = 0;
        int none = 0;
        String worstTarget = null;
        Stats worst = null;
        String worstJob = null;
        for (Map.Entry<String, Map<String, Stats>> e : stats.entrySet()) {
            Status targetState = Status.UP;
            boolean missing = false;
            for (Map.Entry<String, Stats> j : e.getValue().entrySet()) {
                Stats s = j.getValue();
                if (s.last == null) {
                    missing = true;
                    continue;
                }
                targetState = Status.worst(targetState, s.last.state());
                if (s.last.state() != Status.UP
                        && (worst == null || Status.worst(worst.last.state(), s.last.state()) != worst.last.state())) {
                    worst = s;
                    worstTarget = e.getKey();
                    worstJob = j.getKey();
                }
            }
            if (missing) {
                none++;
            } else if (targetState == Status.UP) {
                up++;
            } else if (targetState == Status.DEGRADED) {
                degraded++;
            } else {
                down++;
            }
        }
        StringBuilder b = new StringBuilder()
                .append(stats.size())
                .append(" targets: ")
                .append(up)
                .append(" UP");
        if (degraded > 0) {
            b.append(", ").append(degraded).append(" DEGRADED");
        }
        if (down > 0) {
            b.append(", ").append(down).append(" DOWN");
        }
        if (none > 0) {
            b.append(", ").append(none).append(" without a result");
        }
        if (worst != null) {
            b.append("; worst: ").append(worstTarget).append(' ').append(job(worstJob, worst, true));
        }
        return clean(b.toString());
    }

    /** The jobs of one watch, those not UP first with their detail: {@code hb DOWN (refused): ...; ping UP}. */
    private static String jobs(Map<String, Stats> byJob) {
        List<String> bad = new ArrayList<>();
        List<String> good = new ArrayList<>();
        for (Status wanted : new Status[] {Status.DOWN, Status.DEGRADED}) {
            byJob.forEach((job, s) -> {
                if (s.last != null && s.last.state() == wanted) {
                    bad.add(job(job, s, true));
                }
            });
        }
        byJob.forEach((job, s) -> {
            if (s.last == null || s.last.state() == Status.UP) {
                good.add(job(job, s, false));
            }
        });
        List<String> all = new ArrayList<>(bad);
        if (!good.isEmpty()) {
            all.add(String.join(", ", good));
        }
        return String.join("; ", all);
    }

    private static String job(String job, Stats s, boolean withDetail) {
        String line = job + ' ' + s.finalState();
        return withDetail && s.last != null ? line + ": " + s.last.detail() : line;
    }

    private static String perfdata(Map<String, Map<String, Stats>> stats, long nowNanos) {
        List<String> data = new ArrayList<>();
        boolean prefixed = stats.size() > 1;
        stats.forEach((target, byJob) -> byJob.forEach((job, s) -> {
            String prefix = prefixed ? target + ' ' : "";
            if (s.rttLastNanos >= 0) {
                data.add(datum(prefix + job + "_rtt", s.rttLastNanos / 1e6));
            }
            if (s.beatNanos >= 0) {
                data.add(datum(prefix + job + "_age", Math.max(0, nowNanos - s.beatNanos) / 1e6));
                data.add(datum(prefix + job + "_pause", s.pauseMaxMs));
            }
        }));
        return String.join(" ", data);
    }

    /** {@code label=VALUEms;;;0}, the label quoted when it must be. */
    private static String datum(String label, double ms) {
        String safe = label.replace('\'', '_').replace('=', '_').replace('|', '_');
        if (safe.indexOf(' ') >= 0) {
            safe = "'" + safe + "'";
        }
        return safe + '=' + String.format(Locale.ROOT, "%.3f", ms) + "ms;;;0";
    }

    /** One line without the perfdata separator. */
    private static String clean(String summary) {
        return Printable.of(summary).replace('|', '/').replace('\n', ' ');
    }
}
