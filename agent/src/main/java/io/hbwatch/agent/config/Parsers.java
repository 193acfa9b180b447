package io.hbwatch.agent.config;

import io.hbwatch.agent.probe.ProbeSpec;
import io.hbwatch.agent.watchdog.Action;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The parser of each kind of value the {@link Keys} take, one small named class per kind. Not
 * lambdas or method references: the keys are made at the agent's start, where each of those would
 * spin a hidden class in the host, some 10 to 20 KB of heap and metaspace apiece that a JVM which
 * allocates little never gives back (see {@code HbThreads}). Stateless and thread-safe.
 */
final class Parsers {
    /** {@link Values#port}. */
    static final Key.Parser<Integer> PORT = new Port();
    /** {@link Values#nonEmpty}. */
    static final Key.Parser<String> TEXT = new Text();
    /** A non-empty path. */
    static final Key.Parser<Path> PATH = new PathParser();
    /** {@link Values#bool}. */
    static final Key.Parser<Boolean> BOOL = new Bool();
    /** {@code on} (the default directory of {@link io.hbwatch.protocol.Registry}), {@code off} (empty), or a directory. */
    static final Key.Parser<Optional<Path>> REGISTRY = new RegistryDir();
    /** {@code off}, or a {@link Values#hostPort}. */
    static final Key.Parser<Optional<HostPort>> HOST_PORT_OR_OFF = new HostPortOrOff();
    /** {@link Secret#ofText}. */
    static final Key.Parser<Secret> SECRET_TEXT = new SecretText();
    /** {@link Secret#ofFile}. */
    static final Key.Parser<Secret> SECRET_FILE = new SecretFile();
    /** {@link ProbeSpec#parseAll}. */
    static final Key.Parser<List<ProbeSpec>> PROBES = new Probes();
    /** {@link Action#parse}. */
    static final Key.Parser<Action> ACTION = new ActionParser();

    private Parsers() {}

    /** {@code off} (or {@code 0}) as 0, else what {@code parser} makes of the text. */
    static Key.Parser<Long> offOr(Key.Parser<Long> parser) {
        return new OffOr(parser);
    }

    /** {@code off} (or {@code 0}) as 0, else a share from 1% to 100%. */
    static Key.Parser<Integer> percentOrOff() {
        return new PercentOrOff();
    }

    private static final class Port implements Key.Parser<Integer> {
        @Override
        public Integer parse(String text) {
            return Values.port(text);
        }
    }

    private static final class Text implements Key.Parser<String> {
        @Override
        public String parse(String text) {
            return Values.nonEmpty(text);
        }
    }

    private static final class PathParser implements Key.Parser<Path> {
        @Override
        public Path parse(String text) {
            return Paths.get(Values.nonEmpty(text));
        }
    }

    private static final class RegistryDir implements Key.Parser<Optional<Path>> {
        @Override
        public Optional<Path> parse(String text) {
            String t = Values.nonEmpty(text).trim();
            if (t.equals("off")) {
                return Optional.empty();
            }
            return Optional.of(t.equals("on") ? io.hbwatch.protocol.Registry.defaultDirectory() : Paths.get(t));
        }
    }

    private static final class Bool implements Key.Parser<Boolean> {
        @Override
        public Boolean parse(String text) {
            return Values.bool(text);
        }
    }

    private static final class HostPortOrOff implements Key.Parser<Optional<HostPort>> {
        @Override
        public Optional<HostPort> parse(String text) {
            return text.equalsIgnoreCase("off") ? Optional.empty() : Optional.of(Values.hostPort(text));
        }
    }

    private static final class SecretText implements Key.Parser<Secret> {
        @Override
        public Secret parse(String text) {
            return Secret.ofText(text);
        }
    }

    private static final class SecretFile implements Key.Parser<Secret> {
        @Override
        public Secret parse(String text) {
            return Secret.ofFile(text);
        }
    }

    private static final class Probes implements Key.Parser<List<ProbeSpec>> {
        @Override
        public List<ProbeSpec> parse(String text) {
            return ProbeSpec.parseAll(text);
        }
    }

    private static final class ActionParser implements Key.Parser<Action> {
        @Override
        public Action parse(String text) {
            return Action.parse(text);
        }
    }

    private static final class OffOr implements Key.Parser<Long> {
        private final Key.Parser<Long> parser;

        OffOr(Key.Parser<Long> parser) {
            this.parser = parser;
        }

        @Override
        public Long parse(String text) {
            return text.trim().toLowerCase(Locale.ROOT).equals("off")
                            || text.trim().equals("0")
                    ? 0L
                    : parser.parse(text);
        }
    }

    private static final class PercentOrOff implements Key.Parser<Integer> {
        private final Key.Parser<Integer> percent = Values.percent(1, 100);

        @Override
        public Integer parse(String text) {
            String t = text.trim();
            return t.equalsIgnoreCase("off") || t.equals("0") || t.equals("0%") ? 0 : percent.parse(t);
        }
    }
}
