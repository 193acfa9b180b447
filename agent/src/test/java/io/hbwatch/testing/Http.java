package io.hbwatch.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/** A plain HTTP client for tests: what curl would do against a Jolokia endpoint. */
public final class Http {
    private static final HttpClient CLIENT =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private Http() {}

    public static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(url)).GET(), null);
    }

    public static HttpResponse<String> get(String url, String user, String password)
            throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(url)).GET(), user + ":" + password);
    }

    public static HttpResponse<String> getFrom(String url, String origin) throws IOException, InterruptedException {
        return send(
                HttpRequest.newBuilder(URI.create(url)).header("Origin", origin).GET(), null);
    }

    public static HttpResponse<String> head(String url) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(url)).method("HEAD", HttpRequest.BodyPublishers.noBody()), null);
    }

    public static HttpResponse<String> post(String url, String json) throws IOException, InterruptedException {
        return send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json)),
                null);
    }

    private static HttpResponse<String> send(HttpRequest.Builder b, String credentials)
            throws IOException, InterruptedException {
        b.timeout(Duration.ofSeconds(20));
        if (credentials != null) {
            b.header(
                    "Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        }
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
