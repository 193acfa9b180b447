package io.hbwatch.agent.vthread;

import java.lang.reflect.Method;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.AbstractOwnableSynchronizer;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * Walks the JDK's thread containers ({@code jdk.internal.vm.ThreadContainers}, Java 21 and later),
 * which hold every virtual thread, and reads what each waits for. Loaded by {@link
 * VirtualDeadlocks} in a class loader of its own, to whose module alone {@code java.base} opens
 * {@code jdk.internal.vm} and {@code java.util.concurrent.locks}: nothing is opened to the
 * application. Refers to no type of Java 21, so that it compiles for Java 11.
 */
public final class ContainerWalk implements Waits {
    private final Method root;
    private final Method threads;
    private final Method children;
    private final Method isVirtual;
    private final Method owner;
    private int seen;
    private int counting;

    public ContainerWalk() throws ReflectiveOperationException {
        Class<?> containers = Class.forName("jdk.internal.vm.ThreadContainers");
        Class<?> container = Class.forName("jdk.internal.vm.ThreadContainer");
        root = containers.getMethod("root");
        threads = container.getMethod("threads");
        children = container.getMethod("children");
        isVirtual = Thread.class.getMethod("isVirtual");
        owner = AbstractOwnableSynchronizer.class.getDeclaredMethod("getExclusiveOwnerThread");
        root.setAccessible(true);
        threads.setAccessible(true);
        children.setAccessible(true);
        owner.setAccessible(true);
    }

    @Override
    public int collect(Map<Long, Long> waitsFor, Map<Long, String> names, Set<Long> virtualIds) {
        counting = 0;
        try {
            return walk(root.invoke(null), waitsFor, names, virtualIds, 0);
        } catch (ReflectiveOperationException e) {
            return 0;
        } finally {
            seen = counting;
        }
    }

    @Override
    public int virtualThreads() {
        return seen;
    }

    private int walk(
            Object container, Map<Long, Long> waitsFor, Map<Long, String> names, Set<Long> virtualIds, int depth)
            throws ReflectiveOperationException {
        int blocked = 0;
        try (Stream<?> ts = (Stream<?>) threads.invoke(container)) {
            for (Iterator<?> it = ts.iterator(); it.hasNext(); ) {
                Thread t = (Thread) it.next();
                if (!(Boolean) isVirtual.invoke(t)) {
                    continue;
                }
                counting++;
                Thread.State state = t.getState();
                if (state == Thread.State.BLOCKED) {
                    blocked++;
                } else if (state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING) {
                    Object blocker = LockSupport.getBlocker(t);
                    if (blocker instanceof AbstractOwnableSynchronizer) {
                        Thread by = (Thread) owner.invoke(blocker);
                        if (by != null && by != t) {
                            waitsFor.put(t.getId(), by.getId());
                            names.put(t.getId(), t.getName());
                            names.put(by.getId(), by.getName());
                            virtualIds.add(t.getId());
                            if ((Boolean) isVirtual.invoke(by)) {
                                virtualIds.add(by.getId());
                            }
                        }
                    }
                }
            }
        }
        if (depth < 16) {
            try (Stream<?> cs = (Stream<?>) children.invoke(container)) {
                for (Iterator<?> it = cs.iterator(); it.hasNext(); ) {
                    blocked += walk(it.next(), waitsFor, names, virtualIds, depth + 1);
                }
            }
        }
        return blocked;
    }
}
