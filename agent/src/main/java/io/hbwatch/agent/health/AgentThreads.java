package io.hbwatch.agent.health;

import io.hbwatch.agent.util.HbThreads;
import io.hbwatch.agent.util.Words;
import io.hbwatch.protocol.Reason;
import io.hbwatch.protocol.Status;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The agent watching itself (reason {@code agent}): one of its watched loops ({@link
 * HbThreads#startWatched}) died of a throwable, or has not gone round for more than three of its
 * periods and at least ten seconds. The loops are built never to die, so this is what reports the
 * case they did not foresee, instead of a check that silently stops.
 *
 * <p>A stop of the whole JVM (SIGSTOP, a long collection) makes every loop late at once, and all
 * go round again within milliseconds of the end: so a loop is reported overdue only when it still
 * is {@link #CONFIRM_NANOS} after it was first seen so, and the thread that asks never judges
 * itself.
 *
 * <p>Runs on the beat thread (and for the MBean): it reads each loop's volatile fields, and
 * allocates only when what it reports changes. Thread-safe.
 */
public final class AgentThreads implements Health.Check {
    /** How long a loop must stay overdue before it is reported. */
    static final long CONFIRM_NANOS = 2_000_000_000L;

    private final Map<HbThreads.Watched, Long> overdueSince = new IdentityHashMap<>();
    private Finding last;
    private String lastName;
    private boolean lastDead;

    @Override
    public synchronized Finding current() {
        long now = System.nanoTime();
        Thread me = Thread.currentThread();
        Finding found = null;
        for (HbThreads.Watched w : HbThreads.watched()) {
            String death = w.death();
            if (death != null) {
                return remember(w.name(), true, "agent thread " + w.name() + " died (" + death + ")");
            }
            if (w.runsOn(me)) {
                continue;
            }
            long overdue = w.overdueNanos(now);
            if (overdue <= 0) {
                if (!overdueSince.isEmpty()) {
                    overdueSince.remove(w);
                }
                continue;
            }
            Long since = overdueSince.get(w);
            if (since == null) {
                overdueSince.put(w, now);
            } else if (found == null && now - since >= CONFIRM_NANOS) {
                if (last != null && !lastDead && w.name().equals(lastName)) {
                    found = last; // the same overdue thread: the words keep the age first seen
                } else {
                    found = remember(
                            w.name(),
                            false,
                            "agent thread " + w.name() + " has not run for " + Words.seconds(overdue / 1_000_000L));
                }
            }
        }
        if (found == null) {
            last = null;
        }
        return found;
    }

    private Finding remember(String name, boolean dead, String detail) {
        if (last == null || lastDead != dead || !name.equals(lastName)) {
            last = new Finding(Status.DEGRADED, Reason.AGENT, detail);
            lastName = name;
            lastDead = dead;
        }
        return last;
    }
}
