package io.hbwatch.agent.probe;

import io.hbwatch.agent.config.Values;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One probe asked for with {@code watch=CLASS#METHOD@DEADLINE}: every method of that name declared
 * by that class (all overloads, static or not) is tracked, and a call older than the deadline is a
 * stall. Immutable; holds no reference to Byte Buddy, so the option can be parsed without loading
 * it.
 */
public final class ProbeSpec {
    private static final String FORM = "CLASS#METHOD@DEADLINE like com.acme.Shop#checkout@2s";

    private final String className;
    private final String methodName;
    private final long deadlineMs;

    public ProbeSpec(String className, String methodName, long deadlineMs) {
        this.className = Objects.requireNonNull(className);
        this.methodName = Objects.requireNonNull(methodName);
        this.deadlineMs = deadlineMs;
    }

    /**
     * Parses the {@code watch} option: one or more {@code CLASS#METHOD@DEADLINE} separated by
     * {@code ;}. The class is a binary name ({@code com.acme.Outer$Inner}); the deadline a duration
     * from 1ms to 24h.
     *
     * @return the probes in the order given, never empty
     * @throws IllegalArgumentException naming the first part that is wrong
     */
    public static List<ProbeSpec> parseAll(String text) {
        List<ProbeSpec> specs = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (String part : text.split(";", -1)) {
            if (part.trim().isEmpty()) {
                continue;
            }
            ProbeSpec spec = parse(part.trim());
            if (!seen.add(spec.target())) {
                throw new IllegalArgumentException("names " + spec.target() + " twice");
            }
            specs.add(spec);
        }
        if (specs.isEmpty()) {
            throw new IllegalArgumentException("names no probe: write " + FORM);
        }
        return Collections.unmodifiableList(specs);
    }

    /** Parses one {@code CLASS#METHOD@DEADLINE}. */
    public static ProbeSpec parse(String text) {
        int hash = text.indexOf('#');
        int at = text.lastIndexOf('@');
        if (hash <= 0 || at < hash + 2 || at == text.length() - 1) {
            throw new IllegalArgumentException("has '" + text + "', which is not " + FORM);
        }
        String cls = text.substring(0, hash).trim();
        String method = text.substring(hash + 1, at).trim();
        if (!isBinaryName(cls)) {
            throw new IllegalArgumentException("has '" + cls + "', which is not a class name like com.acme.Shop");
        }
        if (!isIdentifier(method)) {
            throw new IllegalArgumentException("has '" + method + "', which is not a method name like checkout");
        }
        long ms;
        try {
            ms = Values.durationMs(text.substring(at + 1));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "has deadline '" + text.substring(at + 1) + "', which is not a duration like 500ms or 2s");
        }
        if (ms < 1 || ms > 86_400_000L) {
            throw new IllegalArgumentException(
                    "has deadline '" + text.substring(at + 1) + "': it must lie between 1ms and 24h");
        }
        return new ProbeSpec(cls, method, ms);
    }

    private static boolean isBinaryName(String s) {
        if (s.isEmpty() || s.startsWith(".") || s.endsWith(".") || s.contains("..")) {
            return false;
        }
        for (String part : s.split("\\.")) {
            if (!isIdentifier(part)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isIdentifier(String s) {
        if (s.isEmpty() || !Character.isJavaIdentifierStart(s.charAt(0))) {
            return false;
        }
        for (int i = 1; i < s.length(); i++) {
            if (!Character.isJavaIdentifierPart(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** The class's binary name, {@code com.acme.Shop}. */
    public String className() {
        return className;
    }

    public String methodName() {
        return methodName;
    }

    /** A call older than this many milliseconds is a stall. */
    public long deadlineMs() {
        return deadlineMs;
    }

    /** {@code CLASS#METHOD}: the probe's name in beats, details and its MBean. */
    public String target() {
        return className + "#" + methodName;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProbeSpec
                && ((ProbeSpec) o).target().equals(target())
                && ((ProbeSpec) o).deadlineMs == deadlineMs;
    }

    @Override
    public int hashCode() {
        return target().hashCode() * 31 + Long.hashCode(deadlineMs);
    }

    /** As written in the option: {@code CLASS#METHOD@DEADLINE}. */
    @Override
    public String toString() {
        return target() + "@" + Values.formatMs(deadlineMs);
    }
}
