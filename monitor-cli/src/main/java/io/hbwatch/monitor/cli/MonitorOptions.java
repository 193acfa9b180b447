package io.hbwatch.monitor.cli;

import io.hbwatch.monitor.ping.ProbeMethod;
import java.time.Duration;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Every option of {@code monitor-cli}, as picocli fills them in. A job reads what it needs from
 * here; a new job's own options (the Jolokia credentials, say) belong here too.
 */
public final class MonitorOptions {
    @Parameters(
            index = "0",
            paramLabel = "HOST:PORT",
            converter = Converters.TargetConverter.class,
            description = "What to watch: host:port of the agent's heartbeat port ([::1]:7777 for IPv6); "
                    + "a bare host is enough for --job ping.")
    public Target target;

    @Option(
            names = {"-j", "--job"},
            paramLabel = "JOB",
            defaultValue = "hb",
            description = "ping (ping-echo to the host), hb (the heartbeat stream), jmx (Jolokia poll of the MBean) "
                    + "or all of them at once. Default: ${DEFAULT-VALUE}.")
    public JobName job;

    @Option(
            names = {"-p", "--pid"},
            paramLabel = "PID|NAME",
            description = "With hb: ask the agent to report on this OS process (a PID, or the executable's name) "
                    + "instead of its own JVM.")
    public String pid;

    @Option(
            names = {"-i", "--interval"},
            paramLabel = "DUR",
            defaultValue = "1s",
            converter = Converters.DurationConverter.class,
            description = "How often ping and jmx check (ms, s or m). Default: ${DEFAULT-VALUE}.")
    public Duration interval;

    @Option(
            names = {"-t", "--timeout"},
            paramLabel = "DUR",
            converter = Converters.DurationConverter.class,
            description = "Echo timeout for ping and jmx (default: the interval); silence before the heartbeat "
                    + "is DOWN (default: 3 intervals as the beats announce them, 3s before the first beat).")
    public Duration timeout;

    @Option(
            names = "--misses",
            paramLabel = "N",
            defaultValue = "1",
            description = "ping: consecutive missed echoes before the host is DOWN. Default: ${DEFAULT-VALUE}.")
    public int misses;

    @Option(
            names = "--probe",
            paramLabel = "METHOD",
            defaultValue = "auto",
            description = "ping: icmp (needs root or CAP_NET_RAW), tcp (a connect to the target's port; a refusal "
                    + "counts as an answer) or auto (icmp where allowed). Default: ${DEFAULT-VALUE}.")
    public ProbeMethod probe;

    @Option(
            names = "--jolokia",
            paramLabel = "URL",
            description = "Jolokia base URL for jmx (default: http://HOST:8778/jolokia).")
    public String jolokia;

    @Option(
            names = "--secret-file",
            paramLabel = "FILE",
            converter = Converters.SecretFileConverter.class,
            description = "hb: the agent's shared secret (its secretFile): every beat must carry a valid "
                    + "signature, else DOWN auth. Trailing line breaks in the file are ignored.")
    public Secret secretFile;

    @Option(
            names = "--secret",
            paramLabel = "TEXT",
            description = "hb: the same with the secret given here (visible in ps: prefer --secret-file).")
    public String secret;

    @Option(
            names = {"-c", "--count"},
            paramLabel = "N",
            description = "Stop after N checks of each job; the exit code is then the worst final state "
                    + "(0 UP, 1 DEGRADED, 2 DOWN, 3 unknown). Without it, run until interrupted.")
    public Long count;

    @Option(
            names = {"-f", "--format"},
            paramLabel = "FORMAT",
            defaultValue = "text",
            description = "text (for people, colored on a terminal unless NO_COLOR is set) or json (one event "
                    + "per line). Default: ${DEFAULT-VALUE}.")
    public Format format;

    @Option(
            names = {"-v", "--verbose"},
            description = "Print every check, not only the changes of state.")
    public boolean verbose;

    /** The secret beats must be signed with, from {@code --secret-file} or {@code --secret}; null for none. */
    public byte[] secretBytes() {
        if (secretFile != null) {
            return secretFile.bytes();
        }
        return secret == null ? null : secret.trim().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The echo timeout of ping and jmx: {@code --timeout}, else the interval. */
    public Duration echoTimeout() {
        return timeout != null ? timeout : interval;
    }

    /** The Jolokia base URL: {@code --jolokia}, else port 8778 of the target's host. */
    public String jolokiaUrl() {
        if (jolokia != null) {
            return jolokia;
        }
        String host = target.host().indexOf(':') >= 0 ? "[" + target.host() + "]" : target.host();
        return "http://" + host + ":8778/jolokia";
    }
}
