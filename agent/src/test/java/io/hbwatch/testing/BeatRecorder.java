package io.hbwatch.testing;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real subscriber that reads beats on its own thread and keeps each beat's {@code seq} and
 * {@code time}, so a test can check afterwards that none was missed or late.
 */
public final class BeatRecorder implements AutoCloseable {
    private final BeatClient client;
    private final List<long[]> beats = new ArrayList<>();
    private final Thread reader;
    private volatile IOException failure;

    private BeatRecorder(BeatClient client) {
        this.client = client;
        this.reader = new Thread(this::read, "test-beat-recorder");
        reader.setDaemon(true);
        reader.start();
    }

    /** Subscribes to the default subject of the agent on {@code 127.0.0.1:port}. */
    public static BeatRecorder start(int port) throws IOException {
        return new BeatRecorder(BeatClient.connect(port, "{}"));
    }

    private void read() {
        try {
            while (true) {
                Map<String, Object> beat = client.next();
                if (beat.containsKey("error")) {
                    throw new IOException("error line: " + beat);
                }
                synchronized (beats) {
                    beats.add(new long[] {(Long) beat.get("seq"), (Long) beat.get("time")});
                }
            }
        } catch (IOException e) {
            failure = e;
        }
    }

    /** Beats received so far. */
    public int count() {
        synchronized (beats) {
            return beats.size();
        }
    }

    /** Waits (up to 30 s) for {@code n} beats in all; fails at once if the stream broke. */
    public void awaitBeats(int n) {
        await().atMost(Duration.ofSeconds(30))
                .failFast("the stream broke", () -> failure != null)
                .until(() -> count() >= n);
    }

    /**
     * Every beat numbered one more than the one before, and none made more than {@code maxGap}
     * after the one before (by the agent's own {@code time}: the beat thread was never held up).
     */
    public void assertNoMissedBeat(Duration maxGap) {
        List<long[]> copy;
        synchronized (beats) {
            copy = new ArrayList<>(beats);
        }
        assertTrue(copy.size() >= 2, "too few beats: " + copy.size());
        for (int i = 1; i < copy.size(); i++) {
            long[] a = copy.get(i - 1);
            long[] b = copy.get(i);
            // The first beat may repeat the latest one sent to others; from then on one each.
            if (i == 1 && b[0] == a[0]) {
                continue;
            }
            assertEquals(a[0] + 1, b[0], "seq after " + a[0]);
            assertTrue(
                    b[1] - a[1] <= maxGap.toMillis(),
                    "beat " + b[0] + " came " + (b[1] - a[1]) + " ms after the one before");
        }
    }

    /** The longest time, by the agent's clock, between two beats received one after the other. */
    public long maxGapMillis() {
        List<long[]> copy;
        synchronized (beats) {
            copy = new ArrayList<>(beats);
        }
        long max = 0;
        for (int i = 2; i < copy.size(); i++) { // the first may repeat the latest beat sent to others
            max = Math.max(max, copy.get(i)[1] - copy.get(i - 1)[1]);
        }
        return max;
    }

    @Override
    public void close() throws IOException {
        client.close();
    }
}
