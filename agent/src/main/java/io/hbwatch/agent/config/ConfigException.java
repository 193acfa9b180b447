package io.hbwatch.agent.config;

/** An option that cannot be used, with a message fit to print after {@code hbwatch: }. */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
