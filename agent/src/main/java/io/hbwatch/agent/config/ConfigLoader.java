package io.hbwatch.agent.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Builds an {@link AgentConfig} from the three layers, lowest first: {@code defaults.properties},
 * a {@code config=FILE}, the options given directly. Parsing is strict, but a bad layer never stops
 * the agent: a bad value is reported and the next lower layer's value is used, an unknown key is
 * reported and ignored.
 */
public final class ConfigLoader {
    private static final String DEFAULTS = "defaults.properties";

    private ConfigLoader() {}

    /**
     * Parses {@code -javaagent} arguments: {@code key=value} pairs separated by commas.
     *
     * @param agentArgs the text after {@code =} in {@code -javaagent:hb-agent.jar=...}; may be null
     */
    public static AgentConfig fromAgentArgs(String agentArgs) {
        List<String> problems = new ArrayList<>();
        Map<String, String> given = new LinkedHashMap<>();
        if (agentArgs != null && !agentArgs.trim().isEmpty()) {
            String previous = null;
            for (String pair : agentArgs.split(",")) {
                if (pair.trim().isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    if (previous != null && secret(previous)) {
                        // Most likely the rest of a password with a comma: never print it.
                        problems.add("a piece after " + previous + "= is not key=value; ignored (a password"
                                + " cannot contain ',' here: use jolokiaPasswordFile or secretFile)");
                    } else {
                        problems.add("'" + pair.trim() + "' is not key=value; ignored");
                    }
                    continue;
                }
                previous = pair.substring(0, eq).trim();
                given.put(previous, pair.substring(eq + 1).trim());
            }
        }
        return build(given, problems);
    }

    /**
     * Parses standalone options: {@code --key value} or {@code --key=value}; {@code --iface} is
     * another name for {@code --host}.
     *
     * @throws ConfigException when the words themselves are not options (a stray word, a missing
     *     value): the standalone process can say so and stop
     */
    public static AgentConfig fromCommandLine(String[] args) throws ConfigException {
        Map<String, String> given = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new ConfigException("'" + arg + "' is not an option like --port 7777");
            }
            String name = arg.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new ConfigException(arg + " needs a value");
            }
            if (name.equals("iface")) {
                name = Keys.HOST.name();
            }
            if (!name.equals(Keys.CONFIG) && Keys.byName(name) == null) {
                throw new ConfigException("unknown option " + arg + " (known: " + known() + ")");
            }
            given.put(name, value);
        }
        AgentConfig config = build(given, new ArrayList<>());
        if (!config.problems().isEmpty()) {
            throw new ConfigException(config.problems().get(0));
        }
        return config;
    }

    private static AgentConfig build(Map<String, String> given, List<String> problems) {
        Map<String, String> defaults = readDefaults();
        Map<String, String> file = new LinkedHashMap<>();
        String configFile = given.remove(Keys.CONFIG);
        if (configFile != null) {
            readFile(configFile, file, problems);
            file.remove(Keys.CONFIG);
        }
        checkKnown(file, "in " + configFile + ": ", problems);
        checkKnown(given, "", problems);

        Map<Key<?>, Object> values = new LinkedHashMap<>();
        java.util.Set<Key<?>> givenKeys = new java.util.HashSet<>();
        for (Key<?> key : Keys.all().values()) {
            String defaultText = defaults.get(key.name());
            if (defaultText == null) {
                throw new IllegalStateException("defaults.properties has no line for " + key.name());
            }
            Object value = defaultText.trim().isEmpty() ? null : key.parse(defaultText);
            String used = defaultText;
            for (Map<String, String> layer : List.of(file, given)) {
                String text = layer.get(key.name());
                if (text == null) {
                    continue;
                }
                try {
                    value = key.parse(text);
                    used = text;
                    givenKeys.add(key);
                } catch (IllegalArgumentException e) {
                    String instead = used.trim().isEmpty() ? "leaving it unset" : "using " + used.trim();
                    String shown = key.hidden() && !text.trim().isEmpty() ? "(hidden)" : text;
                    problems.add(key.name() + ": '" + shown + "' " + e.getMessage() + "; " + instead);
                }
            }
            if (value != null) {
                values.put(key, value);
            }
        }
        return new AgentConfig(values, problems, givenKeys);
    }

    /** Whether the option's value is a secret, never to be printed. */
    static boolean secret(String key) {
        String k = key.toLowerCase(java.util.Locale.ROOT);
        return k.contains("password") || k.equals("secret");
    }

    private static void checkKnown(Map<String, String> layer, String where, List<String> problems) {
        // A loop rather than removeIf with a lambda, which would spin a hidden class at start-up.
        for (Iterator<String> names = layer.keySet().iterator(); names.hasNext(); ) {
            String name = names.next();
            if (Keys.byName(name) == null) {
                problems.add(where + "unknown option '" + name + "' ignored (known: " + known() + ")");
                names.remove();
            }
        }
    }

    private static String known() {
        return String.join(", ", Keys.all().keySet()) + ", " + Keys.CONFIG;
    }

    private static void readFile(String name, Map<String, String> into, List<String> problems) {
        Path path = Paths.get(name);
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            props.load(in);
        } catch (IOException | IllegalArgumentException e) {
            String why;
            if (e instanceof NoSuchFileException) {
                why = "no such file";
            } else if (e instanceof CharacterCodingException) {
                why = "not UTF-8 text"; // the decoder's own message is "Input length = 1"
            } else {
                why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            }
            problems.add("config: cannot read '" + name + "': " + why + "; using the other options");
            return;
        }
        for (String key : props.stringPropertyNames()) {
            into.put(key, props.getProperty(key));
        }
    }

    private static Map<String, String> readDefaults() {
        Properties props = new Properties();
        try (InputStream in = ConfigLoader.class.getResourceAsStream(DEFAULTS)) {
            if (in == null) {
                throw new IllegalStateException(DEFAULTS + " is missing from the agent jar");
            }
            props.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + DEFAULTS, e);
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (String key : props.stringPropertyNames()) {
            map.put(key, props.getProperty(key));
        }
        return map;
    }
}
