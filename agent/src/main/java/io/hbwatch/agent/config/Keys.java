package io.hbwatch.agent.config;

import io.hbwatch.agent.probe.ProbeSpec;
import io.hbwatch.agent.watchdog.Action;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every option the agent takes. The same names serve as {@code -javaagent:hb-agent.jar=key=value},
 * as {@code --key value} in standalone mode and as lines of a {@code config=FILE} properties file.
 * Each key's default and a comment on it stand in {@code defaults.properties} beside this class;
 * a test checks that the two agree.
 */
public final class Keys {
    private static final Map<String, Key<?>> ALL = new LinkedHashMap<>();

    /** Heartbeat TCP port; 0 picks a free one. */
    public static final Key<Integer> PORT = add("port", Parsers.PORT);
    /** Heartbeat bind address. */
    public static final Key<String> HOST = add("host", Parsers.TEXT);
    /** Time between beats, in milliseconds. */
    public static final Key<Long> INTERVAL = add("interval", Values.durationMs(10, 3_600_000));
    /** Jolokia HTTP endpoint, or empty for {@code off}. */
    public static final Key<Optional<HostPort>> JOLOKIA = add("jolokia", Parsers.HOST_PORT_OR_OFF);
    /**
     * A Jolokia policy file ({@code jolokia-access.xml} format) that replaces the built-in one;
     * unset by default: the built-in policy (read {@code hbwatch:*} and {@code java.lang:*}, exec
     * only {@code hbwatch:type=Heartbeat} {@code ping}) applies.
     */
    public static final Key<Path> JOLOKIA_POLICY = add("jolokiaPolicy", Parsers.PATH);
    /** User name Jolokia's HTTP basic authentication requires; unset by default (no authentication). */
    public static final Key<String> JOLOKIA_USER = add("jolokiaUser", Parsers.TEXT);
    /** Password for {@link #JOLOKIA_USER}, given inline (visible in {@code ps}: prefer the file). */
    public static final Key<String> JOLOKIA_PASSWORD = add("jolokiaPassword", Parsers.TEXT);
    /** A file whose first line is the password for {@link #JOLOKIA_USER}. */
    public static final Key<Path> JOLOKIA_PASSWORD_FILE = add("jolokiaPasswordFile", Parsers.PATH);
    /**
     * A key store (PKCS12 or JKS) with the server's key and certificate: Jolokia then speaks HTTPS
     * only. Unset by default (plain HTTP, meant for loopback).
     */
    public static final Key<Path> JOLOKIA_KEYSTORE = add("jolokiaKeystore", Parsers.PATH);
    /** Password of {@link #JOLOKIA_KEYSTORE} (and of its key). */
    public static final Key<String> JOLOKIA_KEYSTORE_PASSWORD = add("jolokiaKeystorePassword", Parsers.TEXT);
    /** Threads serving Jolokia requests at most; idle ones end after a minute. */
    public static final Key<Integer> JOLOKIA_THREADS = add("jolokiaThreads", Values.integer(1, 64));
    /**
     * Longest a Jolokia exchange may take (ms), from reading its request to writing its answer; a
     * slower client is cut off.
     */
    public static final Key<Long> JOLOKIA_TIMEOUT = add("jolokiaTimeout", Values.durationMs(100, 3_600_000));
    /** Most requests of one bulk POST that Jolokia runs; the rest are answered with an error each. */
    public static final Key<Integer> JOLOKIA_MAX_BULK = add("jolokiaMaxBulk", Values.integer(1, 10_000));
    /**
     * Most bytes of JSON one HTTP request may make Jolokia build: requests past it are answered
     * with an error each instead of being run.
     */
    public static final Key<Integer> JOLOKIA_MAX_ANSWER =
            add("jolokiaMaxAnswer", Values.bytes(16 * 1024, 256 * 1024 * 1024));
    /**
     * Bytes Jolokia's workers may allocate per second, summed, for requests past their first
     * megabyte: the work a client can make the host do, and so the heap it can make it touch.
     */
    public static final Key<Integer> JOLOKIA_WORK_RATE =
            add("jolokiaWorkRate", Values.bytes(1024 * 1024, 1024 * 1024 * 1024));
    /**
     * The registry directory where the agent says who it is, for {@code monitor-cli pid:PID} and
     * {@code --local}: {@code on} ({@code /tmp/hbwatch_<user>}), {@code off}, or a directory.
     */
    public static final Key<Optional<Path>> REGISTRY = add("registry", Parsers.REGISTRY);
    /** Where to write {@code {"heartbeat":N,"jolokia":M}} once listening; unset by default. */
    public static final Key<Path> PORT_FILE = add("portFile", Parsers.PATH);
    /** Most heartbeat subscribers served at once; further connections are refused with an error line. */
    public static final Key<Integer> MAX_SUBSCRIBERS = add("maxSubscribers", Values.integer(1, 10_000));
    /**
     * Most connections waiting for their first line at once (half-open), counted within {@link
     * #MAX_SUBSCRIBERS}; further connections are refused with an error line.
     */
    public static final Key<Integer> MAX_PENDING = add("maxPending", Values.integer(1, 10_000));
    /** How long a new connection may take to send its first line before it gets the default subject. */
    public static final Key<Long> FIRST_LINE_TIMEOUT = add("firstLineTimeout", Values.durationMs(10, 10_000));
    /** Beats kept for a subscriber the socket has not taken yet, in bytes; one that lets it fill is dropped. */
    public static final Key<Integer> SUBSCRIBER_BUFFER =
            add("subscriberBuffer", Values.bytes(io.hbwatch.protocol.Protocol.MAX_LINE_BYTES, 1024 * 1024));
    /**
     * Shared secret with which every beat is signed (HMAC-SHA256, {@code docs/PROTOCOL.md}); unset:
     * beats are not signed. Visible to anyone who can list processes: prefer {@link #SECRET_FILE}.
     */
    public static final Key<Secret> SECRET = add("secret", Parsers.SECRET_TEXT, true);
    /** A file holding the shared secret (trailing line breaks ignored); wins over {@link #SECRET}. */
    public static final Key<Secret> SECRET_FILE = add("secretFile", Parsers.SECRET_FILE);
    /** Byte Buddy probes, {@code CLASS#METHOD@DEADLINE} separated by {@code ;}; unset by default. */
    public static final Key<List<ProbeSpec>> WATCH = add("watch", Parsers.PROBES);
    /** A pause of the JVM at least this long (ms) turns the beat DEGRADED; 0 for {@code off}. */
    public static final Key<Long> PAUSE_WARN = add("pauseWarn", Parsers.offOr(Values.durationMs(10, 3_600_000)));
    /**
     * How long (ms) the beat thread sleeps at most, beats or not, so that it measures pauses by its
     * lateness to within this much (or the interval, when shorter); each extra wake-up costs the
     * host a little CPU.
     */
    public static final Key<Long> PAUSE_RESOLUTION = add("pauseResolution", Values.durationMs(1, 60_000));
    /** Time (ms) between two deadlock checks; 0 for {@code off}. */
    public static final Key<Long> DEADLOCK_CHECK =
            add("deadlockCheck", Parsers.offOr(Values.durationMs(100, 3_600_000)));
    /** What to do when a deadlock first appears: {@code log}, {@code dump} or {@code exit=CODE}. */
    public static final Key<Action> ON_DEADLOCK = add("onDeadlock", Parsers.ACTION);
    /** What to do when a probed call first passes its deadline: {@code log}, {@code dump} or {@code exit=CODE}. */
    public static final Key<Action> ON_STALL = add("onStall", Parsers.ACTION);
    /**
     * Dead man's switches, {@code CLASS#METHOD@WINDOW} separated by {@code ;}: DEGRADED, reason
     * {@code progress}, when no call of the method has completed within the window. Unset by default.
     */
    public static final Key<List<ProbeSpec>> EXPECT = add("expect", Parsers.PROBES);
    /** Share of {@link #GC_WINDOW} spent in garbage collection that is a GC spiral (reason {@code gc}); 0 for {@code off}. */
    public static final Key<Integer> GC_WARN = add("gcWarn", Parsers.percentOrOff());
    /** The window (ms) over which the share of time in garbage collection is measured. */
    public static final Key<Long> GC_WINDOW = add("gcWindow", Values.durationMs(1_000, 600_000));
    /** A memory pool this full after collection (or of its limit) is reason {@code heap}; 0 for {@code off}. */
    public static final Key<Integer> HEAP_WARN = add("heapWarn", Parsers.percentOrOff());
    /** How long (ms) the beat stays DEGRADED, reason {@code oom}, after the last {@code OutOfMemoryError}. */
    public static final Key<Long> OOM_HOLD = add("oomHold", Values.durationMs(1_000, 86_400_000));
    /** Open file descriptors, as a share of the limit, that are reason {@code fds}; 0 for {@code off}. */
    public static final Key<Integer> FDS_WARN = add("fdsWarn", Parsers.percentOrOff());
    /** Threads, as a share of a limit, that are reason {@code threads}; 0 for {@code off}. */
    public static final Key<Integer> THREADS_WARN = add("threadsWarn", Parsers.percentOrOff());
    /** Share of the cgroup's CPU periods throttled by its quota that is reason {@code throttled}; 0 for {@code off}. */
    public static final Key<Integer> THROTTLED_WARN = add("throttledWarn", Parsers.percentOrOff());
    /** The window (ms) over which throttling is measured. */
    public static final Key<Long> THROTTLED_WINDOW = add("throttledWindow", Values.durationMs(1_000, 600_000));
    /**
     * How long (ms) every carrier thread may stay taken while virtual threads wait to run before
     * it is reason {@code carriers} (Java 24 and later); 0 for {@code off}.
     */
    public static final Key<Long> CARRIERS_WARN = add("carriersWarn", Parsers.offOr(Values.durationMs(100, 3_600_000)));
    /** How often (ms) the watchdog reads the slower figures: descriptors, threads, cgroup, direct buffers. */
    public static final Key<Long> RESOURCE_CHECK = add("resourceCheck", Values.durationMs(100, 60_000));
    /** What to do when a {@code gc} finding first appears: {@code log}, {@code dump}, {@code heapdump} or {@code exit=CODE}. */
    public static final Key<Action> ON_GC = add("onGc", Parsers.ACTION);
    /** What to do when an {@code OutOfMemoryError} is first seen: {@code log}, {@code dump}, {@code heapdump} or {@code exit=CODE}. */
    public static final Key<Action> ON_OOM = add("onOom", Parsers.ACTION);
    /** Directory of the thread dumps that {@code dump} writes; unset: the JVM's temporary directory. */
    public static final Key<Path> DUMP_DIR = add("dumpDir", Parsers.PATH);
    /** Debug lines on stderr. */
    public static final Key<Boolean> DEBUG = add("debug", Parsers.BOOL);
    /** Each {@code hbwatch:} line starts with the time, ISO-8601 with the offset (for hosts that log stderr bare). */
    public static final Key<Boolean> TIMESTAMPS = add("timestamps", Parsers.BOOL);

    /**
     * A properties file with more options; read before the other options are applied, so that
     * options given directly win.
     */
    public static final String CONFIG = "config";

    private Keys() {}

    private static <T> Key<T> add(String name, Key.Parser<T> parser) {
        return add(name, parser, false);
    }

    private static <T> Key<T> add(String name, Key.Parser<T> parser, boolean hidden) {
        Key<T> key = new Key<>(name, parser, hidden);
        ALL.put(name, key);
        return key;
    }

    /** Every key by name, in declaration order. */
    public static Map<String, Key<?>> all() {
        return Collections.unmodifiableMap(ALL);
    }

    /** Returns the key of that name, or {@code null}. */
    public static Key<?> byName(String name) {
        return ALL.get(name);
    }
}
