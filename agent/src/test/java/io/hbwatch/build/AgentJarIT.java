package io.hbwatch.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hbwatch.testing.AgentJvm;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/** The shaded jar as it ships: nothing of ours or of our libraries leaks outside our packages. */
class AgentJarIT {

    @Test
    void everyClassLiesInTheProjectsPackages() throws IOException {
        List<String> outside = new ArrayList<>();
        try (JarFile jar = new JarFile(AgentJvm.agentJar().toFile())) {
            for (JarEntry e : Collections.list(jar.entries())) {
                String name = e.getName();
                // ours (the agent, the protocol it shares with the monitor) and the libraries, relocated
                if (name.endsWith(".class")
                        && !name.startsWith("io/hbwatch/agent/")
                        && !name.startsWith("io/hbwatch/protocol/")
                        && !name.startsWith("io/hbwatch/shaded/")) {
                    outside.add(name);
                }
            }
        }
        assertEquals(
                List.of(), outside, "classes outside io.hbwatch.agent, .protocol and .shaded: the host could see them");
    }

    @Test
    void noModuleInfoNorVersionedClasses() throws IOException {
        try (JarFile jar = new JarFile(AgentJvm.agentJar().toFile())) {
            for (JarEntry e : Collections.list(jar.entries())) {
                assertTrue(!e.getName().endsWith("module-info.class"), e.getName());
                assertTrue(!e.getName().startsWith("META-INF/versions/"), e.getName());
            }
        }
    }

    @Test
    void manifestNamesEveryEntryPoint() throws IOException {
        try (JarFile jar = new JarFile(AgentJvm.agentJar().toFile())) {
            Attributes main = jar.getManifest().getMainAttributes();
            assertEquals("io.hbwatch.agent.HbAgent", main.getValue("Premain-Class"));
            assertEquals("io.hbwatch.agent.HbAgent", main.getValue("Agent-Class"));
            assertEquals("io.hbwatch.agent.HbAgent", main.getValue("Main-Class"));
            assertEquals("true", main.getValue("Can-Retransform-Classes"));
        }
    }

    @Test
    void agentClassesTargetJava11() throws IOException {
        try (JarFile jar = new JarFile(AgentJvm.agentJar().toFile())) {
            for (JarEntry e : Collections.list(jar.entries())) {
                if (!e.getName().endsWith(".class")) {
                    continue;
                }
                byte[] head = jar.getInputStream(e).readNBytes(8);
                int major = ((head[6] & 0xff) << 8) | (head[7] & 0xff);
                assertTrue(major <= 55, e.getName() + " has class file version " + major + " (> Java 11)");
            }
        }
    }
}
