package io.hbwatch.agent.jmx;

import io.hbwatch.agent.health.Finding;
import io.hbwatch.agent.health.Health;
import io.hbwatch.agent.util.HbThreads;
import io.hbwatch.protocol.Status;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.management.AttributeChangeNotification;
import javax.management.MBeanNotificationInfo;
import javax.management.NotificationBroadcasterSupport;
import javax.management.ObjectName;

/**
 * Sends a JMX {@link AttributeChangeNotification} whenever the JVM's status or reason changes, as
 * JConsole's Notifications tab and any {@code NotificationListener} receive them: attribute {@code
 * Status} when the status changes (old and new status), {@code Reason} when only the reason does
 * (old and new reason); the message reads like a beat ({@code DOWN deadlock: ...}) and the user
 * data is the detail.
 *
 * <p>{@link #run()} compares on the beat thread after every beat and allocates only on a change.
 * Listeners are called on their own thread {@code hbwatch-jmx-notify}, started only while there is
 * something to deliver and gone after 30 s idle, so a slow listener never delays a beat; past 100
 * undelivered notifications the oldest are dropped.
 */
final class StatusChanges extends NotificationBroadcasterSupport implements Runnable {
    static final String DESCRIPTION = "The status or the reason of the JVM changed";
    private static final int QUEUE = 100;
    /**
     * How old the beat's own finding may be and still be what this compares: it runs right after
     * the beat, so a notification says what the beat said; with no subscriber (no beat built) it
     * asks the checks itself.
     */
    private static final long SAME_BEAT_NANOS = 50_000_000L;

    private final Health health;
    private final ObjectName source;
    // written on the beat thread only
    private long sequence;
    private Status lastStatus = Status.UP;
    private String lastReason = "";

    StatusChanges(Health health, ObjectName source) {
        super(
                new ThreadPoolExecutor(
                        0,
                        1,
                        30,
                        TimeUnit.SECONDS,
                        new ArrayBlockingQueue<>(QUEUE),
                        HbThreads.factory("jmx-notify"),
                        new ThreadPoolExecutor.DiscardOldestPolicy()),
                new MBeanNotificationInfo(
                        new String[] {AttributeChangeNotification.ATTRIBUTE_CHANGE},
                        AttributeChangeNotification.class.getName(),
                        DESCRIPTION));
        this.health = health;
        this.source = source;
    }

    @Override
    public void run() {
        Finding f = health.recentWorst(SAME_BEAT_NANOS);
        Status status = f == null ? Status.UP : f.status();
        String reason = f == null || f.reason() == null ? "" : f.reason();
        if (status == lastStatus && reason.equals(lastReason)) {
            return;
        }
        String detail = f == null || f.detail() == null ? "" : f.detail();
        StringBuilder message = new StringBuilder(status.name());
        if (!reason.isEmpty()) {
            message.append(' ').append(reason);
        }
        if (!detail.isEmpty()) {
            message.append(": ").append(detail);
        }
        AttributeChangeNotification n = status != lastStatus
                ? new AttributeChangeNotification(
                        source,
                        ++sequence,
                        System.currentTimeMillis(),
                        message.toString(),
                        "Status",
                        String.class.getName(),
                        lastStatus.name(),
                        status.name())
                : new AttributeChangeNotification(
                        source,
                        ++sequence,
                        System.currentTimeMillis(),
                        message.toString(),
                        "Reason",
                        String.class.getName(),
                        lastReason,
                        reason);
        n.setUserData(detail);
        lastStatus = status;
        lastReason = reason;
        sendNotification(n);
    }
}
