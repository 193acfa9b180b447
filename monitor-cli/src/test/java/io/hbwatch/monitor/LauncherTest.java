package io.hbwatch.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LauncherTest {
    @Test
    void readsEveryJavaVersionScheme() {
        assertEquals(8, Launcher.feature("1.8"));
        assertEquals(11, Launcher.feature("11"));
        assertEquals(17, Launcher.feature("17"));
        assertEquals(25, Launcher.feature("25.0.1"));
        assertEquals(0, Launcher.feature("nonsense"));
    }

    @Test
    void belowSeventeenIsOneLineThatSaysWhatToDo() {
        String line = Launcher.problem("11", "11.0.22", "/usr/lib/jvm/java-11");
        assertTrue(line.startsWith("monitor-cli: needs Java 17 or later, but runs on Java 11.0.22"), line);
        assertTrue(line.contains("JAVA_HOME"), line);
        assertEquals(1, line.lines().count());
        assertNull(Launcher.problem("17", "17.0.15", "/x"));
        assertNull(Launcher.problem("25", "25", "/x"));
    }

    /** The launcher itself is loadable by any Java from 8 on: its class file is version 52. */
    @Test
    void theLauncherIsBuiltForJavaEight() throws Exception {
        try (java.io.DataInputStream in =
                new java.io.DataInputStream(Launcher.class.getResourceAsStream("Launcher.class"))) {
            in.readInt(); // magic
            in.readUnsignedShort(); // minor
            assertEquals(52, in.readUnsignedShort());
        }
    }
}
