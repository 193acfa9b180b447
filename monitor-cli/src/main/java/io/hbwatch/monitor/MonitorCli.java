package io.hbwatch.monitor;

import io.hbwatch.monitor.cli.JobName;
import io.hbwatch.monitor.cli.MonitorOptions;
import io.hbwatch.monitor.event.Output;
import io.hbwatch.monitor.event.Reporter;
import io.hbwatch.monitor.job.Job;
import io.hbwatch.monitor.job.JobRunner;
import io.hbwatch.monitor.job.Jobs;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code monitor-cli HOST:PORT --job ping|hb|jmx|all [options]}: watches a target and prints each
 * change of state. Exit codes follow the monitoring-plugin convention: 0 all UP, 1 DEGRADED, 2
 * DOWN, 3 unknown or a usage error; an interrupted run exits 0 after its summary.
 *
 * <pre>
 * monitor-cli 127.0.0.1:7777                       # heartbeats of a JVM started with -javaagent:hb-agent.jar
 * monitor-cli 127.0.0.1:7777 --pid nginx           # the agent reports on an OS process instead
 * monitor-cli 10.0.0.5 --job ping --interval 200ms
 * monitor-cli 127.0.0.1:7777 --job all --format json --count 5
 * </pre>
 */
@Command(
        name = "monitor-cli",
        mixinStandardHelpOptions = true,
        versionProvider = MonitorCli.Version.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        exitCodeOnInvalidInput = MonitorCli.EXIT_UNKNOWN,
        exitCodeOnExecutionException = MonitorCli.EXIT_UNKNOWN,
        description = "Watches a JVM or an OS process through hbwatch's agent: ping-echo to the host, the heartbeat "
                + "stream, the Heartbeat MBean over Jolokia. Prints each change of state.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:all UP (or an interrupted run)",
            "1:DEGRADED",
            "2:DOWN",
            "3:unknown: no result, or a usage error"
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  monitor-cli 127.0.0.1:7777",
            "  monitor-cli 127.0.0.1:7777 --pid sleep --interval 200ms",
            "  monitor-cli 10.0.0.5 --job ping --count 5",
            "  monitor-cli 127.0.0.1:7777 --job all --format json",
            "  source <(monitor-cli --completion)"
        })
public final class MonitorCli implements Callable<Integer> {
    /** Exit code of an unknown state and of a usage error. */
    public static final int EXIT_UNKNOWN = 3;

    @Mixin
    MonitorOptions options = new MonitorOptions();

    @Option(
            names = "--completion",
            help = true,
            description = "Print a bash completion script and exit: source <(monitor-cli --completion)")
    boolean completion;

    @Spec
    CommandSpec spec;

    private final Consumer<JobRunner> onStart;

    /** A monitor whose run can only end by {@code --count}. */
    public MonitorCli() {
        this(runner -> {});
    }

    /** @param onStart receives the runner before the jobs start, so that a signal can stop it */
    public MonitorCli(Consumer<JobRunner> onStart) {
        this.onStart = onStart;
    }

    /** The one {@code System.exit}: SIGINT and SIGTERM end a long run with its summary and exit 0. */
    public static void main(String[] args) {
        System.exit(commandLine(new MonitorCli(Interrupts::stopOnSignal)).execute(args));
    }

    /** A command line with the monitor's exit codes and error handling, as {@link #main} runs it. */
    public static CommandLine commandLine(MonitorCli cli) {
        CommandLine cmd = new CommandLine(cli);
        cmd.setCaseInsensitiveEnumValuesAllowed(true);
        cmd.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            // A bug, not a user mistake; still one line, never a stack trace.
            commandLine.getErr().println("monitor-cli: " + e);
            return EXIT_UNKNOWN;
        });
        return cmd;
    }

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (completion) {
            out.print(AutoComplete.bash("monitor-cli", spec.commandLine()));
            out.flush();
            return 0;
        }
        if (options.target == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "Missing required parameter: 'HOST:PORT'");
        }
        if (!Jobs.available(options.job)) {
            err.println("monitor-cli: --job " + options.job + " is not available in this build of monitor-cli");
            return EXIT_UNKNOWN;
        }
        List<Job> jobs = Jobs.create(options.job);
        // jmx finds Jolokia by --jolokia (default port 8778 of the host), not by the target's port.
        boolean needsPort = options.job != JobName.ping && options.job != JobName.jmx;
        if (needsPort && !options.target.hasPort()) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "'" + options.target + "' has no port: --job " + options.job + " needs host:port");
        }
        validate();
        InetAddress address;
        try {
            address = InetAddress.getByName(options.target.host());
        } catch (UnknownHostException e) {
            err.println("monitor-cli: cannot resolve host '" + options.target.host() + "'");
            return EXIT_UNKNOWN;
        }
        Output output = new Output(options.format, Output.colorWanted(), out, err);
        Reporter reporter = new Reporter(
                jobs.stream().map(Job::name).toList(),
                options.target.toString(),
                output,
                options.verbose,
                Clock.systemUTC());
        JobRunner runner = new JobRunner(jobs, options, address, reporter, output);
        onStart.accept(runner);
        // ping's first echo: its timeout, plus room for a loaded machine.
        runner.run(options.echoTimeout().plusMillis(200));
        reporter.close();
        return options.count == null ? 0 : reporter.exitCode();
    }

    private void validate() {
        if (options.pid != null && (options.job == JobName.ping || options.job == JobName.jmx)) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--pid asks the agent's heartbeat stream: use it with --job hb or all");
        }
        if (options.secret != null && options.secretFile != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give --secret or --secret-file, not both");
        }
        if (options.secret != null && options.secret.isBlank()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--secret is empty");
        }
        if ((options.secret != null || options.secretFile != null)
                && options.job != JobName.hb
                && options.job != JobName.all) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--secret checks the heartbeat stream: use it with --job hb or all");
        }
        if (options.count != null && options.count < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--count must be at least 1");
        }
        if (options.misses < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--misses must be at least 1");
        }
        if (options.interval.isZero()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--interval must be longer than 0");
        }
        if (options.timeout != null && options.timeout.isZero()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--timeout must be longer than 0");
        }
        if (options.job == JobName.jmx || options.job == JobName.all) {
            try {
                options.checkJolokia();
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
        }
    }

    /** {@code --version}: the project version, from the filtered {@code version.properties}. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties p = new Properties();
            try (InputStream in = MonitorCli.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            }
            return new String[] {
                "monitor-cli " + p.getProperty("version", "unknown") + " (hbwatch, heartbeat protocol v"
                        + io.hbwatch.protocol.Protocol.VERSION + ")",
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"
            };
        }
    }
}
