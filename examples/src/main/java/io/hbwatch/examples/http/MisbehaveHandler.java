package io.hbwatch.examples.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.hbwatch.examples.misbehave.Deadlock;
import io.hbwatch.examples.misbehave.Misbehaviour;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;

/**
 * {@code POST /misbehave/deadlock[?kind=monitor|lock]}, {@code /misbehave/hang[?ms=N]},
 * {@code /misbehave/pause[?ms=N]}, {@code /misbehave/crash[?code=N]}: trouble on demand. Answers
 * {@code 202} with one line saying what will happen; a bad parameter gets {@code 400} and why.
 */
final class MisbehaveHandler implements HttpHandler {
    static final String PATH = "/misbehave/";

    private final Misbehaviour misbehaviour;

    MisbehaveHandler(Misbehaviour misbehaviour) {
        this.misbehaviour = misbehaviour;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        if (!"POST".equals(ex.getRequestMethod())) {
            ex.getResponseHeaders().set("Allow", "POST");
            Exchanges.text(ex, 405, "POST: trouble is never caused by a GET");
            return;
        }
        String what = ex.getRequestURI().getPath().substring(PATH.length());
        Map<String, String> q = Exchanges.query(ex);
        try {
            switch (what) {
                case "deadlock":
                    String kind = q.getOrDefault("kind", "monitor").toUpperCase(Locale.ROOT);
                    Exchanges.text(ex, 202, misbehaviour.deadlock(Deadlock.Kind.valueOf(kind)));
                    break;
                case "hang":
                    Exchanges.text(
                            ex, 202, misbehaviour.hang(Exchanges.longParam(q, "ms", Misbehaviour.DEFAULT_HANG_MS)));
                    break;
                case "pause":
                    Exchanges.text(
                            ex, 202, misbehaviour.pause(Exchanges.longParam(q, "ms", Misbehaviour.DEFAULT_PAUSE_MS)));
                    break;
                case "crash":
                    long code = Exchanges.longParam(q, "code", 1);
                    if (code < 0 || code > 255) {
                        throw new IllegalArgumentException("code: " + code + " is not an exit code (0 to 255)");
                    }
                    Exchanges.text(ex, 202, misbehaviour.crash((int) code));
                    break;
                default:
                    Exchanges.text(ex, 404, "no such misbehaviour '" + what + "': deadlock, hang, pause or crash");
            }
        } catch (IllegalArgumentException bad) {
            Exchanges.text(ex, 400, bad.getMessage());
        }
    }
}
