package io.hbwatch.agent.subject;

import io.hbwatch.agent.util.HbThreads;
import io.hbwatch.agent.util.Log;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One scan of the process table per beat interval for every name watched, on its own thread
 * ({@code hbwatch-procs}), never on the beat thread: the names are looked up in the latest scan.
 * A new subscription's first beat waits for a scan begun after it came, so that it tells the table
 * as it is; scans asked for so come at most every {@value #MIN_GAP_MS} ms, so that clients subscribing and leaving as fast as they can cost the host at most
 * one scan per {@value #MIN_GAP_MS} ms. With no name watched there is no scan, and after a minute no
 * thread.
 *
 * <p>Before, every name subscription rescanned the whole table on the beat thread, every beat: 63
 * names among 620 processes made beats 3.56 s late. Thread-safe.
 */
public final class ProcessTable implements AutoCloseable {
    /** Shortest time between two scans that new names asked for. */
    static final long MIN_GAP_MS = 250;

    private static final String[] NO_ARGUMENTS = {};
    private static final Path PROC = Paths.get("/proc");
    /** Characters of an executable's name that {@code /proc/PID/comm} keeps. */
    private static final int COMM_CHARS = 15;

    private final long periodNanos;
    private final Runnable onScan;
    private final Map<String, Integer> watched = new ConcurrentHashMap<>();
    private final ScheduledThreadPoolExecutor scanner;
    private volatile Snapshot latest = new Snapshot(0, Set.of(), Map.of());
    /** A scan is scheduled; guarded by this. */
    private boolean queued;
    /** When the latest scan ended (System.nanoTime); guarded by this. */
    private long lastScanNanos = System.nanoTime() - TimeUnit.DAYS.toNanos(1);

    /**
     * @param periodMs how often to scan while names are watched: the beat interval
     * @param onScan told after each scan (on the scanner's thread), so that first beats waiting for
     *     it can leave
     */
    public ProcessTable(long periodMs, Runnable onScan) {
        this.periodNanos = TimeUnit.MILLISECONDS.toNanos(periodMs);
        this.onScan = onScan;
        this.scanner = new ScheduledThreadPoolExecutor(1, HbThreads.factory("procs"));
        scanner.setKeepAliveTime(60, TimeUnit.SECONDS);
        scanner.allowCoreThreadTimeOut(true);
        scanner.setRemoveOnCancelPolicy(true);
    }

    /** How many processes of a name run, and how many of them are stopped. */
    static final class Match {
        static final Match NONE = new Match();

        int count;
        int stopped;
        long firstPid = -1;
    }

    /** One scan: which names it looked for, what it found, when. Immutable once published. */
    private static final class Snapshot {
        final long takenNanos;
        final Set<String> names;
        final Map<String, Match> found;

        Snapshot(long takenNanos, Set<String> names, Map<String, Match> found) {
            this.takenNanos = takenNanos;
            this.names = names;
            this.found = found;
        }
    }

    /** From now on {@code name} is looked for in every scan; a scan is asked for. */
    void watch(String name) {
        watched.merge(name, 1, Integer::sum);
        request();
    }

    /** One watcher of {@code name} fewer. */
    void unwatch(String name) {
        watched.computeIfPresent(name, (k, n) -> n <= 1 ? null : n - 1);
    }

    /**
     * Whether a scan that began at {@code sinceNanos} or later looked for {@code name}: a new
     * subscription's first beat tells the process table as it is, not as it was a beat ago.
     */
    boolean covers(String name, long sinceNanos) {
        Snapshot s = latest;
        return s.names.contains(name) && s.takenNanos - sinceNanos >= 0;
    }

    /** What the latest scan found under {@code name}. */
    Match match(String name) {
        Match m = latest.found.get(name);
        return m == null ? Match.NONE : m;
    }

    private synchronized void request() {
        if (queued) {
            return;
        }
        queued = true;
        long wait = lastScanNanos + TimeUnit.MILLISECONDS.toNanos(MIN_GAP_MS) - System.nanoTime();
        try {
            scanner.schedule(this::scanAndPublish, Math.max(0, wait), TimeUnit.NANOSECONDS);
        } catch (RuntimeException e) {
            queued = false; // closed
        }
    }

    private void scanAndPublish() {
        synchronized (this) {
            queued = false;
        }
        if (watched.isEmpty()) {
            return; // nobody watches: no scan, and no next one
        }
        Set<String> names = Set.copyOf(watched.keySet());
        long start = System.nanoTime();
        try {
            latest = new Snapshot(start, names, scan(names));
        } catch (RuntimeException | LinkageError e) {
            Log.debug("process scan failed: " + Log.describe(e));
        }
        synchronized (this) {
            lastScanNanos = System.nanoTime();
            if (!queued) {
                // The next periodic scan, a period after this one began.
                queued = true;
                try {
                    scanner.schedule(
                            this::scanAndPublish,
                            Math.max(0, start + periodNanos - System.nanoTime()),
                            TimeUnit.NANOSECONDS);
                } catch (RuntimeException e) {
                    queued = false; // closed
                }
            }
        }
        onScan.run();
    }

    /**
     * Scans the process table once for {@code names}: for each, the live processes (not zombies,
     * not this JVM) whose executable's file name, first command-line word (or its file name), or
     * script run by an interpreter has that name.
     */
    static Map<String, Match> scan(Set<String> names) {
        if (Files.isDirectory(PROC)) {
            try {
                return scanProc(names);
            } catch (IOException | RuntimeException e) {
                Log.debug("reading /proc failed, scanning through ProcessHandle: " + Log.describe(e));
            }
        }
        return scanHandles(names);
    }

    /**
     * The scan on Linux, from {@code /proc} directly: a process's command line and, where needed,
     * its {@code comm} and executable, at a fraction of the cost of {@link ProcessHandle.Info},
     * which also reads its status, times and user for every process. The same names match.
     */
    private static Map<String, Match> scanProc(Set<String> names) throws IOException {
        Map<String, Match> found = new HashMap<>();
        long self = ProcessHandle.current().pid();
        boolean longNames = false;
        for (String n : names) {
            longNames |= n.length() > COMM_CHARS;
        }
        byte[] buf = new byte[4096];
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(PROC)) {
            for (Path dir : dirs) {
                String entry = dir.getFileName().toString();
                if (entry.isEmpty() || entry.charAt(0) < '1' || entry.charAt(0) > '9') {
                    continue;
                }
                long pid;
                try {
                    pid = Long.parseLong(entry);
                } catch (NumberFormatException e) {
                    continue;
                }
                if (pid == self) {
                    continue;
                }
                String name = matchingProc(dir, names, longNames, buf);
                if (name == null) {
                    continue;
                }
                char state = ProcState.of(pid);
                if (state == ProcState.UNKNOWN || ProcState.isZombie(state)) {
                    continue; // gone meanwhile, or a zombie
                }
                count(found, name, pid, state);
            }
        }
        return found;
    }

    /** The watched name the process in {@code dir} goes by, or null. */
    private static String matchingProc(Path dir, Set<String> names, boolean longNames, byte[] buf) {
        int n = read(dir.resolve("cmdline"), buf);
        if (n > 0) {
            int end = 0;
            while (end < n && buf[end] != 0) {
                end++;
            }
            String argv0 = new String(buf, 0, end, StandardCharsets.UTF_8);
            // A process that rewrote its command line into one string ("postgres: writer"): its
            // first word, as ProcessHandle's command line gives it.
            String first = argv0.trim().split("\\s+", 2)[0];
            if (names.contains(first)) {
                return first;
            }
            String file = fileName(first);
            if (names.contains(file)) {
                return file;
            }
            if (ScriptName.isInterpreter(file)) {
                List<String> args = new ArrayList<>();
                for (int from = end + 1, i = from; i <= n; i++) {
                    if (i == n || buf[i] == 0) {
                        if (i > from) {
                            args.add(new String(buf, from, i - from, StandardCharsets.UTF_8));
                        }
                        from = i + 1;
                    }
                }
                String script = ScriptName.of(args);
                if (script != null && names.contains(fileName(script))) {
                    return fileName(script);
                }
            }
        }
        // The executable's file name: comm holds its first 15 characters.
        int c = read(dir.resolve("comm"), buf);
        if (c > 0) {
            String comm = new String(buf, 0, buf[c - 1] == '\n' ? c - 1 : c, StandardCharsets.UTF_8);
            if (names.contains(comm)) {
                return comm;
            }
            if (longNames && comm.length() == COMM_CHARS) {
                try {
                    String exe =
                            fileName(Files.readSymbolicLink(dir.resolve("exe")).toString());
                    if (names.contains(exe)) {
                        return exe;
                    }
                } catch (IOException | RuntimeException e) {
                    // another user's process, or gone
                }
            }
        }
        return null;
    }

    /** Reads up to {@code buf.length} bytes of a small /proc file; 0 when it cannot be read. */
    private static int read(Path file, byte[] buf) {
        try (InputStream in = Files.newInputStream(file)) {
            int n = 0;
            for (int r; n < buf.length && (r = in.read(buf, n, buf.length - n)) > 0; ) {
                n += r;
            }
            return n;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static void count(Map<String, Match> found, String name, long pid, char state) {
        Match m = found.computeIfAbsent(name, k -> new Match());
        if (m.firstPid < 0) {
            m.firstPid = pid;
        }
        m.count++;
        if (ProcState.isStopped(state)) {
            m.stopped++;
        }
    }

    /** The scan elsewhere: through {@link ProcessHandle}. */
    private static Map<String, Match> scanHandles(Set<String> names) {
        Map<String, Match> found = new HashMap<>();
        long self = ProcessHandle.current().pid();
        try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
            for (Iterator<ProcessHandle> it = all.iterator(); it.hasNext(); ) {
                ProcessHandle p = it.next();
                if (p.pid() == self) {
                    continue;
                }
                String name = matching(p.info(), names);
                if (name == null) {
                    continue;
                }
                char state = ProcState.of(p.pid());
                if (ProcState.isZombie(state) || !p.isAlive()) {
                    continue;
                }
                count(found, name, p.pid(), state);
            }
        }
        return found;
    }

    /** The watched name a process goes by, or null. */
    private static String matching(ProcessHandle.Info info, Set<String> names) {
        Optional<String> command = info.command();
        if (command.isPresent()) {
            String exe = fileName(command.get());
            if (names.contains(exe)) {
                return exe;
            }
        }
        Optional<String> line = info.commandLine();
        if (line.isPresent()) {
            String first = line.get().trim().split("\\s+", 2)[0];
            if (names.contains(first)) {
                return first;
            }
            String file = fileName(first);
            if (names.contains(file)) {
                return file;
            }
        }
        if (command.isPresent() && ScriptName.isInterpreter(fileName(command.get()))) {
            String script = ScriptName.of(List.of(info.arguments().orElse(NO_ARGUMENTS)));
            if (script != null && names.contains(fileName(script))) {
                return fileName(script);
            }
        }
        return null;
    }

    private static String fileName(String path) {
        try {
            Path name = Paths.get(path).getFileName();
            return name == null ? path : name.toString();
        } catch (RuntimeException e) {
            return path;
        }
    }

    /** Stops scanning; the thread ends. */
    @Override
    public void close() {
        scanner.shutdownNow();
    }
}
