package io.hbwatch.monitor.job;

import static io.hbwatch.monitor.support.FakeServer.beats;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hbwatch.monitor.cli.Format;
import io.hbwatch.monitor.cli.MonitorOptions;
import io.hbwatch.monitor.event.Output;
import io.hbwatch.monitor.event.Reporter;
import io.hbwatch.monitor.support.FakeServer;
import io.hbwatch.protocol.JsonParser;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The runner's retries for a host that did not resolve when the run started. */
class JobRunnerTest {
    @CommandLine.Command(name = "target")
    static final class Line {
        @CommandLine.Mixin
        MonitorOptions options = new MonitorOptions();
    }

    private static MonitorOptions options(String... args) {
        Line line = new Line();
        new CommandLine(line).parseArgs(args);
        return line.options;
    }

    @Test
    void aHostThatStartsResolvingLaterGoesUpNormally() throws Exception {
        try (FakeServer server = new FakeServer((s, n) -> beats(s, 1, 100, 50, "a"))) {
            String target = "later.invalid:" + server.port();
            MonitorOptions o = options(target, "--job", "hb", "--count", "4", "--timeout", "5s");
            AtomicInteger lookups = new AtomicInteger();
            JobRunner.Resolver dnsLate = host -> {
                if (lookups.incrementAndGet() <= 2) {
                    throw new UnknownHostException(host);
                }
                return InetAddress.getLoopbackAddress();
            };
            StringWriter out = new StringWriter();
            Output output = new Output(Format.json, false, new PrintWriter(out), new PrintWriter(new StringWriter()));
            Reporter reporter = new Reporter(output, false, Clock.systemUTC());
            reporter.watch(target, target, List.of("hb"));
            Watch w = new Watch(target, o, null, Jobs.create(o.job), "fleet.txt:2");
            new JobRunner(List.of(w), reporter, output, dnsLate).run(Duration.ofMillis(100));
            reporter.close();

            List<String> events = new ArrayList<>();
            for (String line : out.toString().split("\n")) {
                var e = JsonParser.parseObject(line);
                events.add(e.get("subject") + " " + e.get("state") + " " + e.get("reason") + ": " + e.get("detail"));
            }
            assertEquals("host DOWN unresolved: cannot resolve host 'later.invalid' (fleet.txt:2)", events.get(0));
            assertEquals(2, events.size(), events::toString);
            assertEquals("vm UP null", events.get(1).substring(0, "vm UP null".length()), events::toString);
            assertEquals(3, lookups.get());
            assertEquals(0, reporter.exitCode());
        }
    }
}
