package io.hbwatch.protocol;

import java.util.List;

/**
 * Writes one JSON object as one line of the heartbeat stream. Reusable: {@link #reset()} keeps the
 * buffer, so a beat loop that writes into the same instance allocates nothing in steady state.
 *
 * <p>Not thread-safe; each writer owns its instance.
 */
public final class JsonLine {
    private final StringBuilder out;
    private boolean first = true;

    public JsonLine() {
        this(256);
    }

    public JsonLine(int capacity) {
        out = new StringBuilder(capacity);
        out.append('{');
    }

    /** Starts a new object, keeping the buffer. */
    public JsonLine reset() {
        out.setLength(0);
        out.append('{');
        first = true;
        return this;
    }

    public JsonLine field(String name, String value) {
        key(name);
        if (value == null) {
            out.append("null");
        } else {
            quote(out, value);
        }
        return this;
    }

    public JsonLine field(String name, long value) {
        key(name).append(value);
        return this;
    }

    public JsonLine field(String name, boolean value) {
        key(name).append(value);
        return this;
    }

    /** Writes a number with up to three decimals, or {@code null} for NaN and infinities. */
    public JsonLine field(String name, double value) {
        key(name);
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            out.append("null");
        } else if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            out.append((long) value);
        } else {
            out.append(Math.round(value * 1000.0) / 1000.0);
        }
        return this;
    }

    public JsonLine field(String name, List<String> values) {
        key(name).append('[');
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            quote(out, values.get(i));
        }
        out.append(']');
        return this;
    }

    /** Writes {@code value} verbatim; the caller promises it is valid JSON. */
    public JsonLine rawField(String name, CharSequence json) {
        key(name).append(json);
        return this;
    }

    /** Closes the object and returns it, without a newline. The writer may be reset and reused. */
    public String toJson() {
        return out.append('}').toString();
    }

    /**
     * Closes the object and returns the buffer itself, for callers that encode it without making a
     * String. Call {@link #reset()} before the next use.
     */
    public CharSequence finish() {
        return out.append('}');
    }

    private StringBuilder key(String name) {
        if (!first) {
            out.append(',');
        }
        first = false;
        quote(out, name);
        return out.append(':');
    }

    /** Appends {@code s} as a JSON string literal, escaping what JSON requires. */
    public static void quote(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"':
                    out.append("\\\"");
                    break;
                case '\\':
                    out.append("\\\\");
                    break;
                case '\n':
                    out.append("\\n");
                    break;
                case '\r':
                    out.append("\\r");
                    break;
                case '\t':
                    out.append("\\t");
                    break;
                default:
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
            }
        }
        out.append('"');
    }

    /** Returns {@code s} as a JSON string literal. */
    public static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2);
        quote(b, s);
        return b.toString();
    }
}
