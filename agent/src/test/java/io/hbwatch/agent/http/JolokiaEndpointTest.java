package io.hbwatch.agent.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hbwatch.agent.config.ConfigLoader;
import io.hbwatch.agent.util.HbThreads;
import io.hbwatch.protocol.JsonParser;
import io.hbwatch.testing.Http;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The embedded Jolokia in this JVM, over real HTTP on loopback: the policy and authentication. */
class JolokiaEndpointTest {
    private static JolokiaEndpoint endpoint;

    @BeforeAll
    static void start() throws Exception {
        TestHeartbeat.register();
        endpoint = JolokiaEndpoint.start(ConfigLoader.fromAgentArgs("jolokia=127.0.0.1:0"))
                .orElseThrow();
    }

    @AfterAll
    static void stop() {
        endpoint.close();
        endpoint.close(); // twice is fine
    }

    static Map<String, Object> json(HttpResponse<String> r) throws JsonParser.JsonException {
        assertEquals(200, r.statusCode(), r.body());
        return JsonParser.parseObject(r.body());
    }

    private static Map<String, Object> get(String path) throws Exception {
        return json(Http.get(endpoint.url() + path));
    }

    @Test
    void listensOnLoopbackAtTheContractsContext() {
        assertTrue(endpoint.port() > 0);
        assertEquals("http://127.0.0.1:" + endpoint.port() + "/jolokia/", endpoint.url());
    }

    @Test
    void readsJavaLangAndTheHeartbeat() throws Exception {
        Map<String, Object> uptime = get("read/java.lang:type=Runtime/Uptime");
        assertEquals(200L, ((Number) uptime.get("status")).longValue());
        assertTrue(((Number) uptime.get("value")).longValue() > 0);
        assertEquals(42L, ((Number) get("read/hbwatch:type=Heartbeat/Sequence").get("value")).longValue());
        assertEquals("UP", get("read/hbwatch:type=Heartbeat/Status").get("value"));
    }

    @Test
    void answersPostsWithOrWithoutTheTrailingSlash() throws Exception {
        String bulk =
                "[{\"type\":\"read\",\"mbean\":\"hbwatch:type=Heartbeat\",\"attribute\":[\"Status\",\"Sequence\"]},"
                        + "{\"type\":\"exec\",\"mbean\":\"hbwatch:type=Heartbeat\",\"operation\":\"ping\",\"arguments\":[\"n\"]}]";
        String noSlash = endpoint.url().substring(0, endpoint.url().length() - 1);
        for (String url : new String[] {endpoint.url(), noSlash}) {
            HttpResponse<String> r = Http.post(url, bulk);
            assertEquals(200, r.statusCode(), url + ": " + r.body());
            assertTrue(r.body().contains("\"value\":\"n\""), r.body());
        }
    }

