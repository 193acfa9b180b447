package io.hbwatch.examples.orders;

/**
 * One order: an id, what was ordered, and where it is in its life. Thread-safe: the state is
 * volatile, everything else is final.
 */
public final class Order {
    /** Where an order is: waiting in the queue, being processed, or done. */
    public enum State {
        QUEUED,
        PROCESSING,
        DONE
    }

    private final long id;
    private final String item;
    private final long createdMillis;
    private volatile State state = State.QUEUED;

    public Order(long id, String item, long createdMillis) {
        this.id = id;
        this.item = item;
        this.createdMillis = createdMillis;
    }

    public long id() {
        return id;
    }

    public String item() {
        return item;
    }

    /** Epoch milliseconds when the order was taken. */
    public long createdMillis() {
        return createdMillis;
    }

    public State state() {
        return state;
    }

    void state(State state) {
        this.state = state;
    }
}
