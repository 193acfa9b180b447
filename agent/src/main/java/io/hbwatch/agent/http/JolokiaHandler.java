package io.hbwatch.agent.http;

import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import javax.management.RuntimeMBeanException;
import org.jolokia.json.JSONStructure;
import org.jolokia.jvmagent.ParsedUri;
import org.jolokia.server.core.config.ConfigKey;
import org.jolokia.server.core.request.BadRequestException;
import org.jolokia.server.core.request.EmptyResponseException;
import org.jolokia.server.core.service.api.JolokiaContext;
import org.jolokia.server.core.util.MimeTypeUtil;

/**
 * Jolokia's protocol over the agent's {@link HttpListener}: what Jolokia's own JDK-server handler
 * does, on Jolokia's {@link HttpRequestHandler}, plus the agent's checks in front of it.
 *
 * <ol>
 *   <li>On a loopback endpoint, a {@code Host} that names anything but an address or {@code
 *       localhost} is refused with 403 ({@link LoopbackHostCheck}: DNS rebinding).
 *   <li>With {@code jolokiaUser}, Basic authentication: anything but that user and password is 401.
 *   <li>Only the context {@code /jolokia} (404 elsewhere), only GET, POST and OPTIONS (405).
 *   <li>Jolokia's access check, its CORS answers, and the request itself; denials are 403 with
 *       the reason, malformed requests 400, failed ones a JSON error as Jolokia writes them.
 * </ol>
 *
 * <p>Answers carry {@code Cache-Control: no-cache} and an {@code Expires} in the past, as Jolokia's
 * do. Thread-safe.
 */
final class JolokiaHandler implements HttpListener.Handler {
    private final BoundedRequestHandler jolokia;
    private final long timeoutNanos;
    private final int maxBulk;
    private final boolean loopback;
    private final boolean https;
    private final byte[] credentials;
    private final String mimeType;

    /**
     * @param loopback whether the endpoint listens on a loopback address (then the Host check runs)
     * @param user with {@code password}, the only credentials accepted; null for no authentication
     */
    JolokiaHandler(
            JolokiaContext context, boolean loopback, boolean https, String user, String password, Limits limits) {
        this.jolokia = new BoundedRequestHandler(
                context, limits.maxBulk, limits.maxAnswerBytes, limits.workBytesPerSecond, limits.builtInPolicy);
        this.timeoutNanos = limits.timeoutNanos;
        this.maxBulk = limits.maxBulk;
        this.loopback = loopback;
        this.https = https;
        this.credentials = user == null ? null : (user + ":" + password).getBytes(StandardCharsets.UTF_8);
        this.mimeType = context.getConfig(ConfigKey.MIME_TYPE);
    }

    @Override
    public HttpResponse handle(HttpRequest request, InetSocketAddress client) {
        String host = request.header("host");
        if (loopback && host != null && !LoopbackHostCheck.allowed(host)) {
            return HttpResponse.text(403, "Host not allowed on a loopback endpoint");
        }
        if (credentials != null && !authorized(request.header("authorization"))) {
            return HttpResponse.text(401, null).header("WWW-Authenticate", "Basic realm=\"jolokia\"");
        }
        ParsedUri uri;
        try {
            uri = new ParsedUri(new URI(request.target()), JolokiaSettings.CONTEXT);
        } catch (URISyntaxException e) {
            return HttpResponse.text(400, "malformed request target");
        }
        String path = uri.getUri().getRawPath();
        if (!path.equals(JolokiaSettings.CONTEXT) && !path.startsWith(JolokiaSettings.CONTEXT + "/")) {
            return HttpResponse.text(404, null);
        }
        String method = request.method();
        boolean get = method.equals("GET");
        if (!get && !method.equals("POST") && !method.equals("OPTIONS")) {
            return HttpResponse.text(405, null).header("Allow", "GET, POST, OPTIONS");
        }
        String origin = originOrReferer(request);
        try {
            jolokia.checkAccess(
                    https ? "https" : "http", null, client.getAddress().getHostAddress(), origin);
            if (method.equals("OPTIONS")) {
                HttpResponse preflight = HttpResponse.empty(200);
                Map<String, String> cors =
                        jolokia.handleCorsPreflightRequest(origin, request.header("access-control-request-headers"));
                for (Map.Entry<String, String> h : cors.entrySet()) {
                    preflight.header(h.getKey(), h.getValue());
                }
                return preflight;
            }
            if (uri.getParameter(ConfigKey.CALLBACK.getKeyValue()) != null) {
                // JSONP would let any web page's script tag read the answer, whatever the origin.
                throw new BadRequestException("JSONP (callback) is not served");
            }
            if (!get) {
                int requests = BulkCount.of(request.body());
                if (requests > maxBulk) {
                    // Refused before Jolokia parses it: a bulk of thousands costs it far more than
                    // the answers it would then refuse one by one.
                    return HttpResponse.text(
                            413,
                            "a bulk request of " + requests + " requests; at most " + maxBulk + " (jolokiaMaxBulk)");
                }
            }
            jolokia.begin(System.nanoTime() + timeoutNanos);
            try {
                return json(request, uri, answer(request, uri, get));
            } finally {
                jolokia.end();
            }
        } catch (BadRequestException e) {
            return HttpResponse.text(400, e.getMessage());
        } catch (SecurityException e) {
            return HttpResponse.text(403, e.getMessage());
        } catch (EmptyResponseException e) {
            return HttpResponse.empty(204); // only for notification back channels, which are not shipped
        }
    }

