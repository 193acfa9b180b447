package io.hbwatch.agent.vthread;

import java.util.Map;

/**
 * Who waits for whom among the JVM's threads, virtual ones included: what {@link ContainerWalk}
 * reports from its own class loader (see {@link VirtualDeadlocks}). Implementations are called on
 * one thread at a time.
 */
public interface Waits {
    /**
     * Adds an edge {@code waiter -> owner} (thread ids) for every virtual thread parked on a lock
     * that another thread owns ({@code ReentrantLock}, the write lock of a {@code
     * ReentrantReadWriteLock}: an {@code AbstractOwnableSynchronizer}), and the names of the threads
     * involved.
     *
     * @param virtualIds receives the ids of every virtual thread seen in an edge
     * @return how many virtual threads are blocked on a monitor ({@code BLOCKED}), whose owners
     *     only a thread dump tells
     */
    int collect(Map<Long, Long> waitsFor, Map<Long, String> names, java.util.Set<Long> virtualIds);

    /** How many virtual threads the last {@link #collect} saw: 0 until the application starts one. */
    int virtualThreads();
}
