package io.hbwatch.agent.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PortFileTest {

    @Test
    void writesBothPortsAndLeavesNoTemporaryFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("sub/ports.json");
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
}
