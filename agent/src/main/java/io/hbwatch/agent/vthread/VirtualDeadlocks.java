package io.hbwatch.agent.vthread;

import io.hbwatch.agent.health.Finding;
import io.hbwatch.agent.health.Health;
import io.hbwatch.agent.util.Log;
import io.hbwatch.agent.util.Words;
import io.hbwatch.protocol.JsonParser;
import io.hbwatch.protocol.Reason;
import io.hbwatch.protocol.Status;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Deadlock cycles that involve virtual threads (reason {@code deadlock}), which {@link
 * java.lang.management.ThreadMXBean#findDeadlockedThreads()} skips by design. Java 21 and later,
 * with {@code -javaagent} or {@code attach} (it needs the agent's {@link Instrumentation}):
 *
 * <ul>
 *   <li><b>{@code java.util.concurrent} locks</b> ({@code ReentrantLock}, the write lock of {@code
 *       ReentrantReadWriteLock}): every check walks the JDK's thread containers, which hold every
 *       virtual thread, and reads the lock each waits on ({@code LockSupport.getBlocker}) and its
 *       owner. For that, {@code java.base} opens {@code jdk.internal.vm} and {@code
 *       java.util.concurrent.locks} to one helper class ({@link ContainerWalk}) that the agent
 *       defines in a class loader of its own: the application's module is opened to nothing.
 *   <li><b>Monitors</b> ({@code synchronized}): the Thread API does not say which monitor a virtual
 *       thread is blocked on, so when two checks in a row find virtual threads {@code BLOCKED}, the
 *       agent writes the JDK's JSON thread dump ({@code HotSpotDiagnosticMXBean.dumpThreads}, which
 *       names each thread's {@code blockedOn} and {@code monitorsOwned} on Java 24 and later) to a
 *       temporary file, reads it and deletes it. Its cost grows with the number of threads.
 * </ul>
 *
 * <p>A cycle is reported when it has at least one virtual thread (cycles of platform threads only
 * are {@code DeadlockCheck}'s); waits on platform threads' locks come from the ThreadMXBean.
 * Runs on the deadlock check's thread, every {@code deadlockCheck}.
 *
 * <p>Thread-safe: one thread checks; the beat thread reads a volatile field.
 */
public final class VirtualDeadlocks implements Health.Check {
    private static final int MAX_IN_DETAIL = 4;
    /** How deep the JDK's JSON thread dump nests: dump, containers, threads, monitors, locks. */
    private static final int DUMP_DEPTH = 16;

    private final Waits walk;
    private int blockedBefore;
    private volatile boolean virtualThreadsSeen;
    private Set<Long> lastCycle = Collections.emptySet();
    private volatile Finding finding;

    private VirtualDeadlocks(Waits walk) {
        this.walk = walk;
    }

    /** The check, or null before Java 21, without instrumentation, or when the JDK refuses (said in one line). */
    public static VirtualDeadlocks start(Instrumentation inst) {
        if (inst == null || Runtime.version().feature() < 21) {
            return null;
        }
        try {
            Isolated loader = new Isolated(VirtualDeadlocks.class.getClassLoader());
            Class<?> type = loader.loadClass(ContainerWalk.class.getName());
            Module walkModule = type.getModule();
            Module base = Object.class.getModule();
            Map<String, Set<Module>> opens = new HashMap<>();
            opens.put("jdk.internal.vm", Collections.singleton(walkModule));
            opens.put("java.util.concurrent.locks", Collections.singleton(walkModule));
            inst.redefineModule(
                    base,
                    Collections.<Module>emptySet(),
                    Collections.<String, Set<Module>>emptyMap(),
                    opens,
                    Collections.<Class<?>>emptySet(),
                    Collections.<Class<?>, List<Class<?>>>emptyMap());
            return new VirtualDeadlocks((Waits) type.getConstructor().newInstance());
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            Log.warn("virtual threads: deadlocks among them are not looked for: " + Log.describe(e));
            return null;
        }
    }

    /** One check, on the deadlock check's thread. */
    public void check() {
        Map<Long, Long> waitsFor = new HashMap<>();
        Map<Long, String> names = new HashMap<>();
        Set<Long> virtual = new HashSet<>();
        int blocked = walk.collect(waitsFor, names, virtual);
        if (walk.virtualThreads() > 0) {
            virtualThreadsSeen = true;
        }
        if (blocked > 0 && blockedBefore > 0) {
            monitors(waitsFor, names, virtual);
        }
        blockedBefore = blocked;
        if (!waitsFor.isEmpty()) {
            platformWaits(waitsFor, names);
        }
        Set<Long> cycle = cycle(waitsFor, virtual);
        if (cycle.isEmpty()) {
            lastCycle = cycle;
            finding = null;
            return;
        }
        List<String> who = new ArrayList<>();
        for (long id : cycle) {
            who.add(Words.clip(String.valueOf(names.get(id)), 80));
        }
        Collections.sort(who);
        String detail =
                cycle.size() + " threads deadlocked, virtual ones among them: " + Words.quoted(who, MAX_IN_DETAIL);
        if (!cycle.equals(lastCycle)) {
            Log.warn("deadlock: " + detail);
        }
        lastCycle = cycle;
        Finding old = finding;
        finding = old != null && detail.equals(old.detail())
                ? old
                : new Finding(Status.DEGRADED, Reason.DEADLOCK, detail);
    }

    @Override
    public Finding current() {
        return finding;
    }

    /**
     * Whether the application has started a virtual thread (seen by a check): until then nothing
     * of the JDK's virtual-thread machinery is touched, since starting it starts JDK threads too.
     */
    public boolean virtualThreadsSeen() {
        return virtualThreadsSeen;
    }

    /** Edges of platform threads that wait on a lock, so that a cycle through one is closed too. */
    private static void platformWaits(Map<Long, Long> waitsFor, Map<Long, String> names) {
        java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        for (java.lang.management.ThreadInfo info : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (info != null && info.getLockOwnerId() >= 0 && !waitsFor.containsKey(info.getThreadId())) {
                waitsFor.put(info.getThreadId(), info.getLockOwnerId());
                names.put(info.getThreadId(), info.getThreadName());
            }
        }
    }

    /** Adds the monitors' edges from the JDK's JSON thread dump. */
    private static void monitors(Map<Long, Long> waitsFor, Map<Long, String> names, Set<Long> virtual) {
        Path file = null;
        try {
            file = Files.createTempDirectory("hbwatch-threads").resolve("dump.json");
            com.sun.management.HotSpotDiagnosticMXBean hs =
                    ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            // Through the exported interface: its implementation's package is not open to us.
            Method dump = com.sun.management.HotSpotDiagnosticMXBean.class.getMethod(
                    "dumpThreads", String.class, formatClass());
            dump.invoke(hs, file.toString(), jsonFormat());
            Map<String, Object> doc =
                    JsonParser.parseObject(new String(Files.readAllBytes(file), StandardCharsets.UTF_8), DUMP_DEPTH);
            Map<String, Long> owners = new HashMap<>();
            List<Map<String, Object>> threads = threads(doc);
            for (Map<String, Object> t : threads) {
                for (Object owned : list(t.get("monitorsOwned"))) {
                    for (Object lock : list(owned instanceof Map ? ((Map<?, ?>) owned).get("locks") : null)) {
                        owners.put(String.valueOf(lock), id(t));
                    }
                }
            }
            for (Map<String, Object> t : threads) {
                Object on = t.get("blockedOn");
                Long owner = on == null ? null : owners.get(String.valueOf(on));
                long id = id(t);
                if (owner != null && owner != id) {
                    waitsFor.put(id, owner);
                    names.put(id, String.valueOf(t.get("name")));
                    if (Boolean.TRUE.equals(t.get("virtual"))) {
                        virtual.add(id);
                    }
                }
            }
        } catch (Exception | LinkageError e) {
            Log.debug("virtual threads: no thread dump: " + Log.describe(e));
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                    Files.deleteIfExists(file.getParent());
                } catch (IOException e) {
                    // a temporary file left: nothing worse
                }
            }
        }
    }

    private static Class<?> formatClass() throws ClassNotFoundException {
        return Class.forName("com.sun.management.HotSpotDiagnosticMXBean$ThreadDumpFormat");
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object jsonFormat() throws ClassNotFoundException {
        return Enum.valueOf((Class) formatClass(), "JSON");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> threads(Map<String, Object> doc) {
        List<Map<String, Object>> out = new ArrayList<>();
        Object dump = doc.get("threadDump");
        if (!(dump instanceof Map)) {
            return out;
        }
        for (Object c : list(((Map<?, ?>) dump).get("threadContainers"))) {
            if (c instanceof Map) {
                for (Object t : list(((Map<?, ?>) c).get("threads"))) {
                    if (t instanceof Map) {
                        out.add((Map<String, Object>) t);
                    }
                }
            }
        }
        return out;
    }

    private static List<?> list(Object o) {
        return o instanceof List ? (List<?>) o : Collections.emptyList();
    }

    private static long id(Map<String, Object> t) {
        try {
            return Long.parseLong(String.valueOf(t.get("tid")));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The first cycle found that has a virtual thread, its ids in order; empty when none. */
    static Set<Long> cycle(Map<Long, Long> waitsFor, Set<Long> virtual) {
        for (Long start : new TreeSet<>(waitsFor.keySet())) {
            Set<Long> path = new LinkedHashSet<>();
            Long at = start;
            while (at != null && path.add(at)) {
                at = waitsFor.get(at);
            }
            if (at == null) {
                continue;
            }
            // at is where the walk came back: the cycle is the path from there on
            Set<Long> cycle = new TreeSet<>();
            boolean in = false;
            for (Long id : path) {
                in |= id.equals(at);
                if (in) {
                    cycle.add(id);
                }
            }
            for (Long id : cycle) {
                if (virtual.contains(id)) {
                    return cycle;
                }
            }
        }
        return Collections.emptySet();
    }

    /**
     * Defines {@link ContainerWalk} itself, from the agent jar's bytes, and leaves every other
     * class to the agent's loader: the helper gets an unnamed module of its own.
     */
    private static final class Isolated extends ClassLoader {
        Isolated(ClassLoader parent) {
            super(parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.equals(ContainerWalk.class.getName())) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    byte[] bytes;
                    try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
                        if (in == null) {
                            throw new ClassNotFoundException(name);
                        }
                        bytes = in.readAllBytes();
                    } catch (IOException e) {
                        throw new ClassNotFoundException(name, e);
                    }
                    c = defineClass(name, bytes, 0, bytes.length);
                }
                return c;
            }
        }
    }
}
