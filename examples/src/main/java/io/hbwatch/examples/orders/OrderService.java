package io.hbwatch.examples.orders;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The business logic: {@link #process(Order)} is the method worth probing with
 * {@code watch=io.hbwatch.examples.orders.OrderService#process@2s}. Normally it takes a few
 * milliseconds; {@link #hangNext(long)} makes the next call hang, which is what a call blocked on a
 * dead socket or a lost lock looks like from outside. Thread-safe.
 */
public class OrderService {
    /** How long a normal order takes, in milliseconds: enough to show up in a probe's figures. */
    static final long WORK_MS = 5;

    private final Map<Long, Order> orders = new ConcurrentSkipListMap<>();
    private final AtomicLong nextId = new AtomicLong(1);
    private final AtomicLong processed = new AtomicLong();
    /** Milliseconds the next {@link #process} call hangs for; 0 means it does not. */
    private final AtomicLong pendingHangMs = new AtomicLong();

    /** Takes an order; the caller queues it for a worker. Never null. */
    public Order take(String item) {
        Order order = new Order(nextId.getAndIncrement(), item, System.currentTimeMillis());
        orders.put(order.id(), order);
        return order;
    }

    /**
     * Processes one order on the calling worker thread. Returns when the order is done; blocks for
     * the armed time if {@link #hangNext(long)} was called before.
     *
     * @throws InterruptedException if the worker is interrupted (the service is stopping)
     */
    public void process(Order order) throws InterruptedException {
        order.state(Order.State.PROCESSING);
        long hangMs = pendingHangMs.getAndSet(0);
        TimeUnit.MILLISECONDS.sleep(hangMs > 0 ? hangMs : WORK_MS);
        order.state(Order.State.DONE);
        processed.incrementAndGet();
    }

    /** Makes the next {@link #process} call, on whichever worker takes it, hang for {@code ms}. */
    public void hangNext(long ms) {
        if (ms <= 0) {
            throw new IllegalArgumentException("hang time must be positive, was " + ms + " ms");
        }
        pendingHangMs.set(ms);
    }

    /** The most recent orders, oldest first, at most {@code limit} of them. */
    public List<Order> recent(int limit) {
        List<Order> all = new ArrayList<>(orders.values());
        return all.subList(Math.max(0, all.size() - limit), all.size());
    }

    /** Orders processed since start. */
    public long processed() {
        return processed.get();
    }

    /** Orders taken since start. */
    public long taken() {
        return nextId.get() - 1;
    }
}
