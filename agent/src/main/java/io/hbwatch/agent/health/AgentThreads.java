package io.hbwatch.agent.health;

import io.hbwatch.agent.util.HbThreads;
import io.hbwatch.agent.util.Words;
import io.hbwatch.protocol.Reason;
import io.hbwatch.protocol.Status;

/**
 * The agent watching itself (reason {@code agent}): one of its watched loops ({@link
 * HbThreads#startWatched}) died of a throwable, or has not gone round for more than three of its
 * periods and at least ten seconds. The loops are built never to die, so this is what reports the
 * case they did not foresee, instead of a check that silently stops.
 *
 * <p>Runs on the beat thread: it reads each loop's volatile fields, and allocates only when what
 * it reports changes. Thread-safe.
 */
public final class AgentThreads implements Health.Check {
    private Finding last;
    private String lastName;
    private boolean lastDead;

    @Override
    public synchronized Finding current() {
        long now = System.nanoTime();
        for (HbThreads.Watched w : HbThreads.watched()) {
            String death = w.death();
            if (death != null) {
                return remember(w.name(), true, "agent thread " + w.name() + " died (" + death + ")");
            }
            long overdue = w.overdueNanos(now);
            if (overdue > 0) {
                if (last != null && !lastDead && w.name().equals(lastName)) {
                    return last; // the same overdue thread: the words keep the age first seen
                }
                return remember(
                        w.name(),
                        false,
                        "agent thread " + w.name() + " has not run for " + Words.seconds(overdue / 1_000_000L));
            }
        }
        last = null;
        return null;
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
