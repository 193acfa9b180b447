package io.hbwatch.monitor.cli;

/**
 * A shared secret read from {@code --secret-file}; {@link #toString()} never shows it. Immutable.
 */
public final class Secret {
    private final byte[] bytes;

    Secret(byte[] bytes) {
        this.bytes = bytes.clone();
    }

    /** A copy of the secret's bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public String toString() {
        return "(hidden)";
    }
}
