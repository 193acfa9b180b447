package io.hbwatch.testing;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** Waiting for a beat that says something, counting beats rather than time. */
public final class Beats {
    private Beats() {}

    /**
     * Reads beats until one matches, failing after {@code maxBeats} beats (each read also times out
     * on its own). The failure shows the last beats read.
     */
    public static Map<String, Object> await(BeatClient client, int maxBeats, Predicate<Map<String, Object>> wanted)
            throws IOException {
        List<Map<String, Object>> seen = new ArrayList<>();
        for (int i = 0; i < maxBeats; i++) {
            Map<String, Object> beat = client.next();
            if (wanted.test(beat)) {
                return beat;
            }
            seen.add(beat);
            if (seen.size() > 3) {
                seen.remove(0);
            }
        }
        throw new AssertionError("no such beat within " + maxBeats + " beats; the last ones: " + seen);
    }

    /** A beat with that status. */
    public static Predicate<Map<String, Object>> status(String status) {
        return beat -> status.equals(beat.get("status"));
    }

    /** A DEGRADED beat with that reason. */
    public static Predicate<Map<String, Object>> degraded(String reason) {
        return beat -> "DEGRADED".equals(beat.get("status")) && reason.equals(beat.get("reason"));
    }

    /** Sends one line to the app's stdin. */
    public static void tell(AgentJvm app, String line) throws IOException {
        app.process().getOutputStream().write((line + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        app.process().getOutputStream().flush();
    }
}
