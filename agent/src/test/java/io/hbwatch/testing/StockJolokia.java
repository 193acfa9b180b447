package io.hbwatch.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Jolokia's own JVM agent as released ({@code jolokia-agent-jvm-2.3.0-javaagent.jar}), for tests
 * against "any Jolokia, not only ours". The build copies it to {@code target/it-lib}.
 */
public final class StockJolokia {
    private static final Pattern STARTED = Pattern.compile("Jolokia: Agent started with URL (http://\\S+)");

    private StockJolokia() {}

    /** The jar: {@code -Dhbwatch.jolokia.javaagent}, else the local Maven repository; skips if absent. */
    public static Path javaagentJar() {
        String p = System.getProperty("hbwatch.jolokia.javaagent");
        Path jar = p != null
                ? Paths.get(p)
                : Paths.get(
                        System.getProperty("user.home"),
                        ".m2/repository/org/jolokia/jolokia-agent-jvm/2.3.0/jolokia-agent-jvm-2.3.0-javaagent.jar");
        assumeTrue(Files.isRegularFile(jar), "no stock Jolokia agent at " + jar);
        return jar;
    }

    /** The JVM option that loads it on a free loopback port with the given extra options. */
    public static String jvmArg(String options) {
        return "-javaagent:" + javaagentJar().toAbsolutePath() + "=host=127.0.0.1,port=0"
                + (options.isEmpty() ? "" : "," + options);
    }

    /** Waits for the stock agent's start line and returns its URL (ends with {@code /}). */
    public static String awaitUrl(AgentJvm app) {
        app.awaitOutput("Jolokia: Agent started with URL");
        Matcher m = STARTED.matcher(app.stdout() + "\n" + app.stderr());
        if (!m.find()) {
            throw new AssertionError("no Jolokia URL in the output");
        }
        String url = m.group(1);
        return url.endsWith("/") ? url : url + "/";
    }
}
