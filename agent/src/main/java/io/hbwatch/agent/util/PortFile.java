package io.hbwatch.agent.util;

import io.hbwatch.protocol.JsonLine;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The {@code portFile} option: {@code {"heartbeat":N,"jolokia":M}} written atomically (a temporary
 * file beside it, then a move), so that a reader never sees half a file.
 */
public final class PortFile {
    private PortFile() {}

    /**
     * Writes the file.
     *
     * @param heartbeat the heartbeat port, or {@code null} when it does not listen
     * @param jolokia the Jolokia port, or {@code null} when it is off
     */
    public static void write(Path file, Integer heartbeat, Integer jolokia) throws IOException {
        JsonLine json = new JsonLine(64);
        port(json, "heartbeat", heartbeat);
        port(json, "jolokia", jolokia);
        Path abs = file.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            // Not created: a typo in the path would otherwise leave the file where nobody looks.
            throw new NoSuchFileException(dir.toString(), null, "no such directory (the agent does not create it)");
        }
        writeAtomically(abs, json.toJson() + "\n");
    }

    /**
     * Writes {@code text} to {@code file} atomically: a temporary file beside it, then a move, so
     * that a reader never sees half a file.
     */
    public static void writeAtomically(Path file, String text) throws IOException {
        Path tmp = createTemporary(file);
        try {
            try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.WRITE)) {
                out.write(text.getBytes(StandardCharsets.UTF_8));
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * A new, empty temporary file beside {@code file}, named after it and this process: {@code
     * .NAME.PID.N.tmp}. Created exclusively ({@code O_CREAT|O_EXCL}, which follows no symbolic link),
     * so a name someone else made first is skipped, never written through. Not {@code
     * Files.createTempFile}: its random names come from {@code SecureRandom}, which loads and seeds
     * the JDK's security providers in the host, some 50 classes, for one file name.
     */
    private static Path createTemporary(Path file) throws IOException {
        String prefix = "." + file.getFileName() + "." + ProcessHandle.current().pid() + ".";
        for (int n = 0; ; n++) {
            Path tmp = file.resolveSibling(prefix + n + ".tmp");
            try {
                return Files.createFile(tmp);
            } catch (FileAlreadyExistsException e) {
                if (n == 99) {
                    throw e;
                }
            }
        }
    }

    /** Deletes the file; never throws. */
    public static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException | RuntimeException e) {
            // going away anyway
        }
    }

    private static void port(JsonLine json, String name, Integer port) {
        if (port == null) {
            json.rawField(name, "null");
        } else {
            json.field(name, port.longValue());
        }
    }
}
