package io.hbwatch.examples.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.hbwatch.examples.orders.Order;
import io.hbwatch.examples.orders.Workers;
import java.io.IOException;
import java.util.StringJoiner;

/**
 * {@code GET /orders}: the latest orders as a JSON array. {@code POST /orders} with the item as the
 * body: queues an order for the workers, answers {@code 202} with its id.
 */
final class OrdersHandler implements HttpHandler {
    /** How many orders {@code GET /orders} lists at most. */
    static final int LIST_LIMIT = 50;

    private final Workers workers;

    OrdersHandler(Workers workers) {
        this.workers = workers;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        switch (ex.getRequestMethod()) {
            case "GET":
                StringJoiner list = new StringJoiner(",", "[", "]");
                for (Order o : workers.service().recent(LIST_LIMIT)) {
                    list.add(json(o));
                }
                Exchanges.json(ex, 200, list.toString());
                break;
            case "POST":
                String item = Exchanges.body(ex);
                if (item.isEmpty()) {
                    Exchanges.text(ex, 400, "the body names the item to order, e.g. 'coffee'");
                    return;
                }
                try {
                    Exchanges.json(ex, 202, json(workers.submit(item)));
                } catch (IllegalStateException full) {
                    Exchanges.text(ex, 503, full.getMessage());
                }
                break;
            default:
                ex.getResponseHeaders().set("Allow", "GET, POST");
                Exchanges.text(ex, 405, "GET or POST");
        }
    }

    private static String json(Order o) {
        return "{\"id\":" + o.id() + ",\"item\":" + Exchanges.quote(o.item()) + ",\"state\":\""
                + o.state().name().toLowerCase(java.util.Locale.ROOT) + "\",\"created\":" + o.createdMillis() + "}";
    }
}