    /** Jolokia's answer, or its JSON error for a request that failed. */
    private JSONStructure answer(HttpRequest request, ParsedUri uri, boolean get) throws EmptyResponseException {
        try {
            if (get) {
                return jolokia.handleGetRequest(uri.getUri().toString(), uri.getPathInfo(), uri.getParameterMap());
            }
            return jolokia.handlePostRequest(
                    uri.toString(), new ByteArrayInputStream(request.body()), charset(request), uri.getParameterMap());
        } catch (BadRequestException | SecurityException | EmptyResponseException e) {
            throw e;
        } catch (RuntimeMBeanException e) {
            return jolokia.handleThrowable(e.getTargetException());
        } catch (Exception | LinkageError e) {
            return jolokia.handleThrowable(e);
        }
    }

    private HttpResponse json(HttpRequest request, ParsedUri uri, JSONStructure json) {
        String text = json.toJSONString();
        String type =
                MimeTypeUtil.getResponseMimeType(uri.getParameter(ConfigKey.MIME_TYPE.getKeyValue()), mimeType, null);
        HttpResponse response = HttpResponse.of(200, type + "; charset=utf-8", text.getBytes(StandardCharsets.UTF_8))
                .header("Cache-Control", "no-cache")
                .header("Expires", HttpResponse.httpDate(-3600));
        String allowed = jolokia.extractCorsOrigin(request.header("origin"));
        if (allowed != null) {
            response.header("Access-Control-Allow-Origin", allowed).header("Access-Control-Allow-Credentials", "true");
        }
        return response;
    }

    /**
     * Whether {@code Authorization} carries the user and password (RFC 7617). The comparison takes
     * the same time however much of the password is right.
     */
    private boolean authorized(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        try {
            byte[] given = Base64.getDecoder().decode(authorization.substring(6).trim());
            return MessageDigest.isEqual(credentials, given);
        } catch (IllegalArgumentException e) {
            return false; // not Base64
        }
    }

    /** The charset a POST names in its {@code Content-Type}, or null (Jolokia then reads UTF-8). */
    private static String charset(HttpRequest request) {
        String type = request.header("content-type");
        if (type == null) {
            return null;
        }
        int at = type.toLowerCase(Locale.ROOT).indexOf("charset=");
        if (at < 0) {
            return null;
        }
        String cs = type.substring(at + "charset=".length());
        int end = cs.indexOf(';');
        return (end >= 0 ? cs.substring(0, end) : cs).trim();
    }

    /** What one HTTP request may make Jolokia do. */
    static final class Limits {
        final int maxBulk;
        final long maxAnswerBytes;
        final long workBytesPerSecond;
        final boolean builtInPolicy;
        final long timeoutNanos;

        Limits(int maxBulk, long maxAnswerBytes, long workBytesPerSecond, boolean builtInPolicy, long timeoutNanos) {
            this.maxBulk = maxBulk;
            this.maxAnswerBytes = maxAnswerBytes;
            this.workBytesPerSecond = workBytesPerSecond;
            this.builtInPolicy = builtInPolicy;
            this.timeoutNanos = timeoutNanos;
        }
    }

    /** As Jolokia's handler: the {@code Origin}, else the {@code Referer}, without line breaks. */
    private static String originOrReferer(HttpRequest request) {
        String origin = request.header("origin");
        if (origin == null) {
            origin = request.header("referer");
        }
        return origin == null ? null : origin.replace("\r", "").replace("\n", "");
    }
}
