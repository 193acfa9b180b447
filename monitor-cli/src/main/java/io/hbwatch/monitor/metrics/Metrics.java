package io.hbwatch.monitor.metrics;

import io.hbwatch.monitor.event.Check;
import io.hbwatch.monitor.event.Event;
import io.hbwatch.monitor.event.Listener;
import io.hbwatch.monitor.hook.Hooks;
import io.hbwatch.protocol.Reason;
import io.hbwatch.protocol.Status;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.StateSet;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The monitor's state as Prometheus metrics (served by {@link MetricsServer}):
 *
 * <ul>
 *   <li>{@code hbwatch_up{job,target,subject}}: 1 while UP or DEGRADED, 0 while DOWN;
 *   <li>{@code hbwatch_state{job,target,subject,hbwatch_state="UP|DEGRADED|DOWN"}}: 1 for the current state;
 *   <li>{@code hbwatch_last_beat_age_seconds{job,target,subject}}: since the last beat (hb) or answer (ping, jmx);
 *   <li>{@code hbwatch_rtt_seconds{job,target}}: histogram of the round trips (ping echoes, Jolokia polls);
 *   <li>{@code hbwatch_transitions_total{job,target,subject,state,reason}}: changes of state, by the state entered;
 *   <li>{@code hbwatch_checks_total{job,target}}: every check;
 *   <li>{@code hbwatch_hook_runs_total{hook,result}}: runs of {@code --on-down}/{@code --on-up} by outcome;
 *   <li>{@code hbwatch_flapping{job,target,subject}}: 1 while the job's state flaps, else 0;
 *   <li>{@code hbwatch_monitor_stall_seconds}: histogram of the monitor's own stalls (it was not
 *       running: stopped, paused, starved), during which no silence is blamed on a target.
 * </ul>
 *
 * <p>Thread-safe.
 */
public final class Metrics implements Listener, Hooks.Outcomes {
    /** Reasons that the monitor observes when the target did not answer; any other result is an answer. */
    private static final Set<String> SILENT =
            Set.of(Reason.REFUSED, Reason.CLOSED, Reason.TIMEOUT, Reason.UNREACHABLE, Reason.PROTOCOL);

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final LongSupplier nanoClock;
    private final Map<List<String>, Long> lastAnswerNanos = new ConcurrentHashMap<>();
    private final Gauge up;
    private final StateSet state;
    private final Histogram rtt;
    private final Counter transitions;
    private final Counter checks;
    private final Counter hookRuns;
    private final Gauge flapping;
    private final Histogram stalls;

    public Metrics(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        up = Gauge.builder()
                .name("hbwatch_up")
                .help("1 while the target is UP or DEGRADED, 0 while DOWN")
                .labelNames("job", "target", "subject")
                .register(registry);
        state = StateSet.builder()
                .name("hbwatch_state")
                .help("The target's current state")
                .labelNames("job", "target", "subject")
                .states(Status.UP.name(), Status.DEGRADED.name(), Status.DOWN.name())
                .register(registry);
        GaugeWithCallback.builder()
                .name("hbwatch_last_beat_age_seconds")
                .help("Seconds since the last beat (hb) or answer (ping, jmx)")
                .labelNames("job", "target", "subject")
                .callback(cb -> {
                    long now = nanoClock.getAsLong();
                    lastAnswerNanos.forEach((labels, at) -> cb.call((now - at) / 1e9, labels.toArray(new String[0])));
                })
                .register(registry);
        rtt = Histogram.builder()
                .name("hbwatch_rtt_seconds")
                .help("Round trips of ping echoes and Jolokia polls")
                .labelNames("job", "target")
                .classicOnly()
                .classicUpperBounds(
                        0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
                .register(registry);
        transitions = Counter.builder()
                .name("hbwatch_transitions_total")
                .help("Changes of state, by the state entered and its reason (empty when UP)")
                .labelNames("job", "target", "subject", "state", "reason")
                .register(registry);
        checks = Counter.builder()
                .name("hbwatch_checks_total")
                .help("Checks made: beats, silences, echoes, polls, failed connections")
                .labelNames("job", "target")
                .register(registry);
        hookRuns = Counter.builder()
                .name("hbwatch_hook_runs_total")
                .help("Runs of --on-down and --on-up hooks by result: ok, failed, timeout, dropped")
                .labelNames("hook", "result")
                .register(registry);
        flapping = Gauge.builder()
                .name("hbwatch_flapping")
                .help("1 while the job's state flaps (changes more than --flap-threshold times in --flap-window)")
                .labelNames("job", "target", "subject")
                .register(registry);
        stalls = Histogram.builder()
                .name("hbwatch_monitor_stall_seconds")
                .help("Stalls of the monitor itself (not running: stopped, paused, starved of CPU)")
                .classicOnly()
                .classicUpperBounds(0.25, 0.5, 1, 2.5, 5, 10, 30, 60)
                .register(registry);
    }

    /** The monitor itself was stalled for {@code nanos}. */
    public void stalled(long nanos) {
        stalls.observe(nanos / 1e9);
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    @Override
    public void onCheck(String target, String job, Check check, Check previous, Event event) {
        String subject = check.subject();
        if (previous != null && !previous.subject().equals(subject)) {
            // The subject got its real name (vm -> pid:1234): the old series would linger at its last value.
            forget(job, target, previous.subject());
        }
        up.labelValues(job, target, subject).set(check.state() == Status.DOWN ? 0 : 1);
        io.prometheus.metrics.core.datapoints.StateSetDataPoint s = state.labelValues(job, target, subject);
        for (Status st : Status.values()) {
            if (st == check.state()) {
                s.setTrue(st.name());
            } else {
                s.setFalse(st.name());
            }
        }
        checks.labelValues(job, target).inc();
        if (event != null) {
            flapping.labelValues(job, target, subject).set(event.flapping() == Boolean.TRUE ? 1 : 0);
        }
        if (check.rttNanos() >= 0) {
            rtt.labelValues(job, target).observe(check.rttNanos() / 1e9);
        }
        if (answered(job, check)) {
            lastAnswerNanos.put(List.of(job, target, subject), nanoClock.getAsLong());
        }
        if (previous == null
                || previous.state() != check.state()
                || !java.util.Objects.equals(previous.reason(), check.reason())) {
            transitions
                    .labelValues(
                            job, target, subject, check.state().name(), check.reason() == null ? "" : check.reason())
                    .inc();
        }
    }

    @Override
    public void onUnwatch(String target) {
        java.util.function.Function<List<String>, Boolean> of =
                labels -> labels.size() > 1 && labels.get(1).equals(target);
        up.removeIf(of);
        state.removeIf(of);
        rtt.removeIf(of);
        transitions.removeIf(of);
        checks.removeIf(of);
        flapping.removeIf(of);
        lastAnswerNanos.keySet().removeIf(labels -> labels.get(1).equals(target));
    }

    private void forget(String job, String target, String subject) {
        up.remove(job, target, subject);
        flapping.remove(job, target, subject);
        state.remove(job, target, subject);
        lastAnswerNanos.remove(List.of(job, target, subject));
    }

    /** Whether the target answered this check: a beat of any status, an echo, a Jolokia reply. */
    static boolean answered(String job, Check check) {
        if (job.equals("hb")) {
            return check.reason() == null || !SILENT.contains(check.reason());
        }
        return check.rttNanos() >= 0;
    }

    @Override
    public void record(String hook, Hooks.Result result) {
        hookRuns.labelValues(hook, result.name()).inc();
    }
}
