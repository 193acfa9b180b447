package io.hbwatch.protocol;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict, bounded JSON parser for single protocol lines. Lines come from the network, so the
 * parser never recurses deeper than {@link #MAX_DEPTH} and the caller bounds the input to
 * {@link Protocol#MAX_LINE_BYTES}. Objects become {@code Map<String,Object>} (in order), arrays
 * {@code List<Object>}, numbers {@code Long} or {@code Double}, and {@code true}/{@code false}/
 * {@code null} their Java counterparts.
 *
 * <p>Stateless and thread-safe.
 */
public final class JsonParser {
    /** Nesting depth beyond which input is rejected. */
    public static final int MAX_DEPTH = 8;

    private final String s;
    private int pos;

    private final int maxDepth;

    private JsonParser(String s, int maxDepth) {
        this.s = s;
        this.maxDepth = maxDepth;
    }

    /**
     * Parses a line that must hold exactly one JSON object (surrounding white space allowed).
     *
     * @throws JsonException naming what is wrong and where
     */
    public static Map<String, Object> parseObject(String line) throws JsonException {
        return parseObject(line, MAX_DEPTH);
    }

    /**
     * Parses a document that must hold exactly one JSON object nested at most {@code maxDepth}
     * deep: for the agent's own reading of JDK output (a JSON thread dump), not for peers.
     *
     * @throws JsonException naming what is wrong and where
     */
    public static Map<String, Object> parseObject(String line, int maxDepth) throws JsonException {
        IntoMap result = new IntoMap();
        parseFields(line, maxDepth, result);
        return result.map;
    }

    /** Takes the fields of a line's object one at a time, in order ({@link #parseFields}). */
    public interface Fields {
        /**
         * One field of the object; called again for a name that comes again.
         *
         * @param value as {@link #parseObject} gives it: a String, Long, Double, Boolean, Map, List or null
         */
        void field(String name, Object value);
    }

    /**
     * Parses a line that must hold exactly one JSON object, as {@link #parseObject} does, and hands
     * its fields to {@code into} instead of putting them in a map: for a reader that takes a few
     * fields of every line, such as a monitor reading a hundred thousand heartbeats a second. A line
     * that is not valid throws after {@code into} may have had some of its fields.
     *
     * @throws JsonException naming what is wrong and where
     */
    public static void parseFields(String line, Fields into) throws JsonException {
        parseFields(line, MAX_DEPTH, into);
    }

    private static void parseFields(String line, int maxDepth, Fields into) throws JsonException {
        JsonParser p = new JsonParser(line, maxDepth);
        p.skipWs();
        if (p.peek() != '{') {
            throw p.error("expected '{'");
        }
        p.fields(0, into);
        p.skipWs();
        if (p.pos != line.length()) {
            throw p.error("trailing characters");
        }
    }

    private Object value(int depth) throws JsonException {
        if (depth > maxDepth) {
            throw error("nested deeper than " + maxDepth);
        }
        skipWs();
        char c = peek();
        switch (c) {
            case '{':
                return object(depth);
            case '[':
                return array(depth);
            case '"':
                return string();
            case 't':
                return literal("true", Boolean.TRUE);
            case 'f':
                return literal("false", Boolean.FALSE);
            case 'n':
                return literal("null", null);
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return number();
                }
                throw error("unexpected " + describe(c));
        }
    }

    private Map<String, Object> object(int depth) throws JsonException {
        IntoMap into = new IntoMap();
        fields(depth, into);
        return into.map;
    }

    /** The fields of the object at {@link #pos}, to {@code into}, as far as its closing brace. */
    private void fields(int depth, Fields into) throws JsonException {
        pos++; // '{'
        skipWs();
        if (peek() == '}') {
            pos++;
            return;
        }
        while (true) {
            skipWs();
            if (peek() != '"') {
                throw error("expected a field name");
            }
            String key = string();
            skipWs();
            expect(':');
            into.field(key, value(depth + 1));
            skipWs();
            char c = next();
            if (c == '}') {
                return;
            }
            if (c != ',') {
                pos--;
                throw error("expected ',' or '}'");
            }
        }
    }

    private List<Object> array(int depth) throws JsonException {
        List<Object> list = new ArrayList<>();
        pos++; // '['
        skipWs();
        if (peek() == ']') {
            pos++;
            return list;
        }
        while (true) {
            list.add(value(depth + 1));
            skipWs();
            char c = next();
            if (c == ']') {
                return list;
            }
            if (c != ',') {
                pos--;
                throw error("expected ',' or ']'");
            }
        }
    }

    private String string() throws JsonException {
        pos++; // opening quote
        StringBuilder b = null;
        int start = pos;
        while (true) {
            if (pos >= s.length()) {
                throw error("unterminated string");
            }
            char c = s.charAt(pos++);
            if (c == '"') {
                return b == null ? s.substring(start, pos - 1) : b.toString();
            }
            if (c < 0x20) {
                throw error("control character in string");
            }
            if (c == '\\') {
                if (b == null) {
                    b = new StringBuilder(s.substring(start, pos - 1));
                }
                b.append(escape());
            } else if (b != null) {
                b.append(c);
            }
        }
    }

    private char escape() throws JsonException {
        char c = next();
        switch (c) {
            case '"':
            case '\\':
            case '/':
                return c;
            case 'b':
                return '\b';
            case 'f':
                return '\f';
            case 'n':
                return '\n';
            case 'r':
                return '\r';
            case 't':
                return '\t';
            case 'u':
                if (pos + 4 > s.length()) {
                    throw error("short \\u escape");
                }
                try {
                    char u = (char) Integer.parseInt(s.substring(pos, pos + 4), 16);
                    pos += 4;
                    return u;
                } catch (NumberFormatException e) {
                    throw error("bad \\u escape");
                }
            default:
                pos--;
                throw error("bad escape");
        }
    }

    private Object number() throws JsonException {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        boolean fraction = false;
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c >= '0' && c <= '9') {
                pos++;
            } else if (c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
                fraction = true;
                pos++;
            } else {
                break;
            }
        }
        String text = s.substring(start, pos);
        try {
            if (!fraction) {
                return Long.parseLong(text);
            }
            double d = Double.parseDouble(text);
            if (Double.isInfinite(d)) {
                throw error("number out of range");
            }
            return d;
        } catch (NumberFormatException e) {
            pos = start;
            throw error("bad number '" + text + "'");
        }
    }

    private Object literal(String word, Object value) throws JsonException {
        if (!s.startsWith(word, pos)) {
            throw error("unexpected " + describe(peek()));
        }
        pos += word.length();
        return value;
    }

    private void expect(char c) throws JsonException {
        if (next() != c) {
            pos--;
            throw error("expected '" + c + "'");
        }
    }

    private void skipWs() {
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
                return;
            }
            pos++;
        }
    }

    private char peek() {
        return pos < s.length() ? s.charAt(pos) : 0;
    }

    private char next() throws JsonException {
        if (pos >= s.length()) {
            pos++;
            throw error("unexpected end of line");
        }
        return s.charAt(pos++);
    }

    private static String describe(char c) {
        return c == 0 ? "end of line" : "'" + c + "'";
    }

    private JsonException error(String what) {
        return new JsonException(what + " at column " + (Math.min(pos, s.length()) + 1));
    }

    /** Raised for input that is not a single valid JSON object. */
    public static final class JsonException extends Exception {
        private static final long serialVersionUID = 1L;

        public JsonException(String message) {
            super(message);
        }
    }

    /**
     * Puts each field in a map, in order. A named class, not a method reference: the agent parses
     * inside its host, where the first method reference would load the JDK's lambda machinery and
     * spin a hidden class, on the beat thread as the first subscriber connects.
     */
    private static final class IntoMap implements Fields {
        final Map<String, Object> map = new LinkedHashMap<>();

        @Override
        public void field(String name, Object value) {
            map.put(name, value);
        }
    }
}
