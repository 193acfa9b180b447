package io.hbwatch.protocol;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;
import java.util.Map;

/**
 * Where the agents of a host say who they are, as the JDK's own {@code hsperfdata_<user>} files
 * do for {@code jps}: one directory per user, one file per JVM, {@code <pid>.json}, holding one
 * JSON object. An agent writes its file once it listens and deletes it when the JVM exits; a file
 * whose process is gone, or is another process that got its pid, is stale and ignored. The
 * monitor reads the directory for {@code pid:PID}, {@code pid:NAME} and {@code --local}.
 *
 * <p>Only the same user's agents are found: the directory is created {@code 0700} and a directory
 * owned by anyone else is refused by both sides, so that nobody can plant entries.
 */
public final class Registry {
    /** Suffix of an entry's file name, after the pid. */
    public static final String SUFFIX = ".json";

    // Fields of an entry.
    public static final String F_PID = "pid";
    public static final String F_INSTANCE = "instance";
    /** Process start time, epoch ms, as {@code ProcessHandle.Info#startInstant} gives it: tells pid reuse. */
    public static final String F_STARTED = "started";
    /** {@code host:port} of the heartbeat stream; absent when it does not listen. */
    public static final String F_HEARTBEAT = "heartbeat";
    /** Base URL of Jolokia ({@code http://127.0.0.1:8778/jolokia}); absent when it is off. */
    public static final String F_JOLOKIA = "jolokia";
    /** What {@code jps -l} shows: the main class, or the jar as given; empty when unknown. */
    public static final String F_MAIN = "main";

    private Registry() {}

    /**
     * The default directory: {@code /tmp/hbwatch_<user>} (the JVM's {@code java.io.tmpdir} where
     * there is no {@code /tmp}), the same for every JVM of the user, whatever temporary directory
     * each was given, as the JDK does for {@code hsperfdata}.
     */
    public static Path defaultDirectory() {
        Path tmp = Paths.get("/tmp");
        if (!Files.isDirectory(tmp)
                || System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("win")) {
            tmp = Paths.get(System.getProperty("java.io.tmpdir"));
        }
        return tmp.resolve("hbwatch_" + System.getProperty("user.name", "unknown"));
    }

    /**
     * Checks that {@code dir} may be trusted: a directory, not a symbolic link, owned by this user.
     * Both sides refuse any other, so that nobody else can read or plant entries.
     *
     * @throws java.io.IOException with a one-line message saying why not
     */
    public static void checkTrusted(Path dir) throws java.io.IOException {
        if (Files.isSymbolicLink(dir) || !Files.isDirectory(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new java.io.IOException(dir + " is not a directory");
        }
        String owner =
                Files.getOwner(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS).getName();
        String me = System.getProperty("user.name", "");
        if (!owner.equals(me)) {
            throw new java.io.IOException(dir + " belongs to " + owner + ", not to " + me);
        }
    }

    /** One JVM's entry. Immutable. */
    public static final class Entry {
        private final long pid;
        private final String instance;
        private final long startedMillis;
        private final String heartbeat;
        private final String jolokia;
        private final String main;

        public Entry(long pid, String instance, long startedMillis, String heartbeat, String jolokia, String main) {
            this.pid = pid;
            this.instance = instance;
            this.startedMillis = startedMillis;
            this.heartbeat = heartbeat;
            this.jolokia = jolokia;
            this.main = main == null ? "" : main;
        }

        /** Reads and parses the entry in {@code file}. */
        public static Entry read(Path file) throws java.io.IOException, JsonParser.JsonException {
            return parse(new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.UTF_8).trim());
        }

        /** Parses one entry; throws on anything but a well-formed one. */
        public static Entry parse(String json) throws JsonParser.JsonException {
            Map<String, Object> m = JsonParser.parseObject(json);
            Object pid = m.get(F_PID);
            Object started = m.get(F_STARTED);
            if (!(pid instanceof Long) || (Long) pid <= 0) {
                throw new JsonParser.JsonException("no pid");
            }
            return new Entry(
                    (Long) pid,
                    text(m, F_INSTANCE),
                    started instanceof Long ? (Long) started : 0,
                    text(m, F_HEARTBEAT),
                    text(m, F_JOLOKIA),
                    text(m, F_MAIN));
        }

        private static String text(Map<String, Object> m, String field) {
            Object v = m.get(field);
            return v instanceof String ? (String) v : null;
        }

        /** The entry as its file holds it, one line. */
        public String toJson() {
            JsonLine json = new JsonLine(256).field(F_PID, pid).field(F_INSTANCE, instance);
            json.field(F_STARTED, startedMillis);
            if (heartbeat != null) {
                json.field(F_HEARTBEAT, heartbeat);
            }
            if (jolokia != null) {
                json.field(F_JOLOKIA, jolokia);
            }
            return json.field(F_MAIN, main).toJson();
        }

        public long pid() {
            return pid;
        }

        public String instance() {
            return instance;
        }

        public long startedMillis() {
            return startedMillis;
        }

        /** {@code host:port}, or null when the heartbeat does not listen. */
        public String heartbeat() {
            return heartbeat;
        }

        /** Jolokia's base URL, or null when it is off. */
        public String jolokia() {
            return jolokia;
        }

        /** The main class or jar as {@code jps -l} shows it; empty when unknown. */
        public String main() {
            return main;
        }

        /**
         * Whether the process is still the one that wrote the entry: alive, and started when the
         * entry says (a pid reused by a later process is not).
         */
        public boolean live() {
            // No lambdas: the agent calls this too, and each would spin a hidden class in the host.
            java.util.Optional<ProcessHandle> p = ProcessHandle.of(pid);
            if (p.isEmpty() || !p.get().isAlive()) {
                return false;
            }
            java.util.Optional<java.time.Instant> start = p.get().info().startInstant();
            return startedMillis == 0 || start.isEmpty() || Math.abs(start.get().toEpochMilli() - startedMillis) < 1000;
        }

        /**
         * Whether {@code name} names this JVM as {@code jps} would: the pid, the main class (whole or
         * simple name), or the jar (as given, or its file name).
         */
        public boolean matches(String name) {
            if (name.equals(Long.toString(pid))) {
                return true;
            }
            if (main.isEmpty()) {
                return false;
            }
            String simple = main.substring(main.lastIndexOf('.') + 1);
            String file = main.substring(main.lastIndexOf('/') + 1);
            return name.equals(main) || (!main.endsWith(".jar") && name.equals(simple)) || name.equals(file);
        }

        @Override
        public String toString() {
            return "pid " + pid + (main.isEmpty() ? "" : " (" + main + ")");
        }
    }
}
