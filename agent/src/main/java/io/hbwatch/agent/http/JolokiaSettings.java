package io.hbwatch.agent.http;

import io.hbwatch.agent.config.AgentConfig;
import io.hbwatch.agent.config.HostPort;
import io.hbwatch.agent.config.Keys;
import io.hbwatch.agent.util.Log;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the agent's {@code jolokia*} options into Jolokia's own configuration map, closed by
 * default. Pure; no side effects beyond reading the password and policy files.
 */
final class JolokiaSettings {
    /**
     * Context path of the endpoint, without a trailing slash: it answers both {@code /jolokia}
     * (where clients POST) and {@code /jolokia/...} ({@link JolokiaHandler}).
     */
    static final String CONTEXT = "/jolokia";

    private JolokiaSettings() {}

    /**
     * @param endpoint where to listen (from the {@code jolokia} option, never off here)
     * @return Jolokia's configuration; never null
     * @throws IllegalArgumentException naming the option, when a file cannot be read or only half
     *     of user and password is given: Jolokia then stays off rather than open
     */
    static Map<String, String> of(AgentConfig config, HostPort endpoint) {
        Map<String, String> m = new LinkedHashMap<>();
        // The endpoint as Jolokia's own configuration shows it; HttpListener is what listens, and
        // JolokiaEndpoint tells Jolokia the URL it reports.
        m.put("host", endpoint.host());
        m.put("port", Integer.toString(endpoint.port()));
        m.put("agentContext", CONTEXT);
        Path policy = config.get(Keys.JOLOKIA_POLICY);
        if (policy == null) {
            // The built-in policy in code: no XML parser loaded into the host for the default.
            m.put("restrictorClass", BuiltInPolicy.class.getName());
        } else {
            m.put("policyLocation", policyLocation(policy));
        }
        // Closed doors: no multicast discovery, no app-server detection, no stack traces or
        // serialized exceptions in answers, no reverse DNS for the policy's host checks.
        m.put("discoveryEnabled", "false");
        m.put("disableDetectors", "true");
        m.put("includeStackTrace", "false");
        m.put("serializeException", "false");
        m.put("allowDnsReverseLookup", "false");
        // Jolokia registers its own MBeans (jolokia:type=Config, ...); the qualifier keeps them
        // apart from those of a Jolokia the application runs itself.
        m.put("mbeanQualifier", "qualifier=hbwatch");
        // The serializer's own limits, which Jolokia leaves open by default: one answer stays
        // small whatever an MBean holds (BoundedRequestHandler bounds the sum of answers).
        m.put("maxDepth", "10");
        m.put("maxCollectionSize", "1000");
        m.put("maxObjects", "10000");
        m.put("debug", "false"); // see JolokiaLog.isDebug
        m.put("lazy", "false");

        String user = config.get(Keys.JOLOKIA_USER);
        String password = password(config);
        if (user != null && password == null) {
            throw new IllegalArgumentException(
                    "jolokiaUser is set but neither jolokiaPassword nor jolokiaPasswordFile; Jolokia stays off");
        }
        if (user == null && password != null) {
            throw new IllegalArgumentException("a Jolokia password is set but no jolokiaUser; Jolokia stays off");
        }
        return m;
    }

    private static String policyLocation(Path policy) {
        // Checked here because Jolokia treats a missing policy as "allow everything".
        if (!Files.isRegularFile(policy) || !Files.isReadable(policy)) {
            throw new IllegalArgumentException(
                    "jolokiaPolicy: '" + policy + "' is not a readable file; Jolokia stays off rather than open");
        }
        return policy.toAbsolutePath().toUri().toString();
    }

    /** The Jolokia password, inline or from its file; null when none is set. */
    static String password(AgentConfig config) {
        String inline = config.get(Keys.JOLOKIA_PASSWORD);
        Path file = config.get(Keys.JOLOKIA_PASSWORD_FILE);
        if (file == null) {
            return inline;
        }
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (lines.isEmpty() || lines.get(0).isEmpty()) {
                throw new IllegalArgumentException("jolokiaPasswordFile: '" + file + "' is empty; Jolokia stays off");
            }
            return lines.get(0);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "jolokiaPasswordFile: '" + file + "' cannot be read (" + Log.describe(e) + "); Jolokia stays off");
        }
    }
}
