package io.hbwatch.agent.util;

/** How the agent writes figures and names into beats and lines. Stateless. */
public final class Words {
    private Words() {}

    /** {@code s} cut to at most {@code max} characters, ending in {@code ...} when cut: beats have 4 KiB. */
    public static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }

    /** Milliseconds as people read them: {@code 850 ms}, {@code 2.4 s}, {@code 12 s}. */
    public static String seconds(long ms) {
        if (ms < 1000) {
            return ms + " ms";
        }
        if (ms < 10_000 && ms % 1000 != 0) {
            // By hand, not String.format: its first "%.1f" loads the JDK's number formatting and
            // locale data into the host, a few hundred KB, on the beat thread of a paused JVM.
            long tenths = (ms + 50) / 100;
            return tenths / 10 + "." + tenths % 10 + " s";
        }
        return ms / 1000 + " s";
    }

    /** The first {@code max} names in quotes, separated by commas, and how many more there are. */
    public static String quoted(java.util.List<String> names, int max) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < names.size() && i < max; i++) {
            b.append(i == 0 ? "" : ", ").append('"').append(names.get(i)).append('"');
        }
        if (names.size() > max) {
            b.append(" and ").append(names.size() - max).append(" more");
        }
        return b.toString();
    }
}
