package io.hbwatch.examples.orders;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The worker queue: orders go in through {@link #submit(String)}, and {@code count} threads named
 * {@code orders-worker-N} take them out and call {@link OrderService#process(Order)}. Thread-safe.
 */
public final class Workers implements AutoCloseable {
    /** More than this many queued orders is refused rather than letting the heap grow. */
    static final int CAPACITY = 10_000;

    private final OrderService service;
    private final BlockingQueue<Order> queue = new LinkedBlockingQueue<>(CAPACITY);
    private final List<Thread> threads = new ArrayList<>();

    public Workers(OrderService service, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("at least one worker is needed, was " + count);
        }
        this.service = service;
        for (int i = 1; i <= count; i++) {
            Thread t = new Thread(this::work, "orders-worker-" + i);
            t.setDaemon(true);
            threads.add(t);
        }
    }

    /** Starts the worker threads. */
    public Workers start() {
        threads.forEach(Thread::start);
        return this;
    }

    /**
     * Takes an order and queues it.
     *
     * @return the order, never null
     * @throws IllegalStateException if the queue is full
     */
    public Order submit(String item) {
        Order order = service.take(item);
        if (!queue.offer(order)) {
            throw new IllegalStateException("the order queue is full (" + CAPACITY + " orders)");
        }
        return order;
    }

    /** Orders waiting for a worker. */
    public int queued() {
        return queue.size();
    }

    public OrderService service() {
        return service;
    }

    private void work() {
        try {
            while (true) {
                service.process(queue.take());
            }
        } catch (InterruptedException e) {
            // The service is stopping: leave the loop with the flag restored.
            Thread.currentThread().interrupt();
        }
    }

    /** Interrupts the workers; orders still queued are dropped. */
    @Override
    public void close() {
        threads.forEach(Thread::interrupt);
    }
}
