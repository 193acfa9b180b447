package io.hbwatch.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hbwatch.monitor.support.Executable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one executable file as it ships: runs from anywhere with only java on PATH, holds only what it needs. */
class ExecutableIT {

    @Test
    void runsFromAnyDirectoryWithOnlyJavaOnPath(@TempDir Path dir) throws Exception {
        assertTrue(Files.isExecutable(Executable.path()), Executable.path() + " is not executable");
        ProcessBuilder pb = new ProcessBuilder(Executable.path().toString(), "--version").directory(dir.toFile());
        pb.environment().put("PATH", Executable.javaOnlyPath());
        pb.environment().remove("JAVA_HOME");
        Process p = pb.redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.startsWith("monitor-cli 0."), out);
    }

    @Test
    void aUsageErrorExitsThreeWithoutAStackTrace() throws Exception {
        try (Executable run = Executable.start(List.of(), "localhost:http")) {
            assertEquals(3, run.awaitExit(), run::toString);
            assertTrue(run.err().startsWith("monitor-cli: Invalid value for positional parameter"), run::toString);
            assertEquals(1, run.err().lines().count(), run::toString);
            assertTrue(!run.err().contains("Exception"), run::toString);
        }
    }

    @Test
    void holdsItsLibrariesAndTheProtocolAndNothingElseOfTheAgent() throws Exception {
        try (JarFile jar = new JarFile(Executable.path().toFile())) {
            List<String> classes = Collections.list(jar.entries()).stream()
                    .map(e -> e.getName())
                    .filter(n -> n.endsWith(".class"))
                    .toList();
            assertTrue(classes.contains("io/hbwatch/protocol/JsonParser.class"));
            assertTrue(classes.contains("picocli/CommandLine.class"));
            List<String> strays = classes.stream()
                    .filter(n -> !n.startsWith("io/hbwatch/monitor/")
                            && !n.startsWith("io/hbwatch/protocol/")
                            && !n.startsWith("picocli/")
                            // --job jmx: Jolokia's Java client, its JSON, and Apache HttpClient 4 under it
                            && !n.startsWith("org/jolokia/client/")
                            && !n.startsWith("org/jolokia/json/")
                            && !n.startsWith("org/apache/http/")
                            && !n.startsWith("org/apache/commons/logging/")
                            && !n.startsWith("org/apache/commons/codec/")
                            // --metrics: the Prometheus Java client
                            && !n.startsWith("io/prometheus/metrics/"))
                    .toList();
            assertEquals(List.of(), strays);
            // The protobuf exposition format would add 2 MB of shaded protobuf: the text format is enough.
            // 2.5 MB as built: 2.1 MB of it picocli, Jolokia client and HttpClient, 0.4 MB the Prometheus client.
            assertTrue(classes.stream().noneMatch(n -> n.contains("/shaded/") || n.startsWith("com/google/")));
            assertTrue(
                    java.nio.file.Files.size(Executable.path()) < 3_000_000,
                    "the executable grew to " + java.nio.file.Files.size(Executable.path()) + " bytes");
            // The Java 8 entry point that checks the Java version, then runs MonitorCli.
            assertEquals(
                    "io.hbwatch.monitor.Launcher",
                    jar.getManifest().getMainAttributes().getValue("Main-Class"));
        }
    }
}
