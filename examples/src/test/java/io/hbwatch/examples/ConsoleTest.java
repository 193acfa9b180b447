package io.hbwatch.examples;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hbwatch.examples.misbehave.Misbehaviour;
import io.hbwatch.examples.orders.OrderService;
import io.hbwatch.examples.orders.Workers;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConsoleTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private final Workers workers = new Workers(new OrderService(), 1).start();
    private final Console console = new Console(workers, new Misbehaviour(workers, out), out);

    @AfterEach
    void stop() {
        workers.close();
    }

    private String output() {
        return bytes.toString(StandardCharsets.UTF_8).trim();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "dance|orders: unknown command 'dance' (try help)",
                "hang soon|orders: hang: 'soon' is not a whole number",
                "hang -5|orders: hang: hang time must be positive, was -5 ms",
                "pause 999999|orders: pause: pause must be 1 to 60000 ms, was 999999",
            })
    void mistakesGetOneLine(String command, String line) {
        console.run(command);
        assertEquals(line, output());
    }

    @Test
    void orderIsQueuedAndProcessed() {
        console.run("order tea");
        assertEquals("orders: queued order 1", output());
        await().atMost(Duration.ofSeconds(10)).until(() -> workers.service().processed() == 1);
    }

    @Test
    void hangIsArmedAndTriggered() {
        console.run("hang 200");
        assertEquals("orders: hang: the next OrderService#process call blocks for 200 ms", output());
        await().atMost(Duration.ofSeconds(10)).until(() -> workers.service().processed() == 1);
    }
}
