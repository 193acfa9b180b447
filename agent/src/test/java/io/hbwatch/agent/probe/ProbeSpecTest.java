package io.hbwatch.agent.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.hbwatch.agent.config.AgentConfig;
import io.hbwatch.agent.config.ConfigLoader;
import io.hbwatch.agent.config.Keys;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ProbeSpecTest {

    @Test
    void parsesSeveralProbesInOrder() {
        assertEquals(
                List.of(
                        new ProbeSpec("com.acme.Shop", "checkout", 2000),
                        new ProbeSpec("com.acme.Db$Pool", "take", 500)),
                ProbeSpec.parseAll("com.acme.Shop#checkout@2s; com.acme.Db$Pool#take@500ms;"));
    }

    @Test
    void writesBackAsGiven() {
        assertEquals("a.B#c@1.5s", ProbeSpec.parse("a.B#c@1.5s").toString());
        assertEquals("a.B#c", ProbeSpec.parse("a.B#c@1.5s").target());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "com.acme.Shop#checkout|has 'com.acme.Shop#checkout', which is not CLASS#METHOD@DEADLINE like com.acme.Shop#checkout@2s",
                "com.acme.Shop@2s|has 'com.acme.Shop@2s', which is not CLASS#METHOD@DEADLINE like com.acme.Shop#checkout@2s",
                "com..Shop#checkout@2s|has 'com..Shop', which is not a class name like com.acme.Shop",
                "com.acme.Shop#check-out@2s|has 'check-out', which is not a method name like checkout",
                "com.acme.Shop#checkout@2|has deadline '2', which is not a duration like 500ms or 2s",
                "com.acme.Shop#checkout@0|has deadline '0': it must lie between 1ms and 24h",
                "a.B#c@1s;a.B#c@2s|names a.B#c twice",
                "' ; '|names no probe: write CLASS#METHOD@DEADLINE like com.acme.Shop#checkout@2s",
            })
    void refusesWithAMessageNamingThePart(String text, String message) {
        assertEquals(
                message,
                assertThrows(IllegalArgumentException.class, () -> ProbeSpec.parseAll(text))
                        .getMessage());
    }

    @Test
    void theWatchOptionIsUnsetByDefaultAndReportedWhenBad() {
        assertEquals(null, ConfigLoader.fromAgentArgs(null).get(Keys.WATCH));
        AgentConfig c = ConfigLoader.fromAgentArgs("watch=a.B#c");
        assertEquals(null, c.get(Keys.WATCH));
        assertEquals(
                List.of("watch: 'a.B#c' has 'a.B#c', which is not CLASS#METHOD@DEADLINE like"
                        + " com.acme.Shop#checkout@2s; leaving it unset"),
                c.problems());
    }

    @ParameterizedTest
    @ValueSource(strings = {"a.B#c@1s;d.E#f@2s", "a.B#c@1s"})
    void theWatchOptionTakesSemicolonsBetweenAgentArgumentCommas(String watch) {
        AgentConfig c = ConfigLoader.fromAgentArgs("port=0,watch=" + watch + ",debug=true");
        assertEquals(ProbeSpec.parseAll(watch), c.get(Keys.WATCH));
        assertEquals(List.of(), c.problems());
    }
}
