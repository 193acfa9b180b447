package io.hbwatch.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Writes one JSON object as one line of UTF-8, for the heartbeat stream and the monitor's JSON
 * events. Reusable: {@link #reset()} keeps the buffer, so a beat loop that writes into the same
 * instance allocates nothing in steady state.
 *
 * <p>Built for the agent's beat thread, which at one beat a second runs this code interpreted
 * for minutes, with cold caches every time: the cost is the number of bytecodes run, so the line
 * is written straight to bytes (no second encoding pass), and the text a beat repeats is encoded
 * once and then copied in bulk. Every field name and the last string value written under it are
 * kept encoded (up to {@value #REMEMBERED} names, found where the previous field left off since
 * a beat writes its fields in the same order each time); a string value that is the same
 * instance as last time under that name is copied, not escaped again.
 *
 * <p>Not thread-safe; each writer owns its instance.
 */
public final class JsonLine {
    /** Most field names kept encoded; a writer given more (a program error) encodes the rest each time. */
    static final int REMEMBERED = 64;

    private static final byte[] NULL = ascii("null");
    private static final byte[] TRUE = ascii("true");
    private static final byte[] FALSE = ascii("false");
    private static final byte[] LONG_MIN = ascii(Long.toString(Long.MIN_VALUE));
    private static final byte[] HEX = ascii("0123456789abcdef");

    private byte[] buf;
    private int length;
    private boolean first = true;

    /** Created with the first name: a writer used once for one quoted string needs none. */
    private Name[] names;

    private int nameCount;
    /** Where the next field's name is looked for first: just after the previous one. */
    private int nextName;

    public JsonLine() {
        this(256);
    }

    public JsonLine(int capacity) {
        buf = new byte[Math.max(16, capacity)];
        buf[length++] = '{';
    }

    /** Starts a new object, keeping the buffer and the encoded names. */
    public JsonLine reset() {
        length = 0;
        buf[length++] = '{';
        first = true;
        nextName = 0;
        return this;
    }

    public JsonLine field(String name, String value) {
        Name n = key(name);
        if (value == null) {
            put(NULL);
        } else if (n == null) {
            putQuoted(value);
        } else {
            if (value != n.value) {
                // Encoded first: an OutOfMemoryError while encoding must leave the name's last
                // value and its encoding together, or every later write of this value would copy
                // the encoding of the one before (a beat saying UP while it is DEGRADED).
                byte[] quotedValue = quoted(value);
                n.quotedValue = quotedValue;
                n.value = value;
            }
            put(n.quotedValue);
        }
        return this;
    }

    public JsonLine field(String name, long value) {
        key(name);
        putLong(value);
        return this;
    }

    public JsonLine field(String name, boolean value) {
        key(name);
        put(value ? TRUE : FALSE);
        return this;
    }

    /** Writes a number with up to three decimals, or {@code null} for NaN and infinities. */
    public JsonLine field(String name, double value) {
        key(name);
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            put(NULL);
        } else if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            putLong((long) value);
        } else {
            putAscii(Double.toString(Math.round(value * 1000.0) / 1000.0));
        }
        return this;
    }

    public JsonLine field(String name, List<String> values) {
        key(name);
        putByte('[');
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                putByte(',');
            }
            putQuoted(values.get(i));
        }
        putByte(']');
        return this;
    }

    /** Writes {@code value} verbatim; the caller promises it is valid JSON. */
    public JsonLine rawField(String name, CharSequence json) {
        key(name);
        put(json.toString().getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** Closes the object and returns it, without a newline. The writer may be reset and reused. */
    public String toJson() {
        finish();
        return new String(buf, 0, length, StandardCharsets.UTF_8);
    }

    /**
     * Closes the object, for callers that take its bytes with {@link #copyTo}, allocating nothing.
     * Call {@link #reset()} before the next use.
     *
     * @return the object's length in bytes, closing brace included
     */
    public int finish() {
        putByte('}');
        return length;
    }

    /** Copies the bytes written so far into {@code out} at 0; {@code out} must hold {@link #length()}. */
    public void copyTo(byte[] out) {
        System.arraycopy(buf, 0, out, 0, length);
    }

    /** Bytes written so far. */
    public int length() {
        return length;
    }

    /** Returns {@code s} as a JSON string literal. */
    public static String quote(String s) {
        return new String(quoted(s), StandardCharsets.UTF_8);
    }

    /** Writes the comma and the quoted name; returns the name's entry, or null past the limit. */
    private Name key(String name) {
        if (!first) {
            putByte(',');
        }
        first = false;
        Name n = lookUp(name);
        if (n == null) {
            putQuoted(name);
            putByte(':');
        } else {
            put(n.key);
        }
        return n;
    }

    private Name lookUp(String name) {
        for (int i = 0; i < nameCount; i++) {
            int at = nextName + i < nameCount ? nextName + i : nextName + i - nameCount;
            Name n = names[at];
            if (n.name.equals(name)) {
                nextName = at + 1 < nameCount ? at + 1 : 0;
                return n;
            }
        }
        if (nameCount == REMEMBERED) {
            return null;
        }
        if (names == null) {
            names = new Name[REMEMBERED];
        }
        byte[] quotedName = quoted(name);
        byte[] key = Arrays.copyOf(quotedName, quotedName.length + 1);
        key[quotedName.length] = ':';
        Name n = new Name(name, key);
        names[nameCount++] = n;
        nextName = nameCount < REMEMBERED ? nameCount : 0;
        return n;
    }

    private static byte[] quoted(String s) {
        JsonLine scratch = new JsonLine(s.length() + 8);
        scratch.length = 0;
        scratch.putQuoted(s);
        return Arrays.copyOf(scratch.buf, scratch.length);
    }

    /**
     * Appends {@code s} as a JSON string literal in UTF-8, escaping what JSON requires (and U+2028
     * and U+2029, which break JavaScript readers); a lone surrogate becomes {@code ?}.
     */
    private void putQuoted(String s) {
        putByte('"');
        int len = s.length();
        for (int i = 0; i < len; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
                putByte(c);
            } else if (c < 0x80 || c == 0x2028 || c == 0x2029) {
                escape(c);
            } else if (c < 0x800) {
                ensure(2);
                buf[length++] = (byte) (0xC0 | (c >> 6));
                buf[length++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                ensure(4);
                buf[length++] = (byte) (0xF0 | (cp >> 18));
                buf[length++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                buf[length++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                buf[length++] = (byte) (0x80 | (cp & 0x3F));
            } else if (Character.isSurrogate(c)) {
                putByte('?');
            } else {
                ensure(3);
                buf[length++] = (byte) (0xE0 | (c >> 12));
                buf[length++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                buf[length++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        putByte('"');
    }

    private void escape(char c) {
        switch (c) {
            case '"':
            case '\\':
                putByte('\\');
                putByte(c);
                break;
            case '\n':
                putByte('\\');
                putByte('n');
                break;
            case '\r':
                putByte('\\');
                putByte('r');
                break;
            case '\t':
                putByte('\\');
                putByte('t');
                break;
            default:
                ensure(6);
                buf[length++] = '\\';
                buf[length++] = 'u';
                buf[length++] = HEX[(c >> 12) & 0xF];
                buf[length++] = HEX[(c >> 8) & 0xF];
                buf[length++] = HEX[(c >> 4) & 0xF];
                buf[length++] = HEX[c & 0xF];
        }
    }

    private void putLong(long v) {
        if (v == Long.MIN_VALUE) {
            put(LONG_MIN);
            return;
        }
        if (v < 0) {
            putByte('-');
            v = -v;
        }
        int digits = 1;
        for (long rest = v / 10; rest != 0; rest /= 10) {
            digits++;
        }
        ensure(digits);
        for (int i = length + digits - 1; i >= length; i--) {
            buf[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        length += digits;
    }

    private void putAscii(String s) {
        put(s.getBytes(StandardCharsets.US_ASCII));
    }

    private void put(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, length, bytes.length);
        length += bytes.length;
    }

    private void putByte(int b) {
        ensure(1);
        buf[length++] = (byte) b;
    }

    private void ensure(int more) {
        if (length + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, length + more));
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** A field name kept encoded as {@code "name":}, with the last string value written under it. */
    private static final class Name {
        final String name;
        final byte[] key;
        String value;
        byte[] quotedValue;

        Name(String name, byte[] key) {
            this.name = name;
            this.key = key;
        }
    }
}
