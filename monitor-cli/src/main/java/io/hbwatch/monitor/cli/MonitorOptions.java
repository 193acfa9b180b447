package io.hbwatch.monitor.cli;

import io.hbwatch.monitor.ping.ProbeMethod;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The options of one target, as picocli fills them in: those of the command line, or of one line
 * of a {@code --targets} file. A job reads what it needs from here; a new job's own options (the
 * Jolokia credentials, say) belong here too. What applies to the whole run is in {@link RunOptions}.
 */
public final class MonitorOptions implements Cloneable {
    @Parameters(
            index = "0",
            arity = "0..1",
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
            description = "Echo timeout for ping (default: the interval); answer timeout for jmx (default: 3 "
                    + "intervals, at least 1s); silence before the heartbeat is DOWN (default: 3 intervals as the "
                    + "beats announce them, 3s before the first beat).")
    public Duration timeout;

    @Option(
            names = "--detector",
            paramLabel = "KIND",
            defaultValue = "fixed",
            description = "hb: fixed (DOWN after --timeout of silence) or phi (the phi accrual detector, which "
                    + "learns the beats' arrival times). Default: ${DEFAULT-VALUE}.")
    public DetectorName detector;

    @Option(
            names = "--phi-threshold",
            paramLabel = "PHI",
            defaultValue = "8",
            description = "hb with --detector phi: DOWN when phi reaches this (8: a wrong suspicion about once in "
                    + "10^8 under the model; lower detects sooner and errs more). Default: ${DEFAULT-VALUE}.")
    public double phiThreshold;

    @Option(
            names = "--phi-pause",
            paramLabel = "DUR",
            converter = Converters.DurationConverter.class,
            description = "hb with --detector phi: a pause tolerated on top of the usual arrival time "
                    + "(default: one announced interval).")
    public Duration phiPause;

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
            description = "Jolokia base URL for jmx; default:%nhttp://HOST:8778/jolokia")
    public String jolokia;

    @Option(
            names = "--jolokia-user",
            paramLabel = "USER",
            description = "jmx: user for Jolokia's HTTP basic authentication (the agent's jolokiaUser).")
    public String jolokiaUser;

    @Option(
            names = "--jolokia-password-file",
            paramLabel = "FILE",
            description = "jmx: a file whose first line is the password for --jolokia-user.")
    public Path jolokiaPasswordFile;

    @Option(
            names = "--jolokia-password",
            paramLabel = "PASSWORD",
            description = "jmx: the password for --jolokia-user, inline (visible in ps: prefer the file or "
                    + "the environment variable HBWATCH_JOLOKIA_PASSWORD).")
    public String jolokiaPasswordInline;

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

    /**
     * A copy, field for field: every field holds an immutable value (a string, a number, a {@link
     * Duration}, an enum, a {@link Target}, a {@link Secret}, a {@link Path}), so a shallow copy
     * shares nothing that can change.
     */
    public MonitorOptions copy() {
        try {
            return (MonitorOptions) clone();
        } catch (CloneNotSupportedException e) {
            throw new AssertionError(e);
        }
    }

    /** The secret beats must be signed with, from {@code --secret-file} or {@code --secret}; null for none. */
    public byte[] secretBytes() {
        if (secretFile != null) {
            return secretFile.bytes();
        }
        return secret == null ? null : secret.trim().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The echo timeout of ping: {@code --timeout}, else the interval. */
    public Duration echoTimeout() {
        return timeout != null ? timeout : interval;
    }

    /**
     * How long jmx waits for Jolokia's answer: {@code --timeout}, else three intervals and at least
     * a second. Not the interval: a JVM under load answers HTTP later than its kernel answers a ping,
     * and a poll that times out at the interval flapped many times a minute on a busy JVM.
     */
    public Duration jmxTimeout() {
        if (timeout != null) {
            return timeout;
        }
        return Duration.ofMillis(Math.max(1000, 3 * interval.toMillis()));
    }

    /** Environment variable with the Jolokia password, read when no other source gives one. */
    public static final String JOLOKIA_PASSWORD_ENV = "HBWATCH_JOLOKIA_PASSWORD";

    /**
     * The Jolokia password: {@code --jolokia-password-file}, else {@code --jolokia-password}, else
     * {@code HBWATCH_JOLOKIA_PASSWORD}; null without {@code --jolokia-user}.
     *
     * @throws IllegalArgumentException with one line for the user when the file cannot be read or
     *     no password is given for the user
     */
    public String jolokiaPassword() {
        if (jolokiaUser == null) {
            return null;
        }
        if (jolokiaPasswordFile != null) {
            try {
                List<String> lines = Files.readAllLines(jolokiaPasswordFile, StandardCharsets.UTF_8);
                if (lines.isEmpty() || lines.get(0).isEmpty()) {
                    throw new IllegalArgumentException("--jolokia-password-file " + jolokiaPasswordFile + " is empty");
                }
                return lines.get(0);
            } catch (IOException e) {
                throw new IllegalArgumentException(
                        "--jolokia-password-file " + jolokiaPasswordFile + " cannot be read: " + e.getMessage());
            }
        }
        if (jolokiaPasswordInline != null) {
            return jolokiaPasswordInline;
        }
        String env = System.getenv(JOLOKIA_PASSWORD_ENV);
        if (env != null && !env.isEmpty()) {
            return env;
        }
        throw new IllegalArgumentException("--jolokia-user needs a password: --jolokia-password-file FILE, "
                + "--jolokia-password or " + JOLOKIA_PASSWORD_ENV);
    }

    /**
     * Checks the Jolokia options before a run: the URL is {@code http} or {@code https} with a
     * host, the password can be had.
     *
     * @throws IllegalArgumentException with one line for the user
     */
    public void checkJolokia() {
        String url = jolokiaUrl();
        try {
            URI uri = new URI(url);
            if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())
                    || uri.getHost() == null) {
                throw new IllegalArgumentException(
                        "--jolokia '" + url + "' is not an http:// or https:// URL like http://127.0.0.1:8778/jolokia");
            }
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("--jolokia '" + url + "' is not a URL: " + e.getReason());
        }
        jolokiaPassword();
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
