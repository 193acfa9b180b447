package io.hbwatch.monitor.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * The options that apply to the whole run, whatever the targets: where the events go, the metrics
 * endpoint, the hooks, the targets file. A line of a targets file cannot give them.
 */
public final class RunOptions {
    @Option(
            names = "--targets",
            paramLabel = "FILE",
            description = "Watch every target of FILE: one per line, written as this command's own arguments "
                    + "(127.0.0.1:7777 --job all); blank lines and # comments are ignored. Options given on the "
                    + "command line apply to every line, which may override them.")
    public Path targets;

    @Option(
            names = "--local",
            description = "Watch every JVM of this host whose agent registered itself (this user's, as jps lists "
                    + "them), picking up new ones and dropping those that exit. Options of a target apply to each.")
    public boolean local;

    @Option(
            names = "--registry",
            paramLabel = "DIR",
            description = "Where the agents register, for pid:PID and --local; as the agents' registry option. "
                    + "Default: /tmp/hbwatch_<user>.")
    public Path registry;

    @Option(
            names = {"-f", "--format"},
            paramLabel = "FORMAT",
            defaultValue = "text",
            description = "text (for people, colored on a terminal unless NO_COLOR is set), json (one event "
                    + "per line) or plugin (a first line for Nagios and Icinga: HBWATCH OK - ... | perfdata, then "
                    + "the text; what text becomes with --count). Default: ${DEFAULT-VALUE}.")
    public Format format;

    @Option(
            names = {"-v", "--verbose"},
            description = "Print every check, not only the changes of state.")
    public boolean verbose;

    @Option(
            names = "--metrics",
            paramLabel = "HOST:PORT",
            converter = Converters.ListenAddressConverter.class,
            description = "Serve Prometheus metrics (:PORT for every interface, port 0 for a free one) at%n"
                    + "http://HOST:PORT/metrics")
    public Converters.ListenAddress metrics;

    @Option(
            names = "--on-down",
            paramLabel = "CMD",
            description = "Run CMD (with sh -c) when a job goes DOWN, the event as a JSON line on stdin and in "
                    + "HBWATCH_* variables.")
    public String onDown;

    @Option(
            names = "--on-up",
            paramLabel = "CMD",
            description = "Run CMD (with sh -c) when a job comes back UP after DOWN or DEGRADED, like --on-down.")
    public String onUp;

    @Option(
            names = "--on-down-ignore",
            paramLabel = "REASON",
            split = ",",
            description = "Do not run --on-down for a DOWN with one of these reasons (comma-separated), e.g. "
                    + "shutdown: the JVM exiting on purpose, a deploy.")
    public Set<String> onDownIgnore = new LinkedHashSet<>();

    @Option(
            names = "--flap-threshold",
            paramLabel = "N",
            defaultValue = "3",
            description = "A job whose state changes N times within --flap-window is flapping: its events say so "
                    + "and hooks run once when it starts and once when it ends (0: never). Default: ${DEFAULT-VALUE}.")
    public int flapThreshold;

    @Option(
            names = "--flap-window",
            paramLabel = "DUR",
            defaultValue = "5m",
            converter = Converters.DurationConverter.class,
            description = "The window of --flap-threshold; flapping ends once the state holds this long. "
                    + "Default: ${DEFAULT-VALUE}.")
    public Duration flapWindow;

    @Option(
            names = "--hook-timeout",
            paramLabel = "DUR",
            defaultValue = "10s",
            converter = Converters.DurationConverter.class,
            description = "Kill a hook still running after this long. Default: ${DEFAULT-VALUE}.")
    public Duration hookTimeout;
}
