package io.hbwatch.examples.orders;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class OrderServiceTest {
    @Test
    void processMarksTheOrderDone() throws InterruptedException {
        OrderService service = new OrderService();
        Order order = service.take("coffee");
        assertEquals(Order.State.QUEUED, order.state());
        service.process(order);
        assertEquals(Order.State.DONE, order.state());
        assertEquals(1, service.processed());
    }

    @Test
    void hangNextBlocksExactlyOneCallForAtLeastTheTimeAsked() throws InterruptedException {
        OrderService service = new OrderService();
        service.hangNext(300);
        long start = System.nanoTime();
        service.process(service.take("slow"));
        long hungMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(hungMs >= 300, "hung only " + hungMs + " ms");

        // The next call is back to normal: armed once, consumed once.
        Order next = service.take("fast");
        service.process(next);
        assertEquals(Order.State.DONE, next.state());
    }

    @Test
    void hangNeedsAPositiveTime() {
        assertThrows(IllegalArgumentException.class, () -> new OrderService().hangNext(0));
    }

    @Test
    void recentListsTheLatestOldestFirst() {
        OrderService service = new OrderService();
        for (int i = 1; i <= 5; i++) {
            service.take("item" + i);
        }
        List<Order> recent = service.recent(2);
        assertEquals(List.of("item4", "item5"), recent.stream().map(Order::item).toList());
        assertEquals(5, service.taken());
    }

    @Test
    void workersProcessWhatIsSubmitted() {
        try (Workers workers = new Workers(new OrderService(), 2).start()) {
            Order order = workers.submit("tea");
            await().atMost(Duration.ofSeconds(10)).until(() -> order.state() == Order.State.DONE);
        }
    }

    @Test
    void loadSubmitsOrdersByItself() {
        try (Workers workers = new Workers(new OrderService(), 1).start();
                Load load = new Load(workers, 50)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> workers.service().processed() >= 3);
        }
    }
}
