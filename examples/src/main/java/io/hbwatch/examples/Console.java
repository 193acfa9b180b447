package io.hbwatch.examples;

import io.hbwatch.examples.misbehave.Deadlock;
import io.hbwatch.examples.misbehave.Misbehaviour;
import io.hbwatch.examples.orders.Workers;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The same commands as the HTTP endpoints, typed on stdin: {@code deadlock [lock]}, {@code hang
 * [MS]}, {@code pause [MS]}, {@code crash [CODE]}, {@code order ITEM}, {@code help}, {@code quit}.
 * Reads on a daemon thread named {@code orders-console}; at end of input (a service started in the
 * background) it stops reading and the service runs on.
 */
final class Console {
    private final Workers workers;
    private final Misbehaviour misbehaviour;
    private final PrintStream out;

    Console(Workers workers, Misbehaviour misbehaviour, PrintStream out) {
        this.workers = workers;
        this.misbehaviour = misbehaviour;
        this.out = out;
    }

    void start() {
        Thread t = new Thread(this::readLoop, "orders-console");
        t.setDaemon(true);
        t.start();
    }

    private void readLoop() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                if (!line.isBlank()) {
                    run(line.trim());
                }
            }
        } catch (IOException e) {
            out.println("orders: console closed: " + e.getMessage());
        }
    }

    /** Runs one command line; unknown commands and bad numbers get one line, never an exception. */
    void run(String line) {
        String[] words = line.split("\\s+", 2);
        String arg = words.length > 1 ? words[1] : "";
        try {
            switch (words[0].toLowerCase(Locale.ROOT)) {
                case "deadlock":
                    misbehaviour.deadlock(arg.equalsIgnoreCase("lock") ? Deadlock.Kind.LOCK : Deadlock.Kind.MONITOR);
                    break;
                case "hang":
                    misbehaviour.hang(number(arg, Misbehaviour.DEFAULT_HANG_MS));
                    break;
                case "pause":
                    misbehaviour.pause(number(arg, Misbehaviour.DEFAULT_PAUSE_MS));
                    break;
                case "crash":
                    misbehaviour.crash((int) number(arg, 1));
                    break;
                case "order":
                    out.println("orders: queued order "
                            + workers.submit(arg.isEmpty() ? "coffee" : arg).id());
                    break;
                case "quit":
                    out.println("orders: bye");
                    System.exit(0);
                    break;
                case "help":
                    out.println(
                            "commands: deadlock [lock] | hang [MS] | pause [MS] | crash [CODE] | order ITEM | quit");
                    break;
                default:
                    out.println("orders: unknown command '" + words[0] + "' (try help)");
            }
        } catch (IllegalArgumentException | IllegalStateException | IOException e) {
            out.println("orders: " + words[0] + ": " + e.getMessage());
        }
    }

    private static long number(String arg, long fallback) {
        if (arg.isEmpty()) {
            return fallback;
        }
        try {
            return Long.parseLong(arg);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + arg + "' is not a whole number");
        }
    }
}
