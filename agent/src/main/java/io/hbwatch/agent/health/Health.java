package io.hbwatch.agent.health;

import io.hbwatch.protocol.JsonLine;
import io.hbwatch.protocol.Status;
import java.util.Arrays;
import java.util.Objects;

/**
 * Where the parts of the agent that judge liveness (the watchdog, the probes) report what they
 * see, and where the beat reads it. A beat's status is the worst current finding, UP when there
 * is none.
 *
 * <p>Thread-safe. {@link Check#current()} and {@link Contributor#writeTo} run on the beat thread
 * for every beat, so they must be cheap and must not block: do the expensive work on your own
 * thread and publish the result in a volatile field.
 */
public final class Health {
    /** A source of findings. */
    @FunctionalInterface
    public interface Check {
        /** The current finding, or {@code null} when all is well. */
        Finding current();
    }

    /** Adds fields of its own to every beat about the JVM (pause figures, say). */
    @FunctionalInterface
    public interface Contributor {
        /** Writes fields into the beat being built; never throws. */
        void writeTo(JsonLine beat);
    }

    /**
     * Brings its figures up to date on the beat thread just before a beat is built: a part whose
     * own thread has not yet woken after a pause (all threads woke at once) must not let the first
     * beat after it leave without it. Must be cheap when there is nothing to catch up.
     */
    @FunctionalInterface
    public interface CatchUp {
        void beforeBeat(long nowNanos);
    }

    private volatile CatchUp[] catchUps = new CatchUp[0];

    public synchronized void registerCatchUp(CatchUp catchUp) {
        CatchUp[] more = Arrays.copyOf(catchUps, catchUps.length + 1);
        more[catchUps.length] = Objects.requireNonNull(catchUp);
        catchUps = more;
    }

    /** Lets every {@link CatchUp} bring its figures up to date; call before {@link #worst()}. */
    public void catchUp(long nowNanos) {
        for (CatchUp c : catchUps) {
            try {
                c.beforeBeat(nowNanos);
            } catch (RuntimeException e) {
                // a broken part must not stop the beat
            }
        }
    }

    // Copy-on-write arrays rather than lists: iterating an array allocates nothing, and the beat
    // path reads these once per beat.
    private volatile Check[] checks = new Check[0];
    private volatile Contributor[] contributors = new Contributor[0];

    public synchronized void register(Check check) {
        Check[] more = Arrays.copyOf(checks, checks.length + 1);
        more[checks.length] = Objects.requireNonNull(check);
        checks = more;
    }

    public synchronized void register(Contributor contributor) {
        Contributor[] more = Arrays.copyOf(contributors, contributors.length + 1);
        more[contributors.length] = Objects.requireNonNull(contributor);
        contributors = more;
    }

    /** The last {@link #worst()}, and when it was made; written together, read by {@link #recentWorst}. */
    private volatile Finding lastWorst;

    private volatile long lastWorstNanos;

    /**
     * The finding of a {@link #worst()} made at most {@code maxAgeNanos} ago (the beat's, for what
     * follows the beat), else a fresh one: the same answer as the beat gave, without asking every
     * check twice.
     */
    public Finding recentWorst(long maxAgeNanos) {
        long at = lastWorstNanos;
        Finding f = lastWorst;
        if (at != 0 && System.nanoTime() - at <= maxAgeNanos) {
            return f;
        }
        return worst();
    }

    /** The worst finding of all checks, or {@code null} when every check is well. */
    public Finding worst() {
        Finding worst = worstNow();
        lastWorst = worst;
        lastWorstNanos = System.nanoTime();
        return worst;
    }

    private Finding worstNow() {
        Finding worst = null;
        for (Check check : checks) {
            Finding f;
            try {
                f = check.current();
            } catch (RuntimeException e) {
                continue; // a broken check must not stop the beat
            }
            if (f != null && (worst == null || Status.worst(worst.status(), f.status()) != worst.status())) {
                worst = f;
            }
        }
        return worst;
    }

    /** Lets every contributor add its fields to {@code beat}. */
    public void contribute(JsonLine beat) {
        for (Contributor c : contributors) {
            try {
                c.writeTo(beat);
            } catch (RuntimeException e) {
                // a broken contributor must not stop the beat
            }
        }
    }
}
