package io.hbwatch.monitor.jmx;

import io.hbwatch.protocol.Reason;
import java.io.Closeable;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import javax.net.ssl.SSLException;
import org.apache.http.MessageConstraintException;
import org.apache.http.client.RedirectException;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.config.ConnectionConfig;
import org.apache.http.config.MessageConstraints;
import org.apache.http.config.SocketConfig;
import org.apache.http.conn.ConnectTimeoutException;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClientBuilder;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.impl.conn.BasicHttpClientConnectionManager;
import org.apache.http.impl.execchain.RequestAbortedException;
import org.apache.http.message.BasicHeader;
import org.jolokia.client.J4pClient;
import org.jolokia.client.exception.J4pBulkRemoteException;
import org.jolokia.client.exception.J4pException;
import org.jolokia.client.exception.J4pRemoteException;
import org.jolokia.client.request.J4pExecRequest;
import org.jolokia.client.request.J4pExecResponse;
import org.jolokia.client.request.J4pReadRequest;
import org.jolokia.client.request.J4pReadResponse;
import org.jolokia.client.request.J4pRequest;
import org.jolokia.client.request.J4pResponse;

/**
 * Talks to one Jolokia endpoint with Jolokia's own Java client over one keep-alive connection:
 * reads the Heartbeat MBean and pings it in one bulk request (one round trip), or reads
 * {@code java.lang:type=Runtime} {@code Uptime} from a JVM without the agent.
 *
 * <p>Not thread-safe: one job's thread uses it. {@link #close()} may come from another thread to
 * cut a request short.
 */
public final class JolokiaProbe implements Closeable {
    /** The contract's MBean. */
    public static final String HEARTBEAT = "hbwatch:type=Heartbeat";
    /** The liveness signal of any JVM. */
    public static final String RUNTIME = "java.lang:type=Runtime";

    private static final String[] ATTRIBUTES = {
        "Status", "Reason", "Detail", "Sequence", "IntervalMillis", "Instance", "Pid"
    };

    /**
     * Apache HttpClient logs through commons-logging to java.util.logging, whose console handler
     * would print its INFO lines ("Retrying request ...") into the monitor's stderr. Held here:
     * JUL keeps loggers only weakly.
     */
    private static final Logger HTTP_CLIENT_LOG = quiet("org.apache.http");

    /** Longest status or header line read from Jolokia. */
    static final int MAX_LINE_BYTES = 8192;
    /** Most header lines read from Jolokia. */
    static final int MAX_HEADERS = 64;

    private final String url;
    private final String user;
    private final String password;
    private final int timeoutMs;
    /** Renewed after an exchange that failed midway; volatile for {@link #close()} from another thread. */
    private volatile J4pClient client;

    private final ObjectName heartbeat;
    private final ObjectName runtime;

