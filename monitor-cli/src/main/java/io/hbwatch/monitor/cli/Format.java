package io.hbwatch.monitor.cli;

/** The values of {@code --format}. */
public enum Format {
    /** One line per change of state for people, colored on a terminal. */
    text,
    /** One JSON object per line on stdout, per the contract's "Monitor events". */
    json
}
