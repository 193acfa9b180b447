package io.hbwatch.examples.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.hbwatch.examples.orders.Workers;
import java.io.IOException;

/** {@code GET /health}: a small JSON status. {@code GET /}: what this service answers to. */
final class RootHandler implements HttpHandler {
    static final String HELP = String.join(
            "\n",
            "orders: an example service for hbwatch",
            "  GET  /orders                      the latest orders",
            "  POST /orders        (body: item)  queue an order for the workers",
            "  GET  /health                      queued and processed counts",
            "  POST /misbehave/deadlock[?kind=monitor|lock]  two threads deadlock",
            "  POST /misbehave/hang[?ms=30000]   the next OrderService#process call hangs",
            "  POST /misbehave/pause[?ms=3000]   the whole JVM stops (SIGSTOP), then resumes",
            "  POST /misbehave/crash[?code=1]    the JVM halts at once");

    private final Workers workers;

    RootHandler(Workers workers) {
        this.workers = workers;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        if (!"GET".equals(ex.getRequestMethod()) && !"HEAD".equals(ex.getRequestMethod())) {
            ex.getResponseHeaders().set("Allow", "GET");
            Exchanges.text(ex, 405, "GET");
        } else if (path.equals("/health")) {
            Exchanges.json(
                    ex,
                    200,
                    "{\"status\":\"ok\",\"queued\":" + workers.queued() + ",\"taken\":"
                            + workers.service().taken() + ",\"processed\":"
                            + workers.service().processed() + "}");
        } else if (path.equals("/")) {
            Exchanges.text(ex, 200, HELP);
        } else {
            Exchanges.text(ex, 404, "not found: " + path + " (GET / lists what is here)");
        }
    }
}
