package io.hbwatch.monitor;

import io.hbwatch.monitor.cli.MonitorOptions;
import io.hbwatch.monitor.cli.TargetsFile;
import io.hbwatch.monitor.event.Output;
import io.hbwatch.monitor.event.Reporter;
import io.hbwatch.monitor.job.JobRunner;
import io.hbwatch.monitor.job.Watch;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * SIGHUP: rereads {@code --targets}, as daemons reread their configuration. Added targets start,
 * removed ones stop (one line with their last state each), targets whose line is unchanged keep
 * their state, history and connections, and a changed line is a removal and an addition. A
 * mistake in the new file is one line on stderr and the targets of before run on.
 *
 * <p>Thread-safe: reloads are serialized.
 */
final class Reload {
    private final Path file;
    private final List<String> inherited;
    private final Consumer<MonitorOptions> validate;
    private final Reporter reporter;
    private final Output output;
    /** key -> the words of its line, for the targets running now. */
    private final Map<String, List<String>> current = new LinkedHashMap<>();

    private JobRunner runner;

    Reload(
            Path file,
            List<String> inherited,
            Consumer<MonitorOptions> validate,
            List<TargetsFile.Entry> entries,
            Reporter reporter,
            Output output) {
        this.file = file;
        this.inherited = inherited;
        this.validate = validate;
        this.reporter = reporter;
        this.output = output;
        for (TargetsFile.Entry e : entries) {
            current.put(Watch.keyOf(e.options()), e.words());
        }
    }

    synchronized void runner(JobRunner runner) {
        this.runner = runner;
    }

    /** Rereads the file and applies what changed; never throws. */
    synchronized void run() {
        if (runner == null) {
            output.warn("monitor-cli: SIGHUP: not yet running; nothing reloaded");
            return;
        }
        List<TargetsFile.Entry> entries;
        try {
            entries = TargetsFile.read(file, inherited, validate);
        } catch (TargetsFile.Invalid e) {
            output.warn("monitor-cli: reload failed: " + e.getMessage() + "; the " + current.size()
                    + " targets of before run on");
            return;
        }
        Map<String, TargetsFile.Entry> next = new LinkedHashMap<>();
        for (TargetsFile.Entry e : entries) {
            next.put(Watch.keyOf(e.options()), e);
        }
        int removed = 0;
        int changed = 0;
        for (String key : List.copyOf(current.keySet())) {
            TargetsFile.Entry e = next.get(key);
            if (e == null || !e.words().equals(current.get(key))) {
                runner.remove(key);
                reporter.unwatch(key, e == null ? "removed from " + file : "changed in " + file);
                current.remove(key);
                if (e == null) {
                    removed++;
                } else {
                    changed++;
                }
            }
        }
        int added = 0;
        for (Map.Entry<String, TargetsFile.Entry> n : next.entrySet()) {
            if (current.containsKey(n.getKey())) {
                continue;
            }
            TargetsFile.Entry e = n.getValue();
            Watch w = Watch.resolve(e.options(), file + ":" + e.line());
            reporter.watch(
                    w.key(),
                    w.options().target.toString(),
                    w.jobs().stream().map(j -> j.name()).toList());
            runner.add(w);
            current.put(n.getKey(), e.words());
            added++;
        }
        added -= changed;
        output.note("monitor-cli: reloaded " + file + ": " + current.size() + " targets (" + added + " added, "
                + removed + " removed, " + changed + " changed, " + (current.size() - added - changed)
                + " unchanged)");
    }
}
