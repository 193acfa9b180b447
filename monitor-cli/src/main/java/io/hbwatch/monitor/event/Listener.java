package io.hbwatch.monitor.event;

/**
 * Something that follows every check besides the printed events: the Prometheus metrics, the
 * {@code --on-down}/{@code --on-up} hooks. Called by the {@link Reporter} while it holds its lock,
 * in the order of the checks: an implementation must return quickly and never block.
 */
public interface Listener {
    /**
     * One check of {@code job} on {@code target}.
     *
     * @param previous the job's previous check on this target, null for its first
     * @param event the event printed for it when it changed the state (with the diagnosis), else null
     */
    void onCheck(String target, String job, Check check, Check previous, Event event);

    /** {@code target} is watched no more (a reload removed it, its JVM exited): forget what it left. */
    default void onUnwatch(String target) {}
}