    @Test
    void execsPing() throws Exception {
        Map<String, Object> r = get("exec/hbwatch:type=Heartbeat/ping/n-123");
        assertEquals("n-123", r.get("value"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "write/java.lang:type=Memory/Verbose/true",
                "write/hbwatch:type=Heartbeat/Status/DOWN",
                "exec/java.lang:type=Memory/gc",
                "exec/java.lang:type=Threading/resetPeakThreadCount",
                "exec/com.sun.management:type=DiagnosticCommand/vmSystemProperties",
                "exec/com.sun.management:type=HotSpotDiagnostic/dumpHeap/x.hprof/true",
                "read/com.sun.management:type=HotSpotDiagnostic/DiagnosticOptions",
                "read/java.util.logging:type=Logging/LoggerNames",
                "list",
                "search/*:*",
            })
    void deniesEverythingElseWith403(String path) throws Exception {
        Map<String, Object> r = get(path);
        assertEquals(403L, ((Number) r.get("status")).longValue(), r.toString());
    }

    @Test
    void deniesProxyRequests() throws Exception {
        Map<String, Object> r = json(Http.post(
                endpoint.url(),
                "{\"type\":\"read\",\"mbean\":\"java.lang:type=Runtime\",\"attribute\":\"Uptime\","
                        + "\"target\":{\"url\":\"service:jmx:rmi:///jndi/rmi://127.0.0.1:1/jmxrmi\"}}"));
        assertEquals(403L, ((Number) r.get("status")).longValue(), r.toString());
    }

    @Test
    void noWebPageMayReadTheAnswers() throws Exception {
        HttpResponse<String> r =
                Http.getFrom(endpoint.url() + "read/java.lang:type=Runtime/Uptime", "http://evil.example");
        assertEquals(200, r.statusCode());
        assertTrue(
                r.headers().firstValue("Access-Control-Allow-Origin").isEmpty(),
                r.headers().toString());
    }

    @Test
    void aRebindingHostNameIsRefused() throws Exception {
        // The JDK client sets Host from the URI; a raw request names another host, as a browser would.
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", endpoint.port())) {
            s.getOutputStream()
                    .write(("GET /jolokia/version HTTP/1.1\r\nHost: attacker.example:" + endpoint.port()
                                    + "\r\nConnection: close\r\n\r\n")
                            .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String answer = new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
            assertTrue(answer.startsWith("HTTP/1.1 403"), answer);
        }
    }

    @Test
    void servesOnTheAgentsOwnThreads() throws Exception {
        get("read/java.lang:type=Runtime/Uptime");
        assertTrue(Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().startsWith(HbThreads.PREFIX + "jolokia-") && t.isDaemon()));
        assertFalse(Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals("HTTP-Dispatcher")));
    }

    @Test
    void offStartsNothing() throws Exception {
        assertTrue(
                JolokiaEndpoint.start(ConfigLoader.fromAgentArgs("jolokia=off")).isEmpty());
    }

    @Test
    void aBusyPortIsOneLineNotAFailure() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            JolokiaEndpoint.StartException e = assertThrows(
                    JolokiaEndpoint.StartException.class,
                    () -> JolokiaEndpoint.start(
                            ConfigLoader.fromAgentArgs("jolokia=127.0.0.1:" + taken.getLocalPort())));
            assertTrue(e.getMessage().contains("is in use"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
        }
    }

    @Test
    void anUnreadablePolicyKeepsJolokiaOffRatherThanOpen(@TempDir Path dir) {
        JolokiaEndpoint.StartException e = assertThrows(
                JolokiaEndpoint.StartException.class,
                () -> JolokiaEndpoint.start(
                        ConfigLoader.fromAgentArgs("jolokia=127.0.0.1:0,jolokiaPolicy=" + dir.resolve("missing.xml"))));
        assertTrue(e.getMessage().startsWith("jolokiaPolicy:"), e.getMessage());
    }

    @Test
    void aUserWithoutPasswordKeepsJolokiaOff() {
        assertThrows(
                JolokiaEndpoint.StartException.class,
                () -> JolokiaEndpoint.start(ConfigLoader.fromAgentArgs("jolokia=127.0.0.1:0,jolokiaUser=mon")));
    }

    @Test
    void anotherPolicyFileReplacesTheBuiltInOne(@TempDir Path dir) throws Exception {
        Path policy = dir.resolve("policy.xml");
        Files.writeString(
                policy, "<restrict><commands><command>read</command><command>list</command></commands></restrict>");
        try (JolokiaEndpoint open = JolokiaEndpoint.start(
                        ConfigLoader.fromAgentArgs("jolokia=127.0.0.1:0,jolokiaPolicy=" + policy))
                .orElseThrow()) {
            Map<String, Object> r = json(Http.get(open.url() + "read/java.util.logging:type=Logging/LoggerNames"));
            assertEquals(200L, ((Number) r.get("status")).longValue());
            Map<String, Object> exec = json(Http.get(open.url() + "exec/hbwatch:type=Heartbeat/ping/x"));
            assertEquals(403L, ((Number) exec.get("status")).longValue());
        }
    }

    @Test
    void basicAuthAcceptsTheRightPasswordOnly(@TempDir Path dir) throws Exception {
        Path secret = dir.resolve("secret");
        Files.writeString(secret, "s3cret\n");
        try (JolokiaEndpoint secured = JolokiaEndpoint.start(ConfigLoader.fromAgentArgs(
                        "jolokia=127.0.0.1:0,jolokiaUser=monitor,jolokiaPasswordFile=" + secret))
                .orElseThrow()) {
            String url = secured.url() + "read/java.lang:type=Runtime/Uptime";
            assertEquals(401, Http.get(url).statusCode());
            assertEquals(401, Http.get(url, "monitor", "wrong").statusCode());
            assertEquals(401, Http.get(url, "other", "s3cret").statusCode());
            HttpResponse<String> ok = Http.get(url, "monitor", "s3cret");
            assertEquals(200, ok.statusCode());
            assertEquals(200L, ((Number) json(ok).get("status")).longValue());
            String version =
                    Http.get(secured.url() + "version", "monitor", "s3cret").body();
            assertFalse(version.contains("s3cret"), "the version answer shows the password: " + version);
        }
    }

    @Test
    void inlinePasswordWorksToo() throws IOException, Exception {
        try (JolokiaEndpoint secured = JolokiaEndpoint.start(
                        ConfigLoader.fromAgentArgs("jolokia=127.0.0.1:0,jolokiaUser=monitor,jolokiaPassword=pw"))
                .orElseThrow()) {
            String url = secured.url() + "read/java.lang:type=Runtime/Uptime";
            assertEquals(401, Http.get(url, "monitor", "nope").statusCode());
            assertEquals(200, Http.get(url, "monitor", "pw").statusCode());
        }
    }
}
