package io.hbwatch.agent.registry;

import io.hbwatch.agent.util.Log;
import io.hbwatch.agent.util.PortFile;
import io.hbwatch.protocol.JsonParser;
import io.hbwatch.protocol.Registry;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * This JVM's entry in the {@link Registry}: written once the agent listens, deleted when the JVM
 * exits. On the way in it deletes the entries of processes that are gone (a JVM killed with {@code
 * kill -9} leaves its file, as it leaves its {@code hsperfdata} file).
 *
 * <p>The directory is created {@code 0700}; one that is a symbolic link or belongs to another user
 * is refused with one line, so that nobody else can read or plant entries.
 */
public final class Registration implements AutoCloseable {
    private final Path file;

    private Registration(Path file) {
        this.file = file;
    }

    /**
     * Registers {@code entry} in {@code dir}.
     *
     * @throws IOException with a one-line message when the directory is unusable or the file cannot be written
     */
    public static Registration register(Path dir, Registry.Entry entry) throws IOException {
        ensureDirectory(dir);
        removeStale(dir, entry.pid());
        Path file = dir.resolve(entry.pid() + Registry.SUFFIX);
        PortFile.writeAtomically(file, entry.toJson() + "\n");
        return new Registration(file);
    }

    /** What {@code jps -l} shows for this JVM: the main class or the jar, as the launcher was given it. */
    public static String mainOfThisJvm() {
        String command = System.getProperty("sun.java.command", "").trim();
        int space = command.indexOf(' ');
        return space < 0 ? command : command.substring(0, space);
    }

    /** The start time of this process, epoch ms; 0 when the OS does not tell. */
    public static long startOfThisJvm() {
        Optional<java.time.Instant> start = ProcessHandle.current().info().startInstant();
        return start.isPresent() ? start.get().toEpochMilli() : 0;
    }

    private static void ensureDirectory(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            try {
                if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                    Files.createDirectories(
                            dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                } else {
                    Files.createDirectories(dir);
                }
            } catch (FileAlreadyExistsException e) {
                // another JVM made it a moment ago: checked below like any other
            }
        }
        Registry.checkTrusted(dir);
    }

    /** Deletes the entries whose process is gone; what cannot be read or deleted is left alone. */
    private static void removeStale(Path dir, long ownPid) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + Registry.SUFFIX)) {
            for (Path f : files) {
                if (f.getFileName().toString().equals(ownPid + Registry.SUFFIX)) {
                    continue;
                }
                try {
                    Registry.Entry e = Registry.Entry.read(f);
                    if (!e.live()) {
                        Files.deleteIfExists(f);
                    }
                } catch (IOException | JsonParser.JsonException | RuntimeException e) {
                    // not ours to judge: a file being written, or something else's
                }
            }
        } catch (IOException | RuntimeException e) {
            Log.debug("registry: cannot list " + dir + ": " + Log.describe(e));
        }
    }

    /** The entry's file. */
    public Path file() {
        return file;
    }

    /** Deletes the entry; never throws. */
    @Override
    public void close() {
        PortFile.delete(file);
    }
}
