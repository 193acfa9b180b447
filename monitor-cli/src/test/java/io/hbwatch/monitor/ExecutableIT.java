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
    void aTargetsFileOfMoreThan5000TargetsGetsTheFullCompilerAndEverythingElseTheQuickOne(@TempDir Path dir)
            throws Exception {
        Path small = Files.writeString(dir.resolve("small.txt"), "127.0.0.1:7777\n");
        Path big = Files.write(dir.resolve("big.txt"), Collections.nCopies(5001, "127.0.0.1:7777"));
        List<String> chatty = new java.util.ArrayList<>(Collections.nCopies(5000, "  127.0.0.1:7777 # a target"));
        chatty.addAll(Collections.nCopies(3000, "# a comment, not a target"));
        chatty.addAll(Collections.nCopies(3000, " \t"));
        Path commented = Files.write(dir.resolve("commented.txt"), chatty);
        String quick = "-XX:TieredStopAtLevel=1";
        assertTrue(flags("--version").contains(quick));
        assertTrue(flags("--targets", small.toString(), "--version").contains(quick));
        assertTrue(flags("--targets", dir.resolve("missing.txt").toString(), "--version")
                .contains(quick));
        assertTrue(!flags("--targets", big.toString(), "--version").contains(quick));
        assertTrue(!flags("--targets=" + big, "--version").contains(quick));
        assertTrue(
                flags("--targets", commented.toString(), "--version").contains(quick),
                "5,000 targets among 11,000 lines: comments and blank lines are not targets");
        assertTrue(
                flags(
                                List.of("JAVA_OPTS=-XX:+PrintCommandLineFlags " + quick),
                                "--targets",
                                big.toString(),
                                "--version")
                        .contains(quick),
                "JAVA_OPTS has the last word");
    }

    private static String flags(String... args) throws Exception {
        return flags(List.of("JAVA_OPTS=-XX:+PrintCommandLineFlags"), args);
    }

    /** The JVM flags the executable started with, as the JVM prints them, under {@code env}. */
    private static String flags(List<String> env, String... args) throws Exception {
        List<String> prefix = new java.util.ArrayList<>(List.of("env"));
        prefix.addAll(env);
        try (Executable run = Executable.start(prefix, args)) {
            assertEquals(0, run.awaitExit(), run::toString);
            return run.out().lines().filter(l -> l.contains("-XX:")).findFirst().orElseThrow();
        }
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
