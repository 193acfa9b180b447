package io.hbwatch.monitor.build;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The rules of the monitor's code that a reader should be able to trust, checked on its classes. */
@AnalyzeClasses(
        packages = {"io.hbwatch.monitor", "io.hbwatch.protocol"},
        importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    @ArchTest
    static final ArchRule theMonitorNeverReachesIntoTheAgent = noClasses()
            .that()
            .resideInAPackage("io.hbwatch.monitor..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.hbwatch.agent..")
            .because("the monitor shares only the wire code (io.hbwatch.protocol) with the agent");

    @ArchTest
    static final ArchRule theLauncherIsThin = classes()
            .that()
            .haveFullyQualifiedName("io.hbwatch.monitor.Launcher")
            .should()
            .onlyDependOnClassesThat()
            .resideInAPackage("java..")
            .because("it runs on any Java to say in one line that the monitor needs 17, so it names nothing else");

    @ArchTest
    static final ArchRule onlyMainExits = noClasses()
            .that()
            .resideInAPackage("io.hbwatch.monitor..")
            .and()
            .doNotHaveFullyQualifiedName("io.hbwatch.monitor.MonitorCli")
            .and()
            .doNotHaveFullyQualifiedName("io.hbwatch.monitor.Launcher")
            .should()
            .callMethod(System.class, "exit", int.class)
            .because("one System.exit, in MonitorCli.main and Launcher, so that every other path returns its exit code")
            .as("no class calls System.exit but MonitorCli and Launcher");

    @ArchTest
    static final ArchRule eventsKnowNothingOfTheJobs = noClasses()
            .that()
            .resideInAnyPackage(
                    "io.hbwatch.monitor.event..", "io.hbwatch.monitor.diagnosis..", "io.hbwatch.monitor.beat..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("io.hbwatch.monitor.job..", "io.hbwatch.monitor.local..", "io.hbwatch.monitor.ping..")
            .because("the jobs report checks; what becomes of a check (events, diagnosis, beats' meaning) must not"
                    + " depend on how it was made");
}
