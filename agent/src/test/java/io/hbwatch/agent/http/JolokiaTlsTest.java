package io.hbwatch.agent.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hbwatch.agent.config.ConfigLoader;
import io.hbwatch.protocol.JsonParser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS from {@code jolokiaKeystore}: a real self-signed key made with the JDK's keytool. */
class JolokiaTlsTest {
    @TempDir
    static Path dir;

    static Path keystore;

    @BeforeAll
    static void makeKey() throws Exception {
        TestHeartbeat.register();
        keystore = dir.resolve("jolokia.p12");
        Path keytool = Paths.get(System.getProperty("java.home"), "bin", "keytool");
        Process p = new ProcessBuilder(
                        keytool.toString(),
                        "-genkeypair",
                        "-alias",
                        "jolokia",
                        "-keyalg",
                        "RSA",
                        "-keysize",
                        "2048",
                        "-dname",
                        "CN=localhost",
                        "-ext",
                        "SAN=ip:127.0.0.1,dns:localhost",
                        "-validity",
                        "2",
                        "-storetype",
                        "PKCS12",
                        "-keystore",
                        keystore.toString(),
                        "-storepass",
                        "changeit",
                        "-keypass",
                        "changeit")
                .redirectErrorStream(true)
                .start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), new String(p.getInputStream().readAllBytes()));
    }

    @Test
    void servesHttpsFromTheKeyStore() throws Exception {
        try (JolokiaEndpoint tls = JolokiaEndpoint.start(ConfigLoader.fromAgentArgs(
                        "jolokia=127.0.0.1:0,jolokiaKeystore=" + keystore + ",jolokiaKeystorePassword=changeit"))
                .orElseThrow()) {
            assertTrue(tls.url().startsWith("https://127.0.0.1:"), tls.url());
            HttpResponse<String> r = trustingClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(tls.url() + "read/hbwatch:type=Heartbeat/Status"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertEquals("UP", JsonParser.parseObject(r.body()).get("value"));
        }
    }

    /**
     * A kept TLS connection idles on its worker; with one worker, a second client must not wait
     * for the first one's keep-alive to run out (30 s) but be served at once.
     */
    @Test
    void anIdlingTlsConnectionGivesItsWorkerToAWaitingClient() throws Exception {
        try (JolokiaEndpoint tls = JolokiaEndpoint.start(
                        ConfigLoader.fromAgentArgs("jolokia=127.0.0.1:0,jolokiaThreads=1," + "jolokiaKeystore="
                                + keystore + ",jolokiaKeystorePassword=changeit"))
                .orElseThrow()) {
            HttpRequest read = HttpRequest.newBuilder(URI.create(tls.url() + "read/hbwatch:type=Heartbeat/Status"))
                    .timeout(Duration.ofSeconds(10))
                    .build();
            HttpClient first = trustingClient();
            assertEquals(
                    200, first.send(read, HttpResponse.BodyHandlers.ofString()).statusCode());
            HttpClient second = trustingClient();
            assertEquals(
                    200, second.send(read, HttpResponse.BodyHandlers.ofString()).statusCode());
        }
    }

    @Test
    void aWrongPasswordKeepsJolokiaOff() {
        JolokiaEndpoint.StartException e = assertThrows(
                JolokiaEndpoint.StartException.class,
                () -> JolokiaEndpoint.start(ConfigLoader.fromAgentArgs(
                        "jolokia=127.0.0.1:0,jolokiaKeystore=" + keystore + ",jolokiaKeystorePassword=wrong")));
        assertTrue(e.getMessage().startsWith("jolokiaKeystore:"), e.getMessage());
    }

    /** Trusts the test's self-signed certificate (and anything else): tests only. */
    private static HttpClient trustingClient() throws Exception {
        TrustManager all = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, new TrustManager[] {all}, null);
        return HttpClient.newBuilder()
                .sslContext(ssl)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }
}
