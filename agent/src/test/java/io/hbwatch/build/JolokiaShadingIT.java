package io.hbwatch.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.hbwatch.testing.AgentJvm;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * Jolokia inside the shaded jar: its class-name lists moved and rewritten with the relocated
 * names, nothing left where an application's own Jolokia would look.
 */
class JolokiaShadingIT {

    @Test
    void noResourceWhereAnApplicationsJolokiaLooks() throws IOException {
        List<String> stray = new ArrayList<>();
        try (JarFile jar = new JarFile(AgentJvm.agentJar().toFile())) {
            for (JarEntry e : Collections.list(jar.entries())) {
                String name = e.getName();
                boolean ours = name.startsWith("io/") || name.startsWith("META-INF/");
                if (name.startsWith("META-INF/jolokia") || !ours) {
                    stray.add(name);
                }
            }
        }
        assertEquals(List.of(), stray);
    }

    @Test
    void everyClassJolokiaIsToLoadIsInTheJar() throws IOException {
        try (JarFile jar = new JarFile(AgentJvm.agentJar().toFile())) {
            for (String list : List.of("services-default", "command-handlers", "simplifiers-default")) {
                JarEntry entry = jar.getJarEntry("META-INF/hbwatch-jolokia/" + list);
                assertNotNull(entry, list);
                try (InputStream in = jar.getInputStream(entry)) {
                    for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                        String name = line.trim();
                        if (name.isEmpty() || name.startsWith("#")) {
                            continue;
                        }
                        name = name.split(",")[0];
                        assertFalse(name.startsWith("org.jolokia"), name);
                        assertNotNull(jar.getJarEntry(name.replace('.', '/') + ".class"), list + " names " + name);
                    }
                }
            }
        }
    }
}
