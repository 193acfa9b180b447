package io.hbwatch.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * The JDKs an integration test can run a watched JVM on: the one running the build, and others
 * found under {@code /usr/lib/jvm} (or named by {@code -Dhbwatch.test.jdks=/path1,/path2}).
 */
public final class Jdks {
    private Jdks() {}

    /** The {@code java} executable of the JVM running the tests. */
    public static Path current() {
        return Paths.get(System.getProperty("java.home"), "bin", "java");
    }

    /** The {@code java} executable of an installed JDK of that feature version, if any. */
    public static Optional<Path> find(int feature) {
        for (Path home : candidates()) {
            Path release = home.resolve("release");
            Path java = home.resolve("bin").resolve("java");
            if (!Files.isExecutable(java) || !Files.isRegularFile(release)) {
                continue;
            }
            try {
                for (String line : Files.readAllLines(release)) {
                    if (line.startsWith("JAVA_VERSION=")) {
                        String v = line.substring("JAVA_VERSION=".length()).replace("\"", "");
                        String major = v.split("[.+-]")[0];
                        if (major.equals(Integer.toString(feature))) {
                            return Optional.of(java);
                        }
                    }
                }
            } catch (java.io.IOException e) {
                // unreadable: not a candidate
            }
        }
        return Optional.empty();
    }

    /** The {@code java} executable of that feature version, or the test is skipped saying why. */
    public static Path require(int feature) {
        Optional<Path> java = find(feature);
        Assumptions.assumeTrue(java.isPresent(), "no JDK " + feature + " under /usr/lib/jvm: skipped");
        return java.get();
    }

    /** Feature versions the agent's integration tests run the watched JVM on. */
    public static Stream<Integer> tested() {
        return Stream.of(17, 25);
    }

    private static List<Path> candidates() {
        List<Path> homes = new ArrayList<>();
        String named = System.getProperty("hbwatch.test.jdks");
        if (named != null && !named.isBlank()) {
            for (String p : named.split(",")) {
                homes.add(Paths.get(p.trim()));
            }
        }
        Path dir = Paths.get("/usr/lib/jvm");
        if (Files.isDirectory(dir)) {
            try (Stream<Path> list = Files.list(dir)) {
                list.sorted().forEach(homes::add);
            } catch (java.io.IOException e) {
                // none found
            }
        }
        homes.add(Paths.get(System.getProperty("java.home")));
        return homes;
    }
}
