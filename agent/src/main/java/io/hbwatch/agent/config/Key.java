package io.hbwatch.agent.config;

import java.util.Objects;

/**
 * One option of the agent: its camelCase name and how its text becomes a value. All keys live in
 * {@link Keys}; their defaults in {@code defaults.properties} beside this class.
 *
 * @param <T> the parsed type
 */
public final class Key<T> {
    /** Turns an option's text into a value, or throws {@link IllegalArgumentException} saying why not. */
    @FunctionalInterface
    public interface Parser<T> {
        /**
         * @param text the option's text, trimmed, never null
         * @return the value, never null
         * @throws IllegalArgumentException with a message that completes "KEY: 'TEXT' ..."
         */
        T parse(String text);
    }

    private final String name;
    private final Parser<T> parser;
    private final boolean hidden;

    Key(String name, Parser<T> parser, boolean hidden) {
        this.name = Objects.requireNonNull(name);
        this.parser = Objects.requireNonNull(parser);
        this.hidden = hidden;
    }

    /** True for a secret: error lines must not quote its text. */
    boolean hidden() {
        return hidden;
    }

    public String name() {
        return name;
    }

    T parse(String text) {
        return parser.parse(text.trim());
    }

    @Override
    public String toString() {
        return name;
    }
}
