package io.hbwatch.protocol;

/**
 * Liveness of a subject, ordered from best to worst so that {@link #worst} can combine findings.
 */
public enum Status {
    UP,
    DEGRADED,
    DOWN;

    /** Returns the worse of two statuses; {@code null} counts as {@link #UP}. */
    public static Status worst(Status a, Status b) {
        if (a == null) {
            return b == null ? UP : b;
        }
        if (b == null) {
            return a;
        }
        return a.ordinal() >= b.ordinal() ? a : b;
    }

    /** Parses a wire value, or returns {@code null} when it is not one of the three. */
    public static Status parse(String value) {
        if (value == null) {
            return null;
        }
        switch (value) {
            case "UP":
                return UP;
            case "DEGRADED":
                return DEGRADED;
            case "DOWN":
                return DOWN;
            default:
                return null;
        }
    }
}
