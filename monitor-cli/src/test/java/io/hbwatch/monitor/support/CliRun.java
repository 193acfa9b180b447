package io.hbwatch.monitor.support;

import io.hbwatch.monitor.MonitorCli;
import io.hbwatch.protocol.JsonParser;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One in-process run of {@code monitor-cli} with its output captured, as {@code main} would run it. */
public record CliRun(int exitCode, String out, String err) {
    public static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = MonitorCli.commandLine(new MonitorCli())
                .setOut(new PrintWriter(out))
                .setErr(new PrintWriter(err))
                .execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }

    /** The JSON events on stdout of a {@code --format json} run. */
    public List<Map<String, Object>> events() {
        List<Map<String, Object>> events = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            try {
                events.add(JsonParser.parseObject(line));
            } catch (JsonParser.JsonException e) {
                throw new AssertionError("not a JSON event: " + line, e);
            }
        }
        return events;
    }

    /** "STATE reason" of each event in order, e.g. ["UP null", "DOWN timeout"]. */
    public List<String> states() {
        return events().stream()
                .map(e -> e.get("state") + " " + e.get("reason"))
                .toList();
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
}
