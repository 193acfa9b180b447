package io.hbwatch.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hbwatch.monitor.support.Executable;
import io.hbwatch.testing.AgentJvm;
import io.hbwatch.testing.apps.SleepApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code monitor-cli --count} as Nagios or Icinga run it: the shipped executable against a real
 * agent JVM, its first line by the Monitoring Plugins guidelines, and, where the Monitoring Plugins
 * are installed ({@code .ci/run} installs them), run by their own {@code negate}, which reads the
 * plugin's exit code and the status word of its output.
 */
class PluginIT {
    private static final Path NEGATE = Path.of("/usr/lib/nagios/plugins/negate");

    @TempDir
    Path tmp;

    @Test
    void aCheckOfAHealthyJvmIsOkAndOfAKilledOneCritical() throws Exception {
        try (AgentJvm app = AgentJvm.builder(tmp)
                .agentArgs("interval=200ms,jolokia=127.0.0.1:0")
                .main(SleepApp.class)
                .start()) {
            AgentJvm.Ports ports = app.awaitPorts();
            String target = "127.0.0.1:" + ports.heartbeat();
            String jolokia = "http://127.0.0.1:" + ports.jolokia() + "/jolokia";
            try (Executable ok = Executable.start(
                    List.of(), target, "--job", "all", "--jolokia", jolokia, "--count", "2", "--timeout", "5s")) {
                assertEquals(0, ok.awaitExit(), ok::toString);
                String first = ok.out().lines().findFirst().orElse("");
                assertTrue(
                        first.matches("HBWATCH OK - " + target.replace(".", "\\.") + ": ping UP, hb UP, jmx UP \\| "
                                + "ping_rtt=[0-9.]+ms;;;0 hb_age=[0-9.]+ms;;;0 hb_pause=[0-9.]+ms;;;0 "
                                + "jmx_rtt=[0-9.]+ms;;;0"),
                        ok::toString);
                assertTrue(ok.out().contains("--- " + target + " monitor-cli statistics ---"), ok::toString);
            }
            app.sigkill();
            app.process().waitFor();
            try (Executable down = Executable.start(List.of(), target, "--count", "1")) {
                assertEquals(2, down.awaitExit(), down::toString);
                assertTrue(
                        down.out().startsWith("HBWATCH CRITICAL - " + target + ": hb DOWN (refused): "),
                        down::toString);
            }
        }
    }

    @Test
    void theMonitoringPluginsOwnRunnerReadsItsStatus() throws Exception {
        assumeTrue(Files.isExecutable(NEGATE), "no " + NEGATE + " (Debian package monitoring-plugins-basic)");
        try (AgentJvm app = AgentJvm.builder(tmp)
                .agentArgs("interval=200ms,jolokia=off")
                .main(SleepApp.class)
                .start()) {
            String target = "127.0.0.1:" + app.awaitPorts().heartbeat();
            // negate turns OK into CRITICAL, in the exit code and (-s) in the status word it finds
            try (Executable run =
                    Executable.start(List.of(NEGATE.toString(), "-t", "30", "-s"), target, "--count", "1")) {
                assertEquals(2, run.awaitExit(), run::toString);
                assertTrue(run.out().startsWith("HBWATCH CRITICAL - " + target + ": hb UP | hb_age="), run::toString);
            }
            app.sigkill();
            app.process().waitFor();
            try (Executable run =
                    Executable.start(List.of(NEGATE.toString(), "-t", "30", "-s"), target, "--count", "1")) {
                assertEquals(0, run.awaitExit(), run::toString);
                assertTrue(run.out().startsWith("HBWATCH OK - " + target + ": hb DOWN (refused)"), run::toString);
            }
        }
    }
}
