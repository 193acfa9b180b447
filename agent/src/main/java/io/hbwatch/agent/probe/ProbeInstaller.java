package io.hbwatch.agent.probe;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isNative;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.none;
import static net.bytebuddy.matcher.ElementMatchers.not;

import io.hbwatch.agent.util.Log;
import java.lang.instrument.Instrumentation;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.loading.ClassInjector;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.utility.JavaModule;

/**
 * Applies {@link ProbeAdvice} with Byte Buddy. The only class besides the advice that refers to
 * Byte Buddy: the JVM loads Byte Buddy when this class first runs, that is, only when a probe is
 * asked for.
 */
final class ProbeInstaller {
    private ProbeInstaller() {}

    /** Instruments the probes' classes, already loaded (retransformation) and to come. */
    static void install(Instrumentation inst, List<Probe> probes) {
        Map<String, List<Probe>> byClass = new HashMap<>();
        for (Probe p : probes) {
            byClass.computeIfAbsent(p.spec.className(), k -> new java.util.ArrayList<>())
                    .add(p);
        }
        avoidUnsafe();
        AgentBuilder builder = new AgentBuilder.Default()
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
                .with(AgentBuilder.TypeStrategy.Default.DECORATE)
                .with(new Failures(byClass))
                // Match boot classes too, so that a probe on one says why it cannot work.
                .ignore(none())
                .assureReadEdgeTo(inst, ProbeCalls.class);
        for (Map.Entry<String, List<Probe>> e : byClass.entrySet()) {
            List<Probe> forClass = e.getValue();
            builder = builder.type(named(e.getKey()))
                    .transform((b, type, loader, module, domain) -> apply(b, type, loader, forClass));
        }
        builder.installOn(inst);
    }

    /**
     * On Java 24 and later, keeps Byte Buddy from {@code sun.misc.Unsafe}, whose first use prints
     * four {@code WARNING:} lines into the host's stderr: {@code new AgentBuilder.Default()} loads
     * its class injectors, and these probe for Unsafe unless Byte Buddy's {@code safe} property is
     * set. The probes need no injection ({@code disableClassFormatChanges}, no initialization
     * strategy), so they work the same without it. In the agent jar the property is the relocated
     * {@code io.hbwatch.shaded.bytebuddy.safe}, which only the agent's own copy reads; one the user
     * set is left alone.
     */
    static void avoidUnsafe() {
        if (Runtime.version().feature() >= 24 && System.getProperty(ClassInjector.UsingUnsafe.SAFE_PROPERTY) == null) {
            System.setProperty(ClassInjector.UsingUnsafe.SAFE_PROPERTY, "true");
        }
    }

    private static DynamicType.Builder<?> apply(
            DynamicType.Builder<?> builder, TypeDescription type, ClassLoader loader, List<Probe> probes) {
        String where = describe(loader);
        if (!seesAgent(loader)) {
            for (Probe p : probes) {
                p.problem("not instrumented: " + type.getName() + " in " + where + " cannot see the agent's classes");
            }
            return builder;
        }
        for (Probe p : probes) {
            ElementMatcher.Junction<MethodDescription> methods =
                    named(p.spec.methodName()).and(not(isAbstract())).and(not(isNative()));
            int count = type.getDeclaredMethods().filter(methods).size();
            if (count == 0) {
                p.problem("not instrumented: " + type.getName() + " declares no method " + p.spec.methodName()
                        + " with a body");
                continue;
            }
            builder = builder.visit(Advice.withCustomMapping()
                    .bind(ProbeAdvice.Id.class, p.id)
                    .to(ProbeAdvice.class)
                    .on(methods));
            p.instrumented(count + (count == 1 ? " method" : " methods") + " of " + type.getName() + " in " + where);
            Log.debug("watch: " + p.spec.target() + " instrumented in " + where);
        }
        return builder;
    }

    /** {@code the boot class loader}, {@code class loader 'app'}, or the loader's class for unnamed ones. */
    private static String describe(ClassLoader loader) {
        if (loader == null) {
            return "the boot class loader";
        }
        return loader.getName() != null
                ? "class loader '" + loader.getName() + "'"
                : "a " + loader.getClass().getName();
    }

    /** Whether code in a class of {@code loader} resolves {@link ProbeCalls} to the agent's own. */
    private static boolean seesAgent(ClassLoader loader) {
        if (loader == null) {
            return false;
        }
        try {
            return Class.forName(ProbeCalls.class.getName(), false, loader) == ProbeCalls.class;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** Records transformation errors on the probes of the class concerned. */
    private static final class Failures extends AgentBuilder.Listener.Adapter {
        private final Map<String, List<Probe>> byClass;

        Failures(Map<String, List<Probe>> byClass) {
            this.byClass = byClass;
        }

        @Override
        public void onError(
                String typeName, ClassLoader loader, JavaModule module, boolean loaded, Throwable throwable) {
            List<Probe> probes = byClass.get(typeName);
            if (probes == null) {
                return;
            }
            for (Probe p : probes) {
                p.problem("not instrumented: " + Log.describe(throwable));
            }
            Log.warn("watch: cannot instrument " + typeName + ": " + Log.describe(throwable));
        }
    }
}
