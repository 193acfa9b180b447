package io.hbwatch.monitor.hook;

import io.hbwatch.monitor.event.Event;
import io.hbwatch.protocol.Printable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One run of a hook: {@code sh -c COMMAND} with the event's JSON line on stdin and its fields in
 * {@code HBWATCH_*} environment variables, its output kept aside (the last line names a failure),
 * killed with its children past the timeout. Runs on a hook thread; not thread-safe.
 */
record HookRun(String hook, String command, Event event, Duration timeout) {
    /** How it went, and a phrase for the stderr line when it did not go well. */
    record Outcome(Hooks.Result result, String detail) {
        static Outcome of(Hooks.Result result, String detail) {
            return new Outcome(result, detail);
        }
    }

    /** "hb 127.0.0.1:7777 vm", for the stderr line. */
    String about() {
        return event.job() + " " + event.target() + " " + event.subject();
    }

    Outcome call() {
        Path output = null;
        Process p = null;
        try {
            output = Files.createTempFile("hbwatch-hook", ".out");
            ProcessBuilder pb = new ProcessBuilder(List.of("sh", "-c", command));
            pb.redirectErrorStream(true);
            pb.redirectOutput(output.toFile());
            Map<String, String> env = pb.environment();
            env.put("HBWATCH_TIME", event.timeText());
            env.put("HBWATCH_JOB", Printable.of(event.job()));
            env.put("HBWATCH_TARGET", Printable.of(event.target()));
            env.put("HBWATCH_SUBJECT", Printable.of(event.subject()));
            env.put("HBWATCH_STATE", event.state().name());
            env.put("HBWATCH_REASON", event.reason() == null ? "" : Printable.of(event.reason()));
            env.put("HBWATCH_DETAIL", Printable.of(event.detail()));
            env.put(
                    "HBWATCH_FLAPPING",
                    event.flapping() == null ? "" : event.flapping().toString());
            p = pb.start();
            try (OutputStream in = p.getOutputStream()) {
                in.write((event.toJson() + "\n").getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // the hook does not read its stdin: fine
            }
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill(p);
                return Outcome.of(Hooks.Result.timeout, "timed out after " + timeout.toMillis() + " ms and was killed");
            }
            if (p.exitValue() != 0) {
                return Outcome.of(Hooks.Result.failed, "failed with exit code " + p.exitValue() + lastLine(output));
            }
            return Outcome.of(Hooks.Result.ok, "");
        } catch (IOException e) {
            return Outcome.of(Hooks.Result.failed, "could not run: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (p != null) {
                kill(p);
            }
            return Outcome.of(Hooks.Result.timeout, "was killed: the monitor is stopping");
        } finally {
            if (output != null) {
                try {
                    Files.deleteIfExists(output);
                } catch (IOException e) {
                    // a temp file left behind; nothing else to do
                }
            }
        }
    }

    private static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }

    /** ": LAST LINE" of what the hook printed, at most 200 characters, or "" when it printed nothing. */
    private static String lastLine(Path output) {
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(output.toFile(), "r")) {
            // Only the tail: a hook may print a lot.
            long from = Math.max(0, f.length() - 4096);
            byte[] tail = new byte[(int) (f.length() - from)];
            f.seek(from);
            f.readFully(tail);
            List<String> lines =
                    new String(tail, StandardCharsets.UTF_8).lines().toList();
            for (int i = lines.size() - 1; i >= 0; i--) {
                String l = lines.get(i).strip();
                if (!l.isEmpty()) {
                    return ": " + (l.length() > 200 ? l.substring(0, 200) + "..." : l);
                }
            }
        } catch (IOException e) {
            // unreadable output: the exit code says enough
        }
        return "";
    }
}
