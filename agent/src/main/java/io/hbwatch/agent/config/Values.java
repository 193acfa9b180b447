package io.hbwatch.agent.config;

import java.util.Locale;

/**
 * Parsers for the value types the agent's options take. Each throws {@link
 * IllegalArgumentException} with a message that reads after "KEY: 'TEXT' ", for example "is not a
 * duration like 500ms or 2s".
 */
public final class Values {
    private Values() {}

    /**
     * Parses a duration with a unit: {@code 250ms}, {@code 2s}, {@code 1.5s}, {@code 5m}, {@code 1h}. A bare
     * {@code 0} is allowed; other bare numbers are refused because their unit would be a guess.
     *
     * @return milliseconds, never negative
     */
    public static long durationMs(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("0")) {
            return 0;
        }
        double factor;
        String number;
        if (t.endsWith("ms")) {
            factor = 1;
            number = t.substring(0, t.length() - 2);
        } else if (t.endsWith("s")) {
            factor = 1000;
            number = t.substring(0, t.length() - 1);
        } else if (t.endsWith("m")) {
            factor = 60_000;
            number = t.substring(0, t.length() - 1);
        } else if (t.endsWith("h")) {
            factor = 3_600_000;
            number = t.substring(0, t.length() - 1);
        } else {
            throw new IllegalArgumentException("is not a duration like 500ms, 2s, 1m or 1h");
        }
        try {
            double value = Double.parseDouble(number.trim());
            if (value < 0 || Double.isNaN(value) || Double.isInfinite(value)) {
                throw new IllegalArgumentException("is not a duration like 500ms, 2s, 1m or 1h");
            }
            double ms = value * factor;
            if (ms > Long.MAX_VALUE / 2) {
                throw new IllegalArgumentException("is too long a duration");
            }
            return Math.round(ms);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("is not a duration like 500ms, 2s, 1m or 1h");
        }
    }

    /** Parses a duration that must lie within {@code [minMs, maxMs]}. */
    public static Key.Parser<Long> durationMs(long minMs, long maxMs) {
        return new DurationRange(minMs, maxMs);
    }

    /** Parses a share like {@code 50%} (or {@code 50}), a whole percent within {@code [min, max]}. */
    public static Key.Parser<Integer> percent(int min, int max) {
        return new PercentRange(min, max);
    }

    /** Parses a whole number within {@code [min, max]}. */
    public static Key.Parser<Integer> integer(int min, int max) {
        return new WholeRange(min, max);
    }

    /**
     * Parses a size in bytes: {@code 16384}, {@code 16k} or {@code 16KiB}, {@code 1m} or {@code
     * 1MiB} (powers of 1024), within {@code [min, max]} bytes.
     */
    public static Key.Parser<Integer> bytes(int min, int max) {
        return new SizeRange(min, max);
    }

    /** Formats a size the way options are written: {@code 512}, {@code 16k}, {@code 1m}. */
    public static String formatBytes(long bytes) {
        if (bytes != 0 && bytes % (1024 * 1024) == 0) {
            return bytes / (1024 * 1024) + "m";
        }
        if (bytes != 0 && bytes % 1024 == 0) {
            return bytes / 1024 + "k";
        }
        return Long.toString(bytes);
    }

    /** Parses a TCP port, {@code 0} meaning a free one. */
    public static int port(String text) {
        try {
            int port = Integer.parseInt(text.trim());
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // fall through to the one message
        }
        throw new IllegalArgumentException("is not a port number from 0 to 65535");
    }

    /** Parses {@code true}/{@code false} (also {@code yes}/{@code no}, {@code on}/{@code off}). */
    public static boolean bool(String text) {
        switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "true":
            case "yes":
            case "on":
                return true;
            case "false":
            case "no":
            case "off":
                return false;
            default:
                throw new IllegalArgumentException("is not true or false");
        }
    }

    /** Parses a non-empty string. */
    public static String nonEmpty(String text) {
        if (text.trim().isEmpty()) {
            throw new IllegalArgumentException("is empty");
        }
        return text.trim();
    }

    /**
     * Parses {@code host:port}, {@code [v6]:port} or a bare {@code port} (host then {@code
     * 127.0.0.1}).
     */
    public static HostPort hostPort(String text) {
        String t = text.trim();
        String host = "127.0.0.1";
        String portText = t;
        if (t.startsWith("[")) {
            int close = t.indexOf(']');
            if (close < 0 || close + 1 >= t.length() || t.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("is not host:port");
            }
            host = t.substring(1, close);
            portText = t.substring(close + 2);
        } else {
            int colon = t.lastIndexOf(':');
            if (colon >= 0) {
                if (t.indexOf(':') != colon) {
                    throw new IllegalArgumentException("is not host:port (write an IPv6 address as [::1]:port)");
                }
                host = t.substring(0, colon);
                portText = t.substring(colon + 1);
            }
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("is not host:port: the host is empty");
        }
        try {
            return new HostPort(host, port(portText));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("is not host:port: the port is not a number from 0 to 65535");
        }
    }

    /** Formats milliseconds the way options are written: {@code 500ms}, {@code 2s}, {@code 1.5s}, {@code 3m}. */
    public static String formatMs(long ms) {
        if (ms != 0 && ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        if (ms != 0 && ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        if (ms >= 1000 && ms % 100 == 0) {
            return (ms / 1000) + "." + (ms % 1000) / 100 + "s";
        }
        return ms + "ms";
    }

    // Named classes rather than lambdas: each lambda would spin a hidden class in the host when
    // the keys are made at start-up (see HbThreads).

    /** {@link #durationMs(long, long)}. */
    private static final class DurationRange implements Key.Parser<Long> {
        private final long minMs;
        private final long maxMs;

        DurationRange(long minMs, long maxMs) {
            this.minMs = minMs;
            this.maxMs = maxMs;
        }

        @Override
        public Long parse(String text) {
            long ms = durationMs(text);
            if (ms < minMs || ms > maxMs) {
                throw new IllegalArgumentException(
                        "is out of range: it must lie between " + formatMs(minMs) + " and " + formatMs(maxMs));
            }
            return ms;
        }
    }

    /** {@link #integer(int, int)}. */
    private static final class WholeRange implements Key.Parser<Integer> {
        private final int min;
        private final int max;

        WholeRange(int min, int max) {
            this.min = min;
            this.max = max;
        }

        @Override
        public Integer parse(String text) {
            int value;
            try {
                value = Integer.parseInt(text.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("is not a whole number");
            }
            if (value < min || value > max) {
                throw new IllegalArgumentException("is out of range: it must lie between " + min + " and " + max);
            }
            return value;
        }
    }

    /** {@link #percent(int, int)}. */
    private static final class PercentRange implements Key.Parser<Integer> {
        private final int min;
        private final int max;

        PercentRange(int min, int max) {
            this.min = min;
            this.max = max;
        }

        @Override
        public Integer parse(String text) {
            String t = text.trim();
            if (t.endsWith("%")) {
                t = t.substring(0, t.length() - 1).trim();
            }
            int value;
            try {
                value = Integer.parseInt(t);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("is not a share like 50%");
            }
            if (value < min || value > max) {
                throw new IllegalArgumentException(
                        "is out of range: it must lie between " + min + "% and " + max + "%");
            }
            return value;
        }
    }

    /** {@link #bytes(int, int)}. */
    private static final class SizeRange implements Key.Parser<Integer> {
        private final int min;
        private final int max;

        SizeRange(int min, int max) {
            this.min = min;
            this.max = max;
        }

        @Override
        public Integer parse(String text) {
            String t = text.trim().toLowerCase(Locale.ROOT);
            long factor = 1;
            if (t.endsWith("kib") || t.endsWith("k")) {
                factor = 1024;
                t = t.substring(0, t.length() - (t.endsWith("kib") ? 3 : 1));
            } else if (t.endsWith("mib") || t.endsWith("m")) {
                factor = 1024 * 1024;
                t = t.substring(0, t.length() - (t.endsWith("mib") ? 3 : 1));
            } else if (t.endsWith("b")) {
                t = t.substring(0, t.length() - 1);
            }
            long value;
            try {
                value = Long.parseLong(t.trim()) * factor;
            } catch (NumberFormatException | ArithmeticException e) {
                throw new IllegalArgumentException("is not a size like 65536, 64k or 1m");
            }
            if (value < min || value > max) {
                throw new IllegalArgumentException(
                        "is out of range: it must lie between " + formatBytes(min) + " and " + formatBytes(max));
            }
            return (int) value;
        }
    }
}
