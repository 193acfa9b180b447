package io.hbwatch.agent.probe;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import net.bytebuddy.asm.Advice;

/**
 * The code Byte Buddy inlines at the start and end of every probed method. Static and stateless;
 * it only hands the probe's id to {@link ProbeCalls}, which the probed class's loader can see.
 * {@code suppress = Throwable.class}: whatever goes wrong here is dropped, so the method returns
 * or throws exactly what it would without the probe.
 */
final class ProbeAdvice {
    private ProbeAdvice() {}

    /** Bound to the probe's id, a constant, for each instrumented method. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.PARAMETER)
    @interface Id {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter(@Id int probe) {
        return ProbeCalls.enter(probe);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Id int probe, @Advice.Enter long start) {
        ProbeCalls.exit(probe, start);
    }
}
