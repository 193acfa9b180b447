package io.hbwatch.monitor.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Scrapes a monitor's {@code --metrics} endpoint over real HTTP. */
public final class Scrape {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern ANNOUNCED = Pattern.compile("metrics on http://[^ ]+:(\\d+)/metrics");

    private Scrape() {}

    /** The text exposition of {@code http://127.0.0.1:PORT/metrics}, checked to be 200 text/plain. */
    public static String metrics(int port) throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/plain"), r.headers()::toString);
        return r.body();
    }

    /** The port of the "metrics on http://127.0.0.1:PORT/metrics" line in {@code stderr}. */
    public static int port(String stderr) {
        Matcher m = ANNOUNCED.matcher(stderr);
        assertTrue(m.find(), stderr);
        return Integer.parseInt(m.group(1));
    }

    /** The port a background run announced. */
    public static int port(BackgroundRun run) {
        run.awaitErr("/metrics");
        return port(run.err());
    }
}
