package io.hbwatch.build;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import net.bytebuddy.asm.Advice;

/**
 * The rules of the agent's code that a reader should be able to trust, checked on its classes
 * (tests excluded). Each rule says why it holds.
 */
@AnalyzeClasses(packages = "io.hbwatch", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    /** Byte Buddy inlines advice into the probed methods: a field of the advice would be nobody's. */
    private static final DescribedPredicate<JavaClass> ADVICE =
            new DescribedPredicate<>(
                    "are Byte Buddy advice (a method annotated @Advice.OnMethodEnter or OnMethodExit)") {
                @Override
                public boolean test(JavaClass c) {
                    for (JavaMethod m : c.getMethods()) {
                        if (m.isAnnotatedWith(Advice.OnMethodEnter.class)
                                || m.isAnnotatedWith(Advice.OnMethodExit.class)) {
                            return true;
                        }
                    }
                    return false;
                }
            };

    @ArchTest
    static final ArchRule adviceHoldsNoState = fields().that()
            .areDeclaredInClassesThat(ADVICE)
            .should()
            .beStatic()
            .andShould()
            .beFinal()
            .allowEmptyShould(true)
            .because("advice code is copied into the probed methods of the host; state it held would be shared by"
                    + " every probed method, or lost");

    @ArchTest
    static final ArchRule adviceExists = classes()
            .that(ADVICE)
            .should()
            .haveSimpleName("ProbeAdvice")
            .because("one advice class, whose only job is to hand a probe's id to ProbeCalls");

    @ArchTest
    static final ArchRule entryPointsAreThin = classes()
            .that()
            .haveFullyQualifiedName("io.hbwatch.agent.HbAgent")
            .should()
            .onlyDependOnClassesThat()
            .resideInAnyPackage("java..", "io.hbwatch.agent", "io.hbwatch.agent.util")
            .because("premain and agentmain only start the agent's thread and return; all else happens there,"
                    + " where a failure costs one part and never the host");

    @ArchTest
    static final ArchRule everyThreadComesFromHbThreads = noClasses()
            .that()
            .resideOutsideOfPackage("io.hbwatch.agent.util")
            .and()
            .resideInAPackage("io.hbwatch.agent..")
            .and()
            .doNotHaveFullyQualifiedName("io.hbwatch.agent.AgentRuntime")
            .and()
            .resideOutsideOfPackage("io.hbwatch.agent.standalone")
            .should()
            .callConstructor(Thread.class, Runnable.class, String.class)
            .orShould()
            .callConstructor(Thread.class, Runnable.class)
            .because("HbThreads makes every thread a daemon named hbwatch-*, so none keeps the host alive after main"
                    + " returns; only the shutdown hooks (AgentRuntime, Standalone) are threads of their own");

    @ArchTest
    static final ArchRule onlyTheConfiguredActionsStopTheJvm = noClasses()
            .that()
            .resideInAPackage("io.hbwatch.agent..")
            .and()
            .doNotHaveFullyQualifiedName("io.hbwatch.agent.watchdog.Actions")
            .and()
            .resideOutsideOfPackage("io.hbwatch.agent.standalone")
            .and()
            .doNotHaveFullyQualifiedName("io.hbwatch.agent.HbAgent")
            .should()
            .callMethod(Runtime.class, "halt", int.class)
            .orShould()
            .callMethod(System.class, "exit", int.class)
            .orShould()
            .callMethod(Runtime.class, "exit", int.class)
            .because("the agent never ends its host: only onGc/onOom=exit=CODE (Actions) when the user asked,"
                    + " and the standalone agent and its command line, which are their own process");

    @ArchTest
    static final ArchRule theWatchdogDoesNotServeHttp = noClasses()
            .that()
            .resideInAnyPackage(
                    "io.hbwatch.agent.watchdog..",
                    "io.hbwatch.agent.resource..",
                    "io.hbwatch.agent.vthread..",
                    "io.hbwatch.agent.health..",
                    "io.hbwatch.agent.beat..",
                    "io.hbwatch.agent.subject..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("io.hbwatch.agent.http..", "io.hbwatch.shaded.jolokia..", "org.jolokia..")
            .because("Jolokia is optional (jolokia=off): detection and beats must work without a class of it");
}
