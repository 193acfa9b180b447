package io.hbwatch.monitor.cli;

/** The values of {@code --detector}: how the heartbeat job decides that a silence is a failure. */
public enum DetectorName {
    /** DOWN after {@code --timeout} of silence (default: three announced intervals). */
    fixed,
    /** DOWN when the phi accrual detector's phi reaches {@code --phi-threshold}. */
    phi
}
