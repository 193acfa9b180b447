package io.hbwatch.agent.config;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The agent's effective options: defaults, then a {@code config=FILE}, then the options given
 * directly. Immutable and thread-safe. Build one with {@link ConfigLoader}.
 */
public final class AgentConfig {
    private final Map<Key<?>, Object> values;
    private final List<String> problems;
    private final Set<Key<?>> given;

    AgentConfig(Map<Key<?>, Object> values, List<String> problems, Set<Key<?>> given) {
        this.values = Collections.unmodifiableMap(values);
        this.problems = Collections.unmodifiableList(problems);
        this.given = Collections.unmodifiableSet(given);
    }

    /**
     * Whether the option has its default value because nobody gave one (directly or in the {@code
     * config} file): a default port that is busy may then fall back to a free one, a port the user
     * chose may not.
     */
    public boolean isDefault(Key<?> key) {
        return !given.contains(key);
    }

    /**
     * Returns the option's value, or {@code null} when it is unset (only keys whose default is empty,
     * such as {@code portFile}, can be unset).
     */
    @SuppressWarnings("unchecked")
    public <T> T get(Key<T> key) {
        return (T) values.get(key);
    }

    /**
     * What was wrong with the options, one message per problem, each naming the key and the value
     * and what the agent does instead. Empty when all was well.
     */
    public List<String> problems() {
        return problems;
    }

    /** Every set option as {@code key=value}, for debug output. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<Key<?>, Object> e : values.entrySet()) {
            if (b.length() > 0) {
                b.append(',');
            }
            b.append(e.getKey().name()).append('=').append(e.getValue());
        }
        return b.toString();
    }
}
