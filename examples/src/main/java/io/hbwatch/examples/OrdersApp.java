package io.hbwatch.examples;

import io.hbwatch.examples.http.OrdersServer;
import io.hbwatch.examples.misbehave.Misbehaviour;
import io.hbwatch.examples.orders.Load;
import io.hbwatch.examples.orders.OrderService;
import io.hbwatch.examples.orders.Workers;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;

/**
 * An order service that looks real and misbehaves on demand: an HTTP API on the JDK's own server,
 * a worker queue whose threads call {@code OrderService#process}, and commands (HTTP or stdin) to
 * deadlock, hang, pause or crash it. Run it under the agent and watch it with {@code monitor-cli}:
 *
 * <pre>
 * java -javaagent:agent/target/hb-agent.jar=port=7777,watch=io.hbwatch.examples.orders.OrderService#process@2s \
 *      -jar examples/target/hbwatch-examples.jar --port 8080 --load 5
 * curl -X POST localhost:8080/misbehave/deadlock
 * </pre>
 *
 * Prints {@code orders: listening on URL} once it serves; {@code --url-file FILE} also writes the
 * URL there (written whole, then renamed), so scripts using {@code --port 0} can find it.
 */
public final class OrdersApp {
    static final String USAGE = String.join(
            "\n",
            "usage: java -jar hbwatch-examples.jar [--port N] [--host ADDR] [--workers N] [--load PER_SECOND]"
                    + " [--url-file FILE]",
            "  --port N           HTTP port (default 8080; 0 picks a free one)",
            "  --host ADDR        address to bind (default 127.0.0.1)",
            "  --workers N        worker threads calling OrderService#process (default 2)",
            "  --load PER_SECOND  submit that many orders a second by itself (default 0: none)",
            "  --url-file FILE    write the service's URL there once it listens",
            "GET / on the running service lists its endpoints; type 'help' on stdin for its commands.");

    private OrdersApp() {}

    public static void main(String[] args) throws IOException {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("orders: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        if (options.help) {
            System.out.println(USAGE);
            return;
        }
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        Workers workers = new Workers(new OrderService(), options.workers).start();
        Misbehaviour misbehaviour = new Misbehaviour(workers, out);
        OrdersServer server;
        try {
            server = new OrdersServer(options.host, options.port, workers, misbehaviour);
        } catch (IOException | RuntimeException e) {
            // A busy port or a bad address is the user's to fix: one line, no stack trace.
            System.err.println("orders: cannot listen on " + options.host + ":" + options.port + ": " + e.getMessage());
            System.exit(1);
            return;
        }
        Load load = options.loadPerSecond > 0 ? new Load(workers, options.loadPerSecond) : null;
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            if (load != null) {
                                load.close();
                            }
                            server.close();
                            workers.close();
                        },
                        "orders-shutdown"));
        out.println("orders: listening on " + server.url() + " (pid "
                + ProcessHandle.current().pid() + ")");
        // After the line above, so that whoever waits for the file also finds the line.
        if (options.urlFile != null) {
            writeAtomically(Paths.get(options.urlFile), server.url() + "\n");
        }
        new Console(workers, misbehaviour, out).start();
    }

    /** Writes a temporary file next to {@code file} and renames it, so a reader never sees half. */
    private static void writeAtomically(Path file, String content) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
