package io.hbwatch.examples;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The example service as a real process ({@code java -jar hbwatch-examples.jar --port 0}), for
 * integration tests; {@link #close()} kills it if it still runs.
 */
final class ServiceProcess implements AutoCloseable {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    final Process process;
    final Path output;
    private final Path urlFile;

    /** The built jar: {@code -Dhbwatch.examples.jar}, else {@code target/hbwatch-examples.jar}. */
    static Path jar() {
        return Paths.get(System.getProperty("hbwatch.examples.jar", "target/hbwatch-examples.jar"));
    }

    ServiceProcess(Path dir, String... args) throws IOException {
        urlFile = dir.resolve("url");
        output = dir.resolve("service.log");
        List<String> command = new ArrayList<>(List.of(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                jar().toString(),
                "--port",
                "0",
                "--url-file",
                urlFile.toString()));
        command.addAll(List.of(args));
        process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
    }

    /** Waits for the URL file the service writes once it listens. */
    String awaitUrl() {
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(urlFile) || !process.isAlive());
        try {
            return Files.readString(urlFile).trim();
        } catch (IOException e) {
            throw new AssertionError("the service wrote no URL; its output: " + outputText(), e);
        }
    }

    String outputText() {
        try {
            return Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(String url, String body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }
}
