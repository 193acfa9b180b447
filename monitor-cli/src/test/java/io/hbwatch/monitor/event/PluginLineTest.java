package io.hbwatch.monitor.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hbwatch.monitor.cli.Format;
import io.hbwatch.protocol.Status;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The plugin line against the grammar of the Monitoring Plugins development guidelines: {@code
 * SERVICE STATUS - text | 'label'=value[UOM];[warn];[crit];[min];[max] ...}, one line, the status
 * word matching the exit code.
 */
class PluginLineTest {
    /** Status, summary without '|', then optional perfdata. */
    private static final Pattern LINE =
            Pattern.compile("HBWATCH (OK|WARNING|CRITICAL|UNKNOWN) - ([^|\\n]+?)(?: \\| (.+))?");
    /** One datum: a quoted label or one without spaces, '=' and a value with a known unit. */
    private static final Pattern DATUM = Pattern.compile(
            "('[^'=]+'|[^'= ]+)=(-?[0-9]+(?:\\.[0-9]+)?)(us|ms|s|%|B|KB|MB|TB|c)?((?:;-?[0-9.]*){0,4})");

    private static final Pattern DATA = Pattern.compile(
            "(?:'[^'=]+'|[^'= ]+)=-?[0-9]+(?:\\.[0-9]+)?(?:us|ms|s|%|B|KB|MB|TB|c)?(?:;-?[0-9.]*){0,4}"
                    + "(?: (?:'[^'=]+'|[^'= ]+)=-?[0-9]+(?:\\.[0-9]+)?(?:us|ms|s|%|B|KB|MB|TB|c)?(?:;-?[0-9.]*){0,4})*");

    private final StringWriter out = new StringWriter();

    private Reporter reporter(String... jobs) {
        Output output = new Output(Format.plugin, false, new PrintWriter(out), new PrintWriter(new StringWriter()));
        return new Reporter(List.of(jobs), "10.0.0.5:7777", output, false, Clock.systemUTC());
    }

    private static Check beat(Status status, String reason, String detail, long pauseMs) {
        return new Check("vm", status, reason, detail, -1, false, "i", "1", pauseMs);
    }

    /** Parses the line by the grammar and returns label -> value. */
    private static java.util.Map<String, String> parse(String line, String word) {
        Matcher m = LINE.matcher(line);
        assertTrue(m.matches(), "not by the guidelines: " + line);
        assertEquals(word, m.group(1), line);
        java.util.Map<String, String> data = new java.util.LinkedHashMap<>();
        if (m.group(3) != null) {
            assertTrue(DATA.matcher(m.group(3)).matches(), "bad perfdata: " + m.group(3));
            Matcher d = DATUM.matcher(m.group(3));
            while (d.find()) {
                data.put(d.group(1), d.group(2) + (d.group(3) == null ? "" : d.group(3)));
            }
        }
        return data;
    }

    @Test
    void theFirstLineNamesTheStateOfTheExitCodeAndCarriesRoundTripsAgeAndPause() {
        Reporter r = reporter("ping", "hb", "jmx");
        r.report("ping", Check.up("host", "echo in 0.2 ms", 200_000));
        r.report("hb", beat(Status.UP, null, "first beat", 0));
        r.report("hb", beat(Status.UP, null, "beat seq 2", 412));
        r.report("jmx", Check.up("vm", "ping echoed", 3_500_000));
        r.close();
        List<String> lines = out.toString().lines().toList();
        java.util.Map<String, String> data = parse(lines.get(0), "OK");
        assertEquals("0.200ms", data.get("ping_rtt"));
        assertEquals("3.500ms", data.get("jmx_rtt"));
        assertEquals("412.000ms", data.get("hb_pause"));
        assertTrue(data.containsKey("hb_age"), data::toString);
        assertEquals(0, r.exitCode());
        assertTrue(lines.get(0).contains("10.0.0.5:7777: ping UP, hb UP, jmx UP"), lines.get(0));
        // the rest follows it: the events, then the summary
        assertTrue(lines.get(1).contains(" ping 10.0.0.5:7777 host UP: echo in 0.2 ms"), out::toString);
        assertTrue(lines.get(lines.size() - 1).startsWith("jmx: 1 check"), out::toString);
    }

    @Test
    void aFailureLeadsTheSummaryAndNoDetailCanForgePerfdata() {
        Reporter r = reporter("ping", "hb");
        r.report("ping", Check.up("host", "echo", 100_000));
        r.report("hb", Check.down("vm", "refused", "nothing listens | fake=1"));
        r.close();
        String first = out.toString().lines().findFirst().orElseThrow();
        java.util.Map<String, String> data = parse(first, "CRITICAL");
        assertEquals(2, r.exitCode());
        assertTrue(first.contains("10.0.0.5:7777: hb DOWN (refused): nothing listens / fake=1; ping UP"), first);
        assertEquals(List.of("ping_rtt"), List.copyOf(data.keySet()));
    }

    @Test
    void degradedIsWarningAndNoResultIsUnknownWithoutPerfdata() {
        Reporter degraded = reporter("hb");
        degraded.report("hb", beat(Status.DEGRADED, "gc", "G1 spent 60% collecting", 0));
        assertEquals("WARNING", parseWord(degraded.pluginLine()));

        Reporter none = reporter("hb");
        String line = none.pluginLine();
        parse(line, "UNKNOWN");
        assertTrue(!line.contains("|"), line);
    }

    @Test
    void severalTargetsAreCountedAndTheirLabelsQuoted() {
        Output output = new Output(Format.plugin, false, new PrintWriter(out), new PrintWriter(new StringWriter()));
        Reporter r = new Reporter(output, false, Clock.systemUTC());
        r.watch("a:1", "a:1", List.of("ping"));
        r.watch("b:2", "b:2", List.of("ping"));
        r.report("a:1", "ping", Check.up("host", "echo", 1_000_000));
        r.report("b:2", "ping", Check.down("host", "unreachable", "no echo in 1 s"));
        String line = r.pluginLine();
        java.util.Map<String, String> data = parse(line, "CRITICAL");
        assertTrue(
                line.contains(" - 2 targets: 1 UP, 1 DOWN; worst: b:2 ping DOWN (unreachable): no echo in 1 s"), line);
        assertEquals("1.000ms", data.get("'a:1 ping_rtt'"));
    }

    private static String parseWord(String line) {
        Matcher m = LINE.matcher(line);
        assertTrue(m.matches(), line);
        return m.group(1);
    }
}
