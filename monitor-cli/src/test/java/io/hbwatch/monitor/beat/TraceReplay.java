package io.hbwatch.monitor.beat;

import io.hbwatch.protocol.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Replays made-up beat traces into {@link BeatTracker}s in virtual time (no waiting): the same
 * arrivals for every detector, then a real stop. Counts false suspicions (a DOWN timeout before the
 * stop) and measures the detection time (the DOWN's instant minus the stop's). Deterministic: each
 * trial's trace comes from its own seed.
 *
 * <p>{@code bench/phi.sh} runs {@link #main}; {@code PhiReplayTest} runs shorter replays.
 */
public final class TraceReplay {
    private static final long MS = 1_000_000L;

    /**
     * How the beats of one trace arrive.
     *
     * @param intervalMs the announced interval
     * @param jitterMs standard deviation of the network delay (half-normal, added to each beat)
     * @param loss chance that a beat never arrives
     * @param pausesPerHour GC-like pauses of the sender: beats due during one arrive at its end, once
     * @param pauseMedianMs median length of a pause (log-normal, sigma 0.6)
     * @param pauseMaxMs cap on a pause's length
     * @param uniformJitterMs when positive, the network delay is uniform between 0 and this instead
     *     of half-normal (a delaying proxy's replay)
     */
    public record Profile(
            String name,
            long intervalMs,
            double jitterMs,
            double loss,
            double pausesPerHour,
            double pauseMedianMs,
            double pauseMaxMs,
            double uniformJitterMs) {
        public Profile(
                String name,
                long intervalMs,
                double jitterMs,
                double loss,
                double pausesPerHour,
                double pauseMedianMs,
                double pauseMaxMs) {
            this(name, intervalMs, jitterMs, loss, pausesPerHour, pauseMedianMs, pauseMaxMs, 0);
        }
    }

    /** One detector under test: a name for the table and a fresh tracker per trial. */
    public record Detector(String name, Supplier<BeatTracker> tracker) {}

    /** What one detector did over every trial of one profile. */
    public record Result(String profile, String detector, double hours, long falseSuspicions, long[] detectionMs) {
        public double falsePerHour() {
            return falseSuspicions / hours;
        }

        public long detectionPercentile(double p) {
            long[] sorted = detectionMs.clone();
            Arrays.sort(sorted);
            return sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
        }
    }

    public static final List<Profile> PROFILES = List.of(
            new Profile("steady LAN", 1000, 1, 0, 0, 0, 0),
            new Profile("rare GC pauses", 1000, 2, 0, 2, 1500, 6000),
            new Profile("jitter and loss", 1000, 150, 0.02, 0, 0, 0),
            new Profile("GC pauses", 1000, 5, 0.001, 20, 800, 6000),
            new Profile("all of it", 1000, 100, 0.01, 10, 1000, 6000),
            new Profile("jitter 0-600 ms, 1 s beats", 1000, 0, 0, 0, 0, 0, 600),
            new Profile("jitter 0-600 ms, 200 ms beats", 200, 0, 0, 0, 0, 0, 600));

    public static final List<Detector> DETECTORS = List.of(
            new Detector("fixed 3 intervals (default)", () -> new BeatTracker("vm", null)),
            new Detector("phi 8, pause 1 interval (default)", () -> phi(8, -1)),
            new Detector("phi 8, pause 0", () -> phi(8, 0)),
            new Detector("phi 12, pause 1 interval", () -> phi(12, -1)),
            new Detector("phi 8, pause 2 s", () -> phi(8, 2000)),
            new Detector("fixed 2 s", () -> new BeatTracker("vm", Duration.ofSeconds(2))));

    static BeatTracker phi(double threshold, long pauseMs) {
        return new BeatTracker("vm", null, new PhiAccrual(threshold, pauseMs));
    }

    /** The arrival times (ns) of one trial's trace, {@code hours} long; the stop follows the last. */
    static long[] trace(Profile p, double hours, long seed) {
        Random r = new Random(seed);
        long end = (long) (hours * 3600_000) * MS;
        long interval = p.intervalMs() * MS;
        double pauseChance = p.pausesPerHour() * p.intervalMs() / 3600_000.0;
        List<Long> arrivals = new ArrayList<>();
        long pausedUntil = 0;
        long lastArrival = 0;
        for (long sent = 0; sent < end; sent += interval) {
            if (r.nextDouble() < pauseChance) {
                double ms = Math.min(p.pauseMaxMs(), p.pauseMedianMs() * Math.exp(0.6 * r.nextGaussian()));
                pausedUntil = Math.max(pausedUntil, sent + (long) (ms * MS));
            }
            long leaves = sent;
            if (sent < pausedUntil) {
                if (sent + interval < pausedUntil) {
                    continue; // the beat thread is paused: only the overdue one goes out, at the end
                }
                leaves = pausedUntil;
            }
            if (r.nextDouble() < p.loss()) {
                continue;
            }
            double delayMs = p.uniformJitterMs() > 0
                    ? r.nextDouble() * p.uniformJitterMs()
                    : Math.abs(r.nextGaussian()) * p.jitterMs();
            long arrival = leaves + (long) (delayMs * MS);
            lastArrival = Math.max(lastArrival + 1, arrival); // TCP keeps the order
            arrivals.add(lastArrival);
        }
        return arrivals.stream().mapToLong(Long::longValue).toArray();
    }

    /** Replays {@code trials} traces of {@code hours} each into fresh trackers of {@code d}. */
    public static Result run(Profile p, Detector d, int trials, double hours) {
        long falseSuspicions = 0;
        long[] detection = new long[trials];
        for (int t = 0; t < trials; t++) {
            long[] arrivals = trace(p, hours, 1000L * t + p.name().hashCode());
            BeatTracker tracker = d.tracker().get();
            tracker.connected(0);
            long seq = 0;
            for (long a : arrivals) {
                boolean suspected = false;
                while (tracker.deadlineNanos() < a) {
                    suspected = true;
                    tracker.silence(tracker.deadlineNanos());
                }
                if (suspected) {
                    falseSuspicions++;
                }
                tracker.beat(beat(++seq, p.intervalMs()), a);
            }
            // The sender stops at a random moment before its next beat would have gone out.
            long last = arrivals[arrivals.length - 1];
            long stop = last + (long) (new Random(~t * 0x9E3779B97F4A7C15L).nextDouble() * p.intervalMs() * MS);
            detection[t] = (tracker.deadlineNanos() - stop) / MS;
        }
        return new Result(p.name(), d.name(), trials * hours, falseSuspicions, detection);
    }

    private static Beat beat(long seq, long intervalMs) {
        return new Beat(seq, 0, intervalMs, "vm", Status.UP, null, null, "a", "1", -1);
    }

    /** Prints the Markdown table of docs/BENCHMARKS.md: {@code TraceReplay [TRIALS [HOURS]]}. */
    public static void main(String[] args) {
        int trials = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        double hours = args.length > 1 ? Double.parseDouble(args[1]) : 1;
        long t0 = System.nanoTime();
        System.out.println("| trace | detector | false suspicions / hour | detection median | p99 | worst |");
        System.out.println("|---|---|---|---|---|---|");
        for (Profile p : PROFILES) {
            for (Detector d : DETECTORS) {
                Result r = run(p, d, trials, hours);
                System.out.printf(
                        Locale.ROOT,
                        "| %s | %s | %.2f | %d ms | %d ms | %d ms |%n",
                        p.name(),
                        d.name(),
                        r.falsePerHour(),
                        r.detectionPercentile(0.5),
                        r.detectionPercentile(0.99),
                        r.detectionPercentile(1));
            }
        }
        System.out.printf(
                Locale.ROOT,
                "%n%d trials of %.1f h per trace and detector, replayed in %s%n",
                trials,
                hours,
                Duration.ofNanos(System.nanoTime() - t0));
    }
}
