package io.hbwatch.agent.health;

import io.hbwatch.protocol.Status;
import java.util.Objects;

/** Something wrong that a check found: a status worse than UP, a one-word reason and a sentence. */
public final class Finding {
    private final Status status;
    private final String reason;
    private final String detail;

    public Finding(Status status, String reason, String detail) {
        this.status = Objects.requireNonNull(status);
        this.reason = Objects.requireNonNull(reason);
        this.detail = detail;
    }

    public Status status() {
        return status;
    }

    /** One word from {@link io.hbwatch.protocol.Reason}. */
    public String reason() {
        return reason;
    }

    /** One human sentence, or {@code null}. */
    public String detail() {
        return detail;
    }

    @Override
    public String toString() {
        return status + " " + reason + (detail == null ? "" : " (" + detail + ")");
    }
}
