package io.hbwatch.agent.resource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

/**
 * Where this process's cgroup keeps a controller's files, on cgroup v2 (the unified hierarchy) and
 * v1, found as the JDK's own container support finds them: the process's line in {@code
 * /proc/self/cgroup} joined to the controller's mount in {@code /proc/self/mountinfo}. Only the
 * process's own cgroup is read: a quota set on a parent cgroup is not seen.
 */
final class Cgroups {
    private Cgroups() {}

    /** A controller's directory and whether it is v2; null when this process has none. */
    static final class Dir {
        final Path path;
        final boolean v2;

        Dir(Path path, boolean v2) {
            this.path = path;
            this.v2 = v2;
        }

        /** The path of a file in it, as a string for {@link ProcFile}. */
        String file(String name) {
            return path.resolve(name).toString();
        }
    }

    /**
     * Finds one controller's directory, and again whenever the process has moved, since a process
     * can be moved to another cgroup at any time (a container runtime, systemd, an operator): the
     * mount table is read once. Thread-confined.
     */
    static final class Finder {
        /**
         * At most how often {@code /proc/self/cgroup} is read again to see whether the process moved:
         * every fifth check, and at least every 10 s. A move is rare (a container runtime, systemd,
         * an operator), and reading the file at every check was most of the checks' CPU.
         */
        static long recheckNanos(long checkMs) {
            return Math.min(10_000L, 5 * Math.max(1, checkMs)) * 1_000_000L;
        }

        private final long recheckNanos;
        private final String controller;
        private final String file;
        private final ProcFile self = new ProcFile();
        private List<String> mounts;
        private Dir last;
        private long lastHash;
        private boolean looked;
        private long readAtNanos;

        /** @param file a file the controller's directory must have to be read ({@code cpu.stat}, {@code pids.current}) */
        Finder(String controller, String file, long checkMs) {
            this.recheckNanos = recheckNanos(checkMs);
            this.controller = controller;
            this.file = file;
        }

        /**
         * The controller's directory now; null when there is none (not Linux, no such controller)
         * or it lacks the file (the root of a v1 hierarchy has no {@code pids.current}). Reads
         * {@code /proc/self/cgroup} into a reused buffer at most every {@link #recheckNanos}, and
         * resolves the directory again only when what it says has changed, so a move is seen within
         * that long at almost no cost.
         */
        Dir find() {
            long now = System.nanoTime();
            if (looked && now - readAtNanos < recheckNanos) {
                return last;
            }
            readAtNanos = now;
            if (!self.read("/proc/self/cgroup")) {
                return null;
            }
            long hash = self.hash();
            if (looked && hash == lastHash) {
                return last;
            }
            looked = true;
            lastHash = hash;
            try {
                if (mounts == null) {
                    mounts = read("/proc/self/mountinfo");
                }
                Dir d = Cgroups.find(controller, read("/proc/self/cgroup"), mounts);
                if (d != null && !Files.isReadable(d.path.resolve(file))) {
                    d = null;
                }
                last = d;
                return d;
            } catch (IOException | RuntimeException e) {
                last = null;
                return null;
            }
        }
    }

    static Dir find(String controller, List<String> cgroupLines, List<String> mountLines) {
        String v2Path = null;
        for (String line : cgroupLines) {
            String[] f = line.split(":", 3);
            if (f.length < 3) {
                continue;
            }
            if (f[0].equals("0") && f[1].isEmpty()) {
                v2Path = f[2];
                continue;
            }
            for (String c : f[1].split(",")) {
                if (c.equals(controller)) {
                    Path dir = join(mountLines, "cgroup", controller, f[2]);
                    if (dir != null) {
                        return new Dir(dir, false);
                    }
                }
            }
        }
        if (v2Path != null) {
            Path dir = join(mountLines, "cgroup2", null, v2Path);
            if (dir != null && Files.exists(dir.resolve(controller + ".max"))) {
                return new Dir(dir, true);
            }
        }
        return null;
    }

    /** The mount of {@code fsType} (with {@code option} among its super options, for v1) joined to {@code path}. */
    private static Path join(List<String> mountLines, String fsType, String option, String path) {
        for (String line : mountLines) {
            int dash = line.indexOf(" - ");
            if (dash < 0) {
                continue;
            }
            String[] left = line.substring(0, dash).split(" ");
            String[] right = line.substring(dash + 3).split(" ");
            if (left.length < 5 || right.length < 3 || !right[0].equals(fsType)) {
                continue;
            }
            if (option != null && !hasOption(right[2], option)) {
                continue;
            }
            String root = left[3];
            String mountPoint = left[4];
            String rel = path;
            if (!root.equals("/")) {
                if (!path.startsWith(root)) {
                    continue; // another namespace's view of the hierarchy
                }
                rel = path.substring(root.length());
            }
            return Paths.get(mountPoint, rel.startsWith("/") ? rel.substring(1) : rel);
        }
        return null;
    }

    private static boolean hasOption(String options, String option) {
        for (String o : options.split(",")) {
            if (o.equals(option)) {
                return true;
            }
        }
        return false;
    }

    /** A file's lines, for the cgroup and proc files (small). */
    static List<String> read(String file) throws IOException {
        return Files.readAllLines(Paths.get(file), StandardCharsets.UTF_8);
    }
}
