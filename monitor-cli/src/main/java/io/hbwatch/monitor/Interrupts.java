package io.hbwatch.monitor;

import io.hbwatch.monitor.job.JobRunner;

/**
 * Ends a long run on SIGINT (Ctrl-C) and SIGTERM the way ping does: the jobs stop, the summary is
 * printed and the exit code is 0. SIGHUP rereads the targets file ({@link JobRunner#reload()}), as
 * daemons reread their configuration, instead of ending the run. {@code sun.misc.Signal} (module jdk.unsupported, present in every
 * JDK) is the only way to keep the JVM from exiting with 130 or 143 before {@code main} returns.
 */
final class Interrupts {
    private Interrupts() {}

    @SuppressWarnings("removal")
    static void stopOnSignal(JobRunner runner) {
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> runner.stop());
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // This platform does not let us handle it: the JVM's default (exit) stays.
            }
        }
        try {
            sun.misc.SignalHandler before =
                    sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> runner.reload());
            if (before == sun.misc.SignalHandler.SIG_IGN) {
                // Ignored when the JVM started (nohup): the JVM then installs no handler, and
                // a SIGHUP never arrives.
                runner.reloadUnreachable();
            }
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            // no SIGHUP here (or the JVM was started with -Xrs): nothing to reload by signal
        }
    }
}
