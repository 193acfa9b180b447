package io.hbwatch.agent.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PortFileTest {

    @Test
    void writesBothPortsAndLeavesNoTemporaryFile(@TempDir Path dir) throws IOException {
        Path file = Files.createDirectories(dir.resolve("sub")).resolve("ports.json");
        PortFile.write(file, 7777, null);
        assertEquals("{\"heartbeat\":7777,\"jolokia\":null}\n", Files.readString(file));
        PortFile.write(file, 40000, 8778);
        assertEquals("{\"heartbeat\":40000,\"jolokia\":8778}\n", Files.readString(file));
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertEquals(1, files.count());
        }
        PortFile.delete(file);
        assertFalse(Files.exists(file));
    }

    /** A temporary name someone else made first, here a link to a victim file, is never written through. */
    @Test
    void aMissingDirectoryIsAnErrorNotCreated(@TempDir Path dir) {
        Path file = dir.resolve("no-such-dir").resolve("hb.json");
        java.io.IOException e = assertThrows(java.io.IOException.class, () -> PortFile.write(file, 7777, null));
        assertTrue(e.getMessage().contains("no such directory"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("no-such-dir")));
    }

    @Test
    void aTemporaryNameTakenByALinkIsSkippedNotFollowed(@TempDir Path dir) throws IOException {
        Path victim = Files.writeString(dir.resolve("victim"), "keep me");
        Path file = dir.resolve("ports.json");
        Path taken = dir.resolve(".ports.json." + ProcessHandle.current().pid() + ".0.tmp");
        Files.createSymbolicLink(taken, victim);
        PortFile.write(file, 7777, 8778);
        assertEquals("{\"heartbeat\":7777,\"jolokia\":8778}\n", Files.readString(file));
        assertEquals("keep me", Files.readString(victim));
        assertTrue(Files.isSymbolicLink(taken));
    }
}
