package io.hbwatch.agent.beat;

/** Encodes text as UTF-8 into a caller's array, allocating nothing: the beat path runs per beat. */
final class Utf8 {
    private Utf8() {}

    /**
     * Encodes {@code s} into {@code out[0..limit)}. A lone surrogate becomes {@code ?}.
     *
     * @return the number of bytes written, or -1 when they would not fit in {@code limit}
     */
    static int encode(CharSequence s, byte[] out, int limit) {
        int n = 0;
        int len = s.length();
        for (int i = 0; i < len; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                if (n >= limit) {
                    return -1;
                }
                out[n++] = (byte) c;
            } else if (c < 0x800) {
                if (n + 2 > limit) {
                    return -1;
                }
                out[n++] = (byte) (0xC0 | (c >> 6));
                out[n++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                if (n + 4 > limit) {
                    return -1;
                }
                out[n++] = (byte) (0xF0 | (cp >> 18));
                out[n++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                out[n++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                out[n++] = (byte) (0x80 | (cp & 0x3F));
            } else if (Character.isSurrogate(c)) {
                if (n >= limit) {
                    return -1;
                }
                out[n++] = '?';
            } else {
                if (n + 3 > limit) {
                    return -1;
                }
                out[n++] = (byte) (0xE0 | (c >> 12));
                out[n++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                out[n++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        return n;
    }
}