    /**
     * @param url Jolokia's base URL, e.g. {@code http://127.0.0.1:8778/jolokia}
     * @param user basic-auth user, or null
     * @param password basic-auth password, or null
     * @param timeoutMs connect and read timeout of each request
     */
    public JolokiaProbe(String url, String user, String password, int timeoutMs) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.timeoutMs = timeoutMs;
        this.client = newClient();
        try {
            this.heartbeat = new ObjectName(HEARTBEAT);
            this.runtime = new ObjectName(RUNTIME);
        } catch (MalformedObjectNameException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The HTTP client Jolokia's client builder would make, one kept-alive connection, with what it
     * leaves open closed: status and header lines of at most {@value #MAX_LINE_BYTES} bytes, at most
     * {@value #MAX_HEADERS} headers (an endless header line grew the monitor past 1.7 GB), no
     * automatic retries or redirects, and Basic credentials sent with the first request.
     */
    private static CloseableHttpClient httpClient(String user, String password, int timeoutMs) {
        BasicHttpClientConnectionManager connections = new BasicHttpClientConnectionManager();
        connections.setConnectionConfig(ConnectionConfig.custom()
                .setCharset(StandardCharsets.UTF_8)
                .setMessageConstraints(MessageConstraints.custom()
                        .setMaxLineLength(MAX_LINE_BYTES)
                        .setMaxHeaderCount(MAX_HEADERS)
                        .build())
                .build());
        connections.setSocketConfig(SocketConfig.custom()
                .setTcpNoDelay(true)
                .setSoTimeout(timeoutMs)
                .build());
        HttpClientBuilder b = HttpClients.custom()
                .setConnectionManager(connections)
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setConnectTimeout(timeoutMs)
                        .setSocketTimeout(timeoutMs)
                        .setConnectionRequestTimeout(timeoutMs)
                        .setExpectContinueEnabled(false)
                        .setRedirectsEnabled(false)
                        .build())
                .disableAutomaticRetries()
                .disableCookieManagement()
                .setUserAgent("hbwatch-monitor");
        if (user != null) {
            String basic = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
            b.setDefaultHeaders(List.of(new BasicHeader("Authorization", "Basic " + basic)));
        }
        return b.build();
    }

    /** The base URL this probe talks to. */
    public String url() {
        return url;
    }

    /**
     * Reads the Heartbeat's attributes and execs {@code ping(nonce)}, in one request; once more on
     * a fresh connection when the kept-alive one turns out closed (the JDK server drops
     * connections idle for 30 s, so intervals that long would otherwise read as failures).
     */
    public HeartbeatReading heartbeat(String nonce) throws ProbeFailure {
        return exchange(() -> heartbeatOnce(nonce));
    }

    /** One exchange of this probe. */
    private interface Exchange<T> {
        T run() throws ProbeFailure;
    }

    /**
     * Runs {@code e}, once more when the kept connection turns out closed, and takes a fresh
     * client when it fails midway ({@link #renewAfter}).
     */
    private <T> T exchange(Exchange<T> e) throws ProbeFailure {
        try {
            try {
                return e.run();
            } catch (ProbeFailure f) {
                if (!f.reason().equals(Reason.CLOSED)) {
                    throw f;
                }
                return e.run();
            }
        } catch (ProbeFailure f) {
            renewAfter(f);
            throw f;
        }
    }

    private J4pClient newClient() {
        return new J4pClient(url, new CappedHttpClient(httpClient(user, password, timeoutMs), timeoutMs));
    }

    /**
     * After an exchange cut off midway (a deadline, a peer's nonsense, a broken connection), a fresh
     * HTTP client: an aborted exchange can leave the one kept connection leased, and then every
     * later check fails with "Connection is still allocated".
     */
    private void renewAfter(ProbeFailure f) {
        String r = f.reason();
        if (r.equals(Reason.TIMEOUT) || r.equals(Reason.PROTOCOL) || r.equals(Reason.CLOSED)) {
            J4pClient old = client;
            client = newClient();
            closeQuietly(old);
        }
    }

    private HeartbeatReading heartbeatOnce(String nonce) throws ProbeFailure {
        List<J4pRequest> requests =
                List.of(new J4pReadRequest(heartbeat, ATTRIBUTES), new J4pExecRequest(heartbeat, "ping", nonce));
        long start = System.nanoTime();
        List<J4pResponse<J4pRequest>> answers;
        try {
            answers = client.execute(requests);
        } catch (J4pBulkRemoteException e) {
            throw bulkFailure(e);
        } catch (J4pException e) {
            throw failure(e);
        } catch (RuntimeException e) {
            // Jolokia's client trusts the answer's shape (an array where an object was due, say).
            throw new ProbeFailure(Reason.PROTOCOL, url + " answered something other than Jolokia's JSON (" + e + ")");
        }
        long rtt = System.nanoTime() - start;
        try {
            if (answers.size() != 2) {
                throw new IllegalStateException(answers.size() + " answers to 2 requests");
            }
            J4pReadResponse read = (J4pReadResponse) (J4pResponse<?>) answers.get(0);
            J4pExecResponse exec = (J4pExecResponse) (J4pResponse<?>) answers.get(1);
            return new HeartbeatReading(
                    string(read.getValue("Status")),
                    string(read.getValue("Reason")),
                    string(read.getValue("Detail")),
                    number(read.getValue("Sequence")),
                    read.getValue("IntervalMillis") == null ? -1 : number(read.getValue("IntervalMillis")),
                    string(read.getValue("Instance")),
                    string(exec.getValue()),
                    rtt,
                    optional(read, "Pid"));
        } catch (RuntimeException e) {
            throw new ProbeFailure(Reason.PROTOCOL, "the Heartbeat MBean's answer makes no sense: " + e.getMessage());
        }
    }

    /** Reads {@code java.lang:type=Runtime} {@code Uptime} in milliseconds; the round trip goes to {@code rtt[0]}. */
    public long uptimeMs(long[] rtt) throws ProbeFailure {
        return exchange(() -> uptimeOnce(rtt));
    }

    private long uptimeOnce(long[] rtt) throws ProbeFailure {
        long start = System.nanoTime();
        try {
            J4pReadResponse r = client.execute(new J4pReadRequest(runtime, "Uptime"));
            rtt[0] = System.nanoTime() - start;
            return number(r.getValue());
        } catch (J4pException e) {
            throw failure(e);
        } catch (RuntimeException e) {
            throw new ProbeFailure(Reason.PROTOCOL, "Uptime is not a number: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        closeQuietly(client);
    }

    private static void closeQuietly(J4pClient client) {
        if (client.getHttpClient() instanceof Closeable c) {
            try {
                c.close();
            } catch (IOException e) {
                // closing to cut a request short; nothing to report
            }
        }
    }

    private ProbeFailure bulkFailure(J4pBulkRemoteException e) {
        List<J4pRemoteException> errors = e.getRemoteExceptions();
        if (!errors.isEmpty()) {
            J4pRemoteException first = errors.get(0);
            if (first.getStatus() == 404 && String.valueOf(first.getErrorType()).contains("InstanceNotFound")) {
                return new ProbeFailure(Reason.HTTP, "no " + HEARTBEAT + " at " + url, true);
            }
            return remote(first);
        }
        return new ProbeFailure(Reason.HTTP, "Jolokia at " + url + " failed: " + e.getMessage());
    }

    private ProbeFailure failure(J4pException e) {
        if (e instanceof J4pRemoteException r) {
            return remote(r);
        }
        if (CappedHttpClient.lastAborted()) {
            return new ProbeFailure(Reason.TIMEOUT, "no whole answer from " + url + " in time");
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RequestAbortedException) {
                return new ProbeFailure(Reason.TIMEOUT, "no whole answer from " + url + " in time");
            }
            if (t instanceof MessageConstraintException) {
                return new ProbeFailure(
                        Reason.PROTOCOL, url + " sent a header past the limits (" + t.getMessage() + "): not Jolokia");
            }
            if (t instanceof SocketTimeoutException || t instanceof ConnectTimeoutException) {
                return new ProbeFailure(Reason.TIMEOUT, "no answer from " + url + " in time");
            }
            if (t instanceof NoRouteToHostException) {
                return new ProbeFailure(Reason.UNREACHABLE, "cannot reach " + url + ": " + t.getMessage());
            }
            if (t instanceof ConnectException) {
                String m = String.valueOf(t.getMessage());
                return m.contains("unreachable")
                        ? new ProbeFailure(Reason.UNREACHABLE, "cannot reach " + url + ": " + m)
                        : new ProbeFailure(Reason.REFUSED, "nothing listens at " + url);
            }
            if (t instanceof SSLException) {
                return new ProbeFailure(
                        Reason.PROTOCOL,
                        "TLS with " + url + " failed: " + rootMessage(t)
                                + " (a self-signed certificate needs JAVA_OPTS=-Djavax.net.ssl.trustStore=FILE)");
            }
            if (t instanceof CappedHttpClient.TooLong) {
                return new ProbeFailure(Reason.PROTOCOL, url + " sent " + t.getMessage() + ": not Jolokia");
            }
            if (t instanceof RedirectException) {
                return new ProbeFailure(Reason.HTTP, url + " redirects without end (" + t.getMessage() + ")");
            }
            if (t instanceof org.jolokia.json.parser.ParseException) {
                return new ProbeFailure(Reason.PROTOCOL, url + " answered something other than Jolokia's JSON");
            }
            if (t instanceof org.apache.http.ProtocolException) {
                return new ProbeFailure(
                        Reason.PROTOCOL,
                        url + " does not speak HTTP (" + rootMessage(t) + "); is it an https:// port?");
            }
            if (t instanceof UnknownHostException) {
                return new ProbeFailure(Reason.UNRESOLVED, "cannot resolve the host of " + url);
            }
        }
        Throwable root = e;
        boolean transport = false;
        for (Throwable t = e; t != null; t = t.getCause()) {
            transport |= t instanceof IOException;
            root = t;
        }
        if (!transport) {
            // Jolokia's client read the answer and could not make sense of it.
            return new ProbeFailure(
                    Reason.PROTOCOL, url + " answered something other than Jolokia's JSON (" + e.getMessage() + ")");
        }
        return new ProbeFailure(Reason.CLOSED, "the connection to " + url + " failed: " + root);
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    }

    private ProbeFailure remote(J4pRemoteException r) {
        int status = r.getStatus();
        if (r.getErrorType() == null && (status == 401 || status == 403)) {
            return new ProbeFailure(
                    Reason.AUTH, "Jolokia at " + url + " refused the credentials (HTTP " + status + ")");
        }
        String what = r.getErrorType() == null ? "HTTP " + status : "status " + status;
        return new ProbeFailure(Reason.HTTP, "Jolokia at " + url + " answered " + what + ": " + r.getMessage());
    }

    private static Logger quiet(String name) {
        Logger logger = Logger.getLogger(name);
        logger.setLevel(Level.OFF);
        return logger;
    }

    private static String string(Object o) {
        return o == null ? null : o.toString();
    }

    private static long number(Object o) {
        if (o instanceof Number n) {
            return n.longValue();
        }
        throw new IllegalArgumentException("'" + o + "' is not a number");
    }

    /** An attribute an older agent's MBean may lack, as text; null when absent. */
    private static String optional(J4pReadResponse read, String attribute) {
        try {
            Object v = read.getValue(attribute);
            return v == null ? null : String.valueOf(v);
        } catch (RuntimeException absent) {
            return null;
        }
    }
}
