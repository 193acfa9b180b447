package io.hbwatch.agent.resource;

import java.io.FileInputStream;
import java.io.IOException;

/**
 * Reads the small files of {@code /proc} and of cgroups ({@code cpu.stat}, {@code pids.current})
 * into one reused buffer and finds numbers in it without making strings: the periodic check reads
 * them every few seconds for as long as the JVM runs, so what it allocates and the code it runs
 * would be the host's cost (fresh heap pages touched, JIT work). Not thread-safe: one per reader.
 */
final class ProcFile {
    private final byte[] buf = new byte[4096];
    private int length;

    /** Reads {@code path}; false (and nothing read) when it cannot be read. */
    boolean read(String path) {
        length = 0;
        try (FileInputStream in = new FileInputStream(path)) {
            int n;
            while (length < buf.length && (n = in.read(buf, length, buf.length - length)) > 0) {
                length += n;
            }
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** A hash of what was read, to tell cheaply whether a file changed. */
    long hash() {
        long h = 1125899906842597L;
        for (int i = 0; i < length; i++) {
            h = 31 * h + buf[i];
        }
        return h * 31 + length;
    }

    /** The whole file as one number ({@code 42}); -1 for {@code max} or anything else. */
    long number() {
        return parse(0);
    }

    /**
     * The number after {@code key} and a space or a tab at the start of a line ({@code nr_periods
     * 12} in {@code cpu.stat}, {@code FDSize:\t256} in {@code /proc/self/status}); -1 when absent.
     */
    long keyed(String key) {
        int at = 0;
        while (at < length) {
            if (startsWith(at, key) && at + key.length() < length && blank(buf[at + key.length()])) {
                return parse(at + key.length() + 1);
            }
            while (at < length && buf[at] != '\n') {
                at++;
            }
            at++;
        }
        return -1;
    }

    private boolean startsWith(int at, String key) {
        if (at + key.length() > length) {
            return false;
        }
        for (int i = 0; i < key.length(); i++) {
            if (buf[at + i] != key.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean blank(byte b) {
        return b == ' ' || b == '\t';
    }

    private long parse(int from) {
        long v = 0;
        int i = from;
        while (i < length && blank(buf[i])) {
            i++;
        }
        int start = i;
        while (i < length && buf[i] >= '0' && buf[i] <= '9' && i - start < 18) {
            v = v * 10 + (buf[i] - '0');
            i++;
        }
        return i == start ? -1 : v;
    }
}
