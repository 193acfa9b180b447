package io.hbwatch.monitor;

import io.hbwatch.monitor.cli.Format;
import io.hbwatch.monitor.cli.JobName;
import io.hbwatch.monitor.cli.MonitorOptions;
import io.hbwatch.monitor.cli.RunOptions;
import io.hbwatch.monitor.cli.Target;
import io.hbwatch.monitor.cli.TargetsFile;
import io.hbwatch.monitor.event.Output;
import io.hbwatch.monitor.event.Reporter;
import io.hbwatch.monitor.hook.Hooks;
import io.hbwatch.monitor.job.Job;
import io.hbwatch.monitor.job.JobRunner;
import io.hbwatch.monitor.job.Jobs;
import io.hbwatch.monitor.job.OwnStalls;
import io.hbwatch.monitor.job.Watch;
import io.hbwatch.monitor.local.LocalJvms;
import io.hbwatch.monitor.local.LocalWatch;
import io.hbwatch.monitor.metrics.Metrics;
import io.hbwatch.monitor.metrics.MetricsServer;
import io.hbwatch.protocol.Registry;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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

    @Mixin
    RunOptions run = new RunOptions();

    @Option(
            names = "--completion",
            help = true,
            description = "Print a bash completion script and exit; load it with%nsource <(monitor-cli --completion)")
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
        cmd.setParameterExceptionHandler((e, args) -> {
            // A user mistake: one line that says what and where to look, not the whole usage.
            e.getCommandLine().getErr().println(usageError(e.getMessage()));
            return EXIT_UNKNOWN;
        });
        cmd.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            // A bug, not a user mistake; still one line, never a stack trace.
            commandLine.getErr().println("monitor-cli: " + e);
            return EXIT_UNKNOWN;
        });
        return cmd;
    }

    /** {@code monitor-cli: <message>; try 'monitor-cli --help'}, on one line. */
    static String usageError(String message) {
        String m = message == null
                ? "invalid arguments"
                : message.replace('\n', ' ').trim();
        if (m.startsWith("monitor-cli: ")) {
            m = m.substring("monitor-cli: ".length());
        }
        return "monitor-cli: " + m + "; try 'monitor-cli --help'";
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
        if (run.hookTimeout.isZero()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--hook-timeout must be longer than 0");
        }
        List<MonitorOptions> targets;
        List<String> origins = new ArrayList<>(); // per target: its file and line, or null
        List<TargetsFile.Entry> fileEntries = null;
        LocalJvms jvms = new LocalJvms(run.registry != null ? run.registry : Registry.defaultDirectory());
        String found = null; // the line that says which JVM pid:NAME found
        List<Long> localPids = new ArrayList<>(); // with --local: per target, its JVM
        List<String> foundLocal = new ArrayList<>();
        if (run.local) {
            if (options.target != null || run.targets != null) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(), "--local watches every JVM of the host: give no target and no --targets");
            }
            targets = new ArrayList<>();
            try {
                for (Registry.Entry e : jvms.list()) {
                    MonitorOptions o = localOptions(e);
                    if (o != null) {
                        targets.add(o);
                        origins.add(e.toString());
                        localPids.add(e.pid());
                        foundLocal.add("monitor-cli: found " + LocalJvms.describe(e));
                    }
                }
            } catch (LocalJvms.Unreadable | TargetsFile.Invalid e) {
                err.println("monitor-cli: --local: " + e.getMessage());
                return EXIT_UNKNOWN;
            }
            if (targets.isEmpty() && options.count != null) {
                err.println("monitor-cli: --local: no JVM registered in " + jvms.directory()
                        + " (none runs the hbwatch agent as this user)");
                return EXIT_UNKNOWN;
            }
        } else if (run.targets != null) {
            if (options.target != null) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(), "give the target on the command line or in --targets, not both");
            }
            try {
                List<TargetsFile.Entry> entries =
                        TargetsFile.read(run.targets, inheritedOptions(), MonitorCli::validate);
                targets = entries.stream().map(TargetsFile.Entry::options).toList();
                fileEntries = entries;
                entries.forEach(e -> origins.add(run.targets + ":" + e.line()));
            } catch (TargetsFile.Invalid e) {
                err.println("monitor-cli: " + e.getMessage());
                return EXIT_UNKNOWN;
            }
        } else {
            if (options.target == null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "Missing required parameter: 'HOST:PORT'");
            }
            if (options.target.registered()) {
                try {
                    Registry.Entry e = jvms.find(options.target.host());
                    Target heartbeat = LocalJvms.heartbeat(e);
                    if (heartbeat == null) {
                        err.println(
                                "monitor-cli: " + options.target + " is " + e + ", but its heartbeat does not listen");
                        return EXIT_UNKNOWN;
                    }
                    found = "monitor-cli: " + options.target + " is " + e + ": heartbeat " + heartbeat
                            + (e.jolokia() == null ? "" : ", Jolokia " + e.jolokia());
                    options.target = heartbeat;
                    if (options.jolokia == null) {
                        options.jolokia = e.jolokia();
                    }
                } catch (LocalJvms.Unreadable e) {
                    err.println("monitor-cli: " + e.getMessage());
                    return EXIT_UNKNOWN;
                }
            }
            if (!Jobs.available(options.job)) {
                err.println("monitor-cli: --job " + options.job + " is not available in this build of monitor-cli");
                return EXIT_UNKNOWN;
            }
            try {
                validate(options);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            targets = List.of(options);
            origins.add(null);
        }
        List<Watch> watches = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            Watch w = Watch.resolve(targets.get(i), origins.get(i));
            if (w.address() == null && w.origin() == null) {
                // One target on the command line: a usage error. In a fleet, one bad name must not
                // blind the monitor to the rest: the runner reports it DOWN (unresolved) and retries.
                err.println("monitor-cli: cannot resolve host '"
                        + w.options().target.host() + "'");
                return EXIT_UNKNOWN;
            }
            watches.add(w);
        }
        // A run that --count ends is a check: its first line is the plugin's, as Nagios shows it.
        boolean counted = run.local ? options.count != null : targets.stream().allMatch(o -> o.count != null);
        Format format = run.format == Format.text && counted ? Format.plugin : run.format;
        Output output = new Output(format, Output.colorWanted(), out, err);
        if (found != null) {
            output.note(found);
        }
        foundLocal.forEach(output::note);
        if (run.flapThreshold < 0 || run.flapWindow.isZero()) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--flap-threshold must be 0 or more and --flap-window longer than 0");
        }
        Reporter reporter = new Reporter(output, run.verbose, Clock.systemUTC());
        reporter.flapping(run.flapThreshold, run.flapWindow);
        for (Watch w : watches) {
            reporter.watch(
                    w.key(),
                    w.options().target.toString(),
                    w.jobs().stream().map(Job::name).toList());
        }
        Metrics metrics = run.metrics == null ? null : new Metrics(System::nanoTime);
        MetricsServer server = null;
        if (metrics != null) {
            reporter.listen(metrics);
            try {
                server = new MetricsServer(run.metrics.host(), run.metrics.port(), metrics);
            } catch (IOException | RuntimeException e) {
                err.println("monitor-cli: --metrics " + run.metrics + ": cannot listen: " + e.getMessage());
                return EXIT_UNKNOWN;
            }
            output.note("monitor-cli: metrics on http://" + run.metrics.host() + ":" + server.port() + "/metrics");
        }
        Hooks hooks = null;
        if (run.onDown != null || run.onUp != null) {
            hooks = new Hooks(
                    run.onDown,
                    run.onUp,
                    run.onDownIgnore,
                    run.hookTimeout,
                    line -> {
                        synchronized (reporter) {
                            err.println(line);
                            err.flush();
                        }
                    },
                    metrics != null ? metrics : (hook, result) -> {});
            reporter.listen(hooks);
        }
        Metrics stallMetrics = metrics;
        OwnStalls stalls = OwnStalls.start(nanos -> {
            synchronized (reporter) {
                err.println(String.format(
                        Locale.ROOT,
                        "monitor-cli: this monitor was stalled for %.2f s (stopped, paused or starved of CPU); "
                                + "a silence that overlaps it is checked again before it counts",
                        nanos / 1e9));
                err.flush();
            }
            if (stallMetrics != null) {
                stallMetrics.stalled(nanos);
            }
        });
        try {
            JobRunner runner = new JobRunner(watches, reporter, output, stalls);
            if (fileEntries != null) {
                Reload reload = new Reload(
                        run.targets, inheritedOptions(), MonitorCli::validate, fileEntries, reporter, output);
                reload.runner(runner);
                runner.onReload(reload::run);
            }
            LocalWatch local = null;
            if (run.local && options.count == null) {
                runner.keepOpen();
                local = new LocalWatch(jvms, runner, reporter, output, this::localWatch);
                for (int i = 0; i < watches.size(); i++) {
                    local.adopt(localPids.get(i), watches.get(i));
                }
            }
            onStart.accept(runner);
            if (local != null) {
                local.start();
            }
            // ping's first echo: its timeout, plus room for a loaded machine.
            Duration firstWait = targets.stream()
                    .map(MonitorOptions::echoTimeout)
                    .max(Duration::compareTo)
                    .orElse(Duration.ZERO);
            runner.run(firstWait.plusMillis(200));
            if (local != null) {
                local.stop();
            }
            if (hooks != null) {
                hooks.close(); // a DOWN's hook still gets out when --count ends the run
            }
            reporter.close();
            // Ended by --count only when every target has one; else by a signal, which exits 0.
            if (reporter.failedInternally()) {
                return EXIT_UNKNOWN; // never 0 after a bug of the monitor's own
            }
            return counted ? reporter.exitCode() : 0;
        } finally {
            stalls.close();
            if (server != null) {
                server.close();
            }
        }
    }

    /**
     * The options of one registered JVM: the command line's, with its heartbeat as the target and,
     * unless {@code --jolokia} was given, its Jolokia. Null when its heartbeat does not listen.
     */
    private MonitorOptions localOptions(Registry.Entry e) throws TargetsFile.Invalid {
        Target heartbeat = LocalJvms.heartbeat(e);
        if (heartbeat == null) {
            return null;
        }
        List<String> words = new ArrayList<>(List.of(heartbeat.toString()));
        List<String> inherited = inheritedOptions();
        if (e.jolokia() != null && !inherited.contains("--jolokia")) {
            words.add("--jolokia");
            words.add(e.jolokia());
        }
        MonitorOptions o = TargetsFile.options(words, inherited);
        validate(o);
        return o;
    }

    /** The watch of a JVM that {@code --local} found after the start; null when it cannot be watched. */
    private Watch localWatch(Registry.Entry e) {
        try {
            MonitorOptions o = localOptions(e);
            return o == null ? null : Watch.resolve(o, e + (e.jolokia() == null ? "" : ", Jolokia " + e.jolokia()));
        } catch (TargetsFile.Invalid | IllegalArgumentException ex) {
            return null;
        }
    }

    /** The per-target options given on the command line, as arguments for each line of a targets file. */
    private List<String> inheritedOptions() {
        List<String> args = new ArrayList<>();
        CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
        for (CommandLine.Model.OptionSpec o : spec.mixins().get("options").options()) {
            CommandLine.Model.OptionSpec matched = parsed.matchedOption(o.longestName());
            if (matched != null) {
                for (String value : matched.originalStringValues()) {
                    args.add(o.longestName());
                    args.add(value);
                }
            }
        }
        return args;
    }

    /** Checks what picocli cannot: one message per mistake, as {@link IllegalArgumentException}. */
    static void validate(MonitorOptions o) {
        if (!Jobs.available(o.job)) {
            throw new IllegalArgumentException("--job " + o.job + " is not available in this build of monitor-cli");
        }
        if (o.target.registered()) {
            throw new IllegalArgumentException(
                    "'" + o.target + "' is found in the registry on the command line only; here give host:port, "
                            + "or watch every registered JVM with --local");
        }
        // jmx finds Jolokia by --jolokia (default port 8778 of the host), not by the target's port.
        if (o.job != JobName.ping && o.job != JobName.jmx && !o.target.hasPort()) {
            throw new IllegalArgumentException("'" + o.target + "' has no port: --job " + o.job + " needs host:port");
        }
        if (o.pid != null && (o.job == JobName.ping || o.job == JobName.jmx)) {
            throw new IllegalArgumentException("--pid asks the agent's heartbeat stream: use it with --job hb or all");
        }
        if (o.secret != null && o.secretFile != null) {
            throw new IllegalArgumentException("give --secret or --secret-file, not both");
        }
        if (o.secret != null && o.secret.isBlank()) {
            throw new IllegalArgumentException("--secret is empty");
        }
        if ((o.secret != null || o.secretFile != null) && o.job != JobName.hb && o.job != JobName.all) {
            throw new IllegalArgumentException("--secret checks the heartbeat stream: use it with --job hb or all");
        }
        if (o.count != null && o.count < 1) {
            throw new IllegalArgumentException("--count must be at least 1");
        }
        if (o.misses < 1) {
            throw new IllegalArgumentException("--misses must be at least 1");
        }
        if (o.interval.isZero()) {
            throw new IllegalArgumentException("--interval must be longer than 0");
        }
        if (!(o.phiThreshold > 0) || o.phiThreshold > 100) {
            throw new IllegalArgumentException("--phi-threshold must be more than 0 and at most 100");
        }
        if (o.timeout != null && o.timeout.isZero()) {
            throw new IllegalArgumentException("--timeout must be longer than 0");
        }
        if (o.job == JobName.jmx || o.job == JobName.all) {
            o.checkJolokia();
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
