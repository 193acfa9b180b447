package io.hbwatch.monitor.cli;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** picocli converters for the monitor's option types; each failure is one line naming the value. */
public final class Converters {
    private Converters() {}

    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)");

    /**
     * Parses {@code 250ms}, {@code 2s}, {@code 1.5s}, {@code 1m}, the units the agent's options take.
     * Bare numbers are refused: their unit would be a guess.
     */
    public static Duration duration(String text) {
        Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration like 500ms, 2s, 1m or 1h");
        }
        double value = Double.parseDouble(m.group(1));
        double unitMs =
                switch (m.group(2)) {
                    case "ms" -> 1;
                    case "s" -> 1000;
                    case "m" -> 60_000;
                    default -> 3_600_000;
                };
        double ms = value * unitMs;
        if (ms > Duration.ofDays(1).toMillis()) {
            throw new IllegalArgumentException("'" + text + "' is longer than a day");
        }
        return Duration.ofNanos(Math.round(ms * 1_000_000));
    }

    /** picocli face of {@link #duration}. */
    public static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return duration(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** A listen address: {@code HOST:PORT}, or {@code :PORT} for every interface; port 0 picks a free one. */
    public record ListenAddress(String host, int port) {
        @Override
        public String toString() {
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }
    }

    /** picocli face of {@link ListenAddress}. */
    public static final class ListenAddressConverter implements ITypeConverter<ListenAddress> {
        @Override
        public ListenAddress convert(String value) {
            String v = value.trim();
            if (v.startsWith(":")) {
                v = "0.0.0.0" + v;
            }
            int colon = v.lastIndexOf(':');
            if (colon < 0) {
                throw new TypeConversionException("'" + value + "' is not HOST:PORT or :PORT");
            }
            String host = v.substring(0, colon).replace("[", "").replace("]", "");
            try {
                int port = Integer.parseInt(v.substring(colon + 1));
                if (port >= 0 && port <= 65535 && !host.isEmpty()) {
                    return new ListenAddress(host, port);
                }
            } catch (NumberFormatException e) {
                // one message below
            }
            throw new TypeConversionException("'" + value + "' is not HOST:PORT or :PORT with a port from 0 to 65535");
        }
    }

    /** picocli face of {@link Target#parse}. */
    public static final class TargetConverter implements ITypeConverter<Target> {
        @Override
        public Target convert(String value) {
            try {
                return Target.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** {@code --secret-file FILE}: the file's bytes without trailing line breaks, as the agent reads it. */
    public static final class SecretFileConverter implements ITypeConverter<Secret> {
        @Override
        public Secret convert(String text) {
            try {
                return new Secret(io.hbwatch.protocol.BeatSignature.readSecret(java.nio.file.Paths.get(text)));
            } catch (java.nio.file.NoSuchFileException e) {
                throw new TypeConversionException("'" + text + "' is not a file that exists");
            } catch (java.io.IOException | java.nio.file.InvalidPathException e) {
                throw new TypeConversionException("cannot read '" + text + "': " + e.getMessage());
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("'" + text + "' holds no secret: " + e.getMessage());
            }
        }
    }
}
