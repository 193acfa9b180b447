package io.hbwatch.agent.http;

import java.io.IOException;
import java.io.Writer;
import javax.management.ObjectName;
import org.jolokia.json.JSONObject;
import org.jolokia.server.core.http.HttpRequestHandler;
import org.jolokia.server.core.request.EmptyResponseException;
import org.jolokia.server.core.request.JolokiaObjectNameRequest;
import org.jolokia.server.core.request.JolokiaRequest;
import org.jolokia.server.core.service.api.JolokiaContext;

/**
 * Jolokia's request handler with the work of one HTTP request bounded, checked request by request
 * while the answer is built, so that the work stops there and not after:
 *
 * <ul>
 *   <li>at most {@code maxBulk} requests of a bulk POST are run; the rest are answered with an
 *       error each;
 *   <li>once the answers so far add up to {@code maxAnswerBytes} of JSON, or the request's deadline
 *       has passed (its connection is closed then), every request left is answered with a short
 *       error instead of being run;
 *   <li>with the built-in policy, a read by pattern is run only inside the domains it allows ({@code
 *       hbwatch}, {@code java.lang}): Jolokia checks a pattern read MBean by MBean and, with {@code
 *       ignoreErrors}, would name every MBean and attribute of the JVM in its refusals.
 * </ul>
 *
 * <p>And the work of all requests together is bounded by a {@link WorkBudget}.
 *
 * <p>Each answer is measured by writing it to a counting writer, which keeps nothing. Jolokia's
 * serializer limits ({@code maxDepth}, {@code maxCollectionSize}, {@code maxObjects}, set in {@link
 * JolokiaSettings}) bound each single answer. Thread-safe: the budget is per thread, set by {@link
 * #begin} for each HTTP request.
 */
final class BoundedRequestHandler extends HttpRequestHandler {
    private final int maxBulk;
    private final long maxAnswerBytes;
    private final boolean builtInPolicy;
    private final WorkBudget work;
    private final ThreadLocal<Budget> budget = new ThreadLocal<>();

    BoundedRequestHandler(
            JolokiaContext context, int maxBulk, long maxAnswerBytes, long workBytesPerSecond, boolean builtInPolicy) {
        super(context);
        this.work = new WorkBudget(workBytesPerSecond);
        this.maxBulk = maxBulk;
        this.maxAnswerBytes = maxAnswerBytes;
        this.builtInPolicy = builtInPolicy;
    }

    /** Starts the budget of one HTTP request, whose connection closes at {@code deadlineNanos}. */
    void begin(long deadlineNanos) {
        budget.set(new Budget(deadlineNanos));
    }

    /** Ends it; the next request on this thread begins anew. */
    void end() {
        budget.remove();
    }

    @Override
    protected JSONObject executeRequest(JolokiaRequest request) throws EmptyResponseException {
        Budget b = budget.get();
        if (b == null) {
            b = new Budget(Long.MAX_VALUE);
            budget.set(b);
        }
        b.requests++;
        if (b.requests > maxBulk) {
            return refusal(413, "more than " + maxBulk + " requests in one bulk request", request);
        }
        if (b.bytes >= maxAnswerBytes) {
            return refusal(413, tooLong(), request);
        }
        if (System.nanoTime() - b.deadlineNanos >= 0) {
            return refusal(503, "the request ran past jolokiaTimeout", request);
        }
        if (builtInPolicy && enumerates(request)) {
            return refusal(403, "a pattern read outside the hbwatch and java.lang domains is not allowed", request);
        }
        long before = WorkBudget.allocated();
        if (before >= 0 && before - b.allocatedAtStart > WorkBudget.SMALL_BYTES && work.overdrawn()) {
            return refusal(503, "Jolokia is over its work budget (jolokiaWorkRate); ask for less or later", request);
        }
        JSONObject answer = super.executeRequest(request);
        if (before >= 0) {
            work.charge(WorkBudget.allocated() - before);
        }
        b.bytes += bytesOf(answer);
        if (b.bytes > maxAnswerBytes) {
            return refusal(413, tooLong(), request);
        }
        return answer;
    }

    /** A pattern read whose domain is not one the built-in policy lists by name. */
    private static boolean enumerates(JolokiaRequest request) {
        if (!(request instanceof JolokiaObjectNameRequest)) {
            return false;
        }
        ObjectName name = ((JolokiaObjectNameRequest) request).getObjectName();
        if (name == null || !name.isPattern()) {
            return false;
        }
        if (name.isDomainPattern()) {
            return true;
        }
        String domain = name.getDomain();
        return !domain.equals("hbwatch") && !domain.equals("java.lang");
    }

    private String tooLong() {
        return "the answer reached " + maxAnswerBytes + " bytes (jolokiaMaxAnswer); ask for less";
    }

    private JSONObject refusal(int status, String message, JolokiaRequest request) {
        return getErrorJSON(status, new IllegalStateException(message), request);
    }

    private static long bytesOf(JSONObject answer) {
        Counting counter = new Counting();
        try {
            answer.writeJSONString(counter);
        } catch (IOException e) {
            return Long.MAX_VALUE / 2; // cannot happen with this writer; counted as too large
        }
        return counter.count;
    }

    /** The work done so far for one HTTP request. Used by one thread. */
    private static final class Budget {
        final long deadlineNanos;
        final long allocatedAtStart = WorkBudget.allocated();
        int requests;
        long bytes;

        Budget(long deadlineNanos) {
            this.deadlineNanos = deadlineNanos;
        }
    }

    /** Counts characters (one per byte of ASCII, an estimate below UTF-8's length otherwise). */
    private static final class Counting extends Writer {
        long count;

        @Override
        public void write(char[] cbuf, int off, int len) {
            count += len;
        }

        @Override
        public void write(String str, int off, int len) {
            count += len;
        }

        @Override
        public void write(int c) {
            count++;
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    }
}
