package io.hbwatch.build;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The wire code's own rule: it stands on the JDK alone. */
@AnalyzeClasses(packages = "io.hbwatch.protocol", importOptions = ImportOption.DoNotIncludeTests.class)
class ProtocolArchitectureTest {
    @ArchTest
    static final ArchRule theWireCodeStandsAlone = noClasses()
            .should()
            .dependOnClassesThat()
            .resideOutsideOfPackages("io.hbwatch.protocol..", "java..", "javax.crypto..")
            .because("the protocol is shared by the monitor and the agent, and runs inside the watched JVM: nothing"
                    + " but the JDK under it, nothing of either side in it");
}
