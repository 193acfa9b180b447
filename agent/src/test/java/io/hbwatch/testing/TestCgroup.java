package io.hbwatch.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Optional;

/**
 * A cgroup v1 hierarchy's child made for one test ({@code hbwatch-it-...}), into which a test moves
 * a real JVM; removed on close after the process is moved back. Needs root and a writable v1
 * controller, as on these machines; {@link #create} says why not otherwise.
 */
public final class TestCgroup implements AutoCloseable {
    private final Path root;
    private final Path dir;

    private TestCgroup(Path root, Path dir) {
        this.root = root;
        this.dir = dir;
    }

    /** A new child of the v1 {@code controller} hierarchy, or empty with the reason in {@code why}. */
    public static Optional<TestCgroup> create(String controller, StringBuilder why) {
        Path root = mountOf(controller);
        if (root == null) {
            why.append("no cgroup v1 hierarchy with the ").append(controller).append(" controller is mounted");
            return Optional.empty();
        }
        Path dir = root.resolve("hbwatch-it-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        try {
            Files.createDirectory(dir);
        } catch (IOException | RuntimeException e) {
            why.append("cannot create a cgroup in ").append(root).append(": ").append(e.getMessage());
            return Optional.empty();
        }
        return Optional.of(new TestCgroup(root, dir));
    }

    private static Path mountOf(String controller) {
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/self/mountinfo"))) {
                int dash = line.indexOf(" - ");
                if (dash < 0) {
                    continue;
                }
                String[] right = line.substring(dash + 3).split(" ");
                String[] left = line.substring(0, dash).split(" ");
                if (right.length >= 3
                        && right[0].equals("cgroup")
                        && List.of(right[2].split(",")).contains(controller)) {
                    return Paths.get(left[4]);
                }
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }

    /** Writes {@code value} to the cgroup's file {@code name}. */
    public TestCgroup set(String name, String value) throws IOException {
        Files.write(dir.resolve(name), value.getBytes(StandardCharsets.US_ASCII));
        return this;
    }

    /** Reads the cgroup's file {@code name}, trimmed. */
    public String get(String name) throws IOException {
        return new String(Files.readAllBytes(dir.resolve(name)), StandardCharsets.US_ASCII).trim();
    }

    /** Moves every thread of process {@code pid} into this cgroup. */
    public void add(long pid) throws IOException {
        set("cgroup.procs", Long.toString(pid));
    }

    /** Moves {@code pid} back to the hierarchy's root, if it still runs. */
    public void release(long pid) {
        try {
            Files.write(root.resolve("cgroup.procs"), Long.toString(pid).getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            // the process has gone: the cgroup is empty anyway
        }
    }

    /** Removes the cgroup; every process must have left it. */
    @Override
    public void close() throws IOException {
        for (int i = 0; i < 50; i++) {
            try {
                Files.delete(dir);
                return;
            } catch (IOException e) {
                try {
                    Thread.sleep(100); // the last task takes a moment to leave after its process exits
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        Files.deleteIfExists(dir);
    }
}
