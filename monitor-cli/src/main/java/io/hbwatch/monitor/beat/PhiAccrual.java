package io.hbwatch.monitor.beat;

import java.util.Locale;

/**
 * The phi accrual failure detector (Hayashibara et al. 2004) as Akka and Pekko implement it: phi is
 * how unlikely the silence so far is given the recent inter-arrival times, under a normal
 * distribution with the window's mean and standard deviation, using the logistic approximation of
 * its tail. The stream is suspected when phi reaches the threshold.
 *
 * <p>Parameters, with Akka's defaults scaled to the announced interval {@code I} (Akka assumes
 * beats every 1 s): a window of the last {@value #MAX_SAMPLES} inter-arrival times (Akka's
 * {@code max-sample-size}); a floor on the standard deviation of {@code I/10} (Akka's
 * {@code min-std-deviation} of 100 ms), so that a perfectly regular stream does not make the
 * detector hair-triggered; an acceptable pause added to the mean (Akka's {@code
 * acceptable-heartbeat-pause}; here one interval by default, not Akka's three, since the fixed
 * timeout this detector competes with is itself three intervals); the window is seeded with {@code
 * I ± I/4} (Akka's {@code heartbeat-interval} as {@code first-heartbeat-estimate}).
 *
 * <p>Since phi only grows with the silence, it reaches the threshold at one instant, computed once
 * per beat: {@link #deadlineNanos}. Like Akka, every inter-arrival on a connection is learned, long
 * ones included; a new connection starts a new window (Akka: a new association).
 *
 * <p>Times are {@link System#nanoTime()} values. Not thread-safe: the job owns it.
 */
public final class PhiAccrual {
    /** Akka's {@code max-sample-size}. */
    public static final int MAX_SAMPLES = 1000;
    /** Akka's {@code threshold} and the monitor's default. */
    public static final double DEFAULT_THRESHOLD = 8.0;

    private final double threshold;
    private final double ySuspect;
    private final long pauseMs;
    private final double[] window = new double[MAX_SAMPLES];
    private int size;
    private int next;
    private double sum;
    private double sumSquares;
    private long lastNanos = -1;
    private long lastIntervalMs;

    /**
     * @param threshold phi at which the stream is suspected, positive (8: one wrong suspicion in
     *     10^8 under the model)
     * @param pauseMs the acceptable pause added to the mean in ms, or -1 for one announced interval
     */
    public PhiAccrual(double threshold, long pauseMs) {
        if (!(threshold > 0)) {
            throw new IllegalArgumentException("the phi threshold must be positive");
        }
        this.threshold = threshold;
        this.ySuspect = standardizedAt(threshold);
        this.pauseMs = pauseMs;
    }

    /** Forgets the last arrival and the window: the next beat starts afresh (a new connection). */
    public void connected() {
        lastNanos = -1;
        size = 0;
        next = 0;
        sum = 0;
        sumSquares = 0;
    }

    /**
     * A beat arrived at {@code nowNanos} announcing {@code intervalMs}; returns when phi will reach
     * the threshold if no beat comes first.
     */
    public long deadlineNanos(long nowNanos, long intervalMs) {
        if (lastNanos < 0) {
            if (size == 0) {
                // Akka's first-heartbeat-estimate: two samples a quarter of the interval apart from it.
                add(intervalMs - intervalMs / 4.0);
                add(intervalMs + intervalMs / 4.0);
            }
        } else {
            add((nowNanos - lastNanos) / 1e6);
        }
        lastNanos = nowNanos;
        lastIntervalMs = intervalMs;
        double spanMs = meanMs() + acceptablePauseMs() + ySuspect * stdDevMs();
        return nowNanos + Math.round(spanMs * 1e6);
    }

    /** phi after {@code sinceMs} of silence, with the current window. */
    public double phi(double sinceMs) {
        return phi(sinceMs, meanMs() + acceptablePauseMs(), stdDevMs());
    }

    /** "phi 8 (arrivals 1002 ± 31 ms over 57 beats, 1000 ms pause allowed)", for a silence's detail. */
    public String explain() {
        return String.format(
                Locale.ROOT,
                "phi %s with arrivals %.0f ± %.0f ms over %d beats, %d ms pause allowed",
                new java.text.DecimalFormat("0.##").format(threshold),
                meanMs(),
                stdDevMs(),
                size,
                Math.round(acceptablePauseMs()));
    }

    double meanMs() {
        return size == 0 ? lastIntervalMs : sum / size;
    }

    /** The window's standard deviation, never below a tenth of the announced interval. */
    double stdDevMs() {
        double mean = meanMs();
        double variance = size == 0 ? 0 : Math.max(0, sumSquares / size - mean * mean);
        return Math.max(Math.sqrt(variance), lastIntervalMs / 10.0);
    }

    private double acceptablePauseMs() {
        return pauseMs >= 0 ? pauseMs : lastIntervalMs;
    }

    private void add(double ms) {
        if (size == MAX_SAMPLES) {
            double old = window[next];
            sum -= old;
            sumSquares -= old * old;
        } else {
            size++;
        }
        window[next] = ms;
        next = (next + 1) % MAX_SAMPLES;
        sum += ms;
        sumSquares += ms * ms;
    }

    /**
     * Akka's phi: {@code -log10} of the probability that a beat comes later than {@code sinceMs},
     * with the logistic approximation of the normal tail (Bowling et al. 2009).
     */
    static double phi(double sinceMs, double meanMs, double stdDevMs) {
        double y = (sinceMs - meanMs) / stdDevMs;
        double e = Math.exp(-y * (1.5976 + 0.070566 * y * y));
        return sinceMs > meanMs ? -Math.log10(e / (1.0 + e)) : -Math.log10(1.0 - 1.0 / (1.0 + e));
    }

    /** The standardized silence {@code y} at which phi reaches {@code threshold} (bisection; phi grows with y). */
    static double standardizedAt(double threshold) {
        double lo = -10;
        double hi = 1000;
        for (int i = 0; i < 200; i++) {
            double mid = (lo + hi) / 2;
            if (phi(mid, 0, 1) < threshold) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return hi;
    }
}
