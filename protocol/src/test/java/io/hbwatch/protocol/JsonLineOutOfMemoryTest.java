package io.hbwatch.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A field whose value could not be encoded for want of memory must not leave the value before it
 * behind: the agent writes its beats while the host runs out of memory, and a beat that said
 * {@code UP} once must not say it again for every {@code DEGRADED} after.
 */
class JsonLineOutOfMemoryTest {
    @Test
    void aValueThatRanOutOfMemoryWhileEncodedIsWrittenRightOnceMemoryIsBack() throws Exception {
        Process p = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx32m",
                        "-XX:+UseSerialGC",
                        "-cp",
                        System.getProperty("java.class.path"),
                        WriterOutOfMemory.class.getName())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        assertEquals("ran out of memory once, then {\"status\":\"DEGRADED\"}", out.strip());
    }

    /** Writes UP, runs out of memory writing DEGRADED, then writes DEGRADED again with memory back. */
    static final class WriterOutOfMemory {
        public static void main(String[] args) {
            JsonLine line = new JsonLine();
            line.field("status", "UP");
            String degraded = new String("DEGRADED".toCharArray());
            boolean ranOut = false;
            List<Object> hog = new ArrayList<>(1 << 20);
            for (int size : new int[] {1 << 14, 1 << 10, 64, 8, 1}) {
                try {
                    while (true) {
                        hog.add(new long[size]);
                    }
                } catch (OutOfMemoryError e) {
                    // this size fits no more: the next, smaller one fills what is left
                }
            }
            try {
                line.reset().field("status", degraded);
            } catch (OutOfMemoryError e) {
                ranOut = true;
            }
            hog = null;
            System.gc();
            System.out.println((ranOut ? "ran out of memory once, then " : "never ran out of memory, then ")
                    + line.reset().field("status", degraded).toJson());
        }
    }
}
