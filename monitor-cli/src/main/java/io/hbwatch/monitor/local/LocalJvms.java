package io.hbwatch.monitor.local;

import io.hbwatch.monitor.cli.Target;
import io.hbwatch.protocol.JsonParser;
import io.hbwatch.protocol.Registry;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The JVMs of this host that registered their agent ({@link Registry}), as {@code jps} lists the
 * JVMs of its {@code hsperfdata} directory: only live entries of this user's directory. A
 * directory that belongs to another user is not read, so that nobody can point the monitor at
 * ports of their choosing.
 */
public final class LocalJvms {
    private final Path dir;

    public LocalJvms(Path dir) {
        this.dir = dir;
    }

    public Path directory() {
        return dir;
    }

    /** Thrown when the directory cannot be trusted or read; the message is one line. */
    public static final class Unreadable extends Exception {
        private static final long serialVersionUID = 1L;

        Unreadable(String message) {
            super(message);
        }
    }

    /** The live entries, by pid; none when the directory does not exist (no agent ran yet). */
    public List<Registry.Entry> list() throws Unreadable {
        List<Registry.Entry> entries = new ArrayList<>();
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return entries;
        }
        try {
            Registry.checkTrusted(dir);
        } catch (IOException e) {
            throw new Unreadable(e.getMessage() + ": not read");
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "[0-9]*" + Registry.SUFFIX)) {
            for (Path f : files) {
                try {
                    Registry.Entry e = Registry.Entry.read(f);
                    if (f.getFileName().toString().equals(e.pid() + Registry.SUFFIX) && e.live()) {
                        entries.add(e);
                    }
                } catch (NoSuchFileException gone) {
                    // its JVM exited while we listed
                } catch (IOException | JsonParser.JsonException | RuntimeException e) {
                    // half a file or a stranger's: not an entry
                }
            }
        } catch (IOException e) {
            throw new Unreadable("cannot read " + dir + ": " + e.getMessage());
        }
        entries.sort(Comparator.comparingLong(Registry.Entry::pid));
        return entries;
    }

    /**
     * The one live JVM that {@code name} names (pid, main class or jar, as {@code jps} shows them).
     *
     * @throws Unreadable with a one-line message when none or several do
     */
    public Registry.Entry find(String name) throws Unreadable {
        List<Registry.Entry> found = new ArrayList<>();
        for (Registry.Entry e : list()) {
            if (e.matches(name)) {
                found.add(e);
            }
        }
        if (found.isEmpty()) {
            throw new Unreadable("no JVM registered as " + Target.PID_PREFIX + name + " in " + dir
                    + " (one with the hbwatch agent, run by this user, its option registry not off)");
        }
        if (found.size() > 1) {
            List<String> pids = new ArrayList<>();
            found.forEach(e -> pids.add(Target.PID_PREFIX + e.pid()));
            throw new Unreadable(Target.PID_PREFIX + name + " names " + found.size() + " JVMs: "
                    + String.join(", ", pids) + "; give one of them");
        }
        return found.get(0);
    }

    /** {@code pid 123 (com.acme.Main): heartbeat 127.0.0.1:7777, Jolokia http://...}: what a line says of a JVM found. */
    public static String describe(Registry.Entry e) {
        Target hb = heartbeat(e);
        return e + ": heartbeat " + (hb == null ? "not listening" : hb.toString())
                + (e.jolokia() == null ? "" : ", Jolokia " + e.jolokia());
    }

    /**
     * The heartbeat target of {@code e}, or null when its heartbeat does not listen; a wildcard
     * address (the agent listens on every interface) is reached on loopback.
     */
    public static Target heartbeat(Registry.Entry e) {
        if (e.heartbeat() == null) {
            return null;
        }
        Target t = Target.parse(e.heartbeat());
        if (t.host().equals("0.0.0.0")) {
            return new Target("127.0.0.1", t.port());
        }
        if (t.host().equals("::") || t.host().equals("0:0:0:0:0:0:0:0")) {
            return new Target("::1", t.port());
        }
        return t;
    }
}
