package io.hbwatch.agent.watchdog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.hbwatch.agent.config.AgentConfig;
import io.hbwatch.agent.config.ConfigLoader;
import io.hbwatch.agent.config.Keys;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WatchdogOptionsTest {

    @Test
    void defaults() {
        AgentConfig c = ConfigLoader.fromAgentArgs(null);
        assertEquals(1000L, c.get(Keys.PAUSE_WARN));
        assertEquals(5000L, c.get(Keys.DEADLOCK_CHECK));
        assertEquals(Action.LOG, c.get(Keys.ON_DEADLOCK));
        assertEquals(Action.LOG, c.get(Keys.ON_STALL));
        assertEquals(null, c.get(Keys.DUMP_DIR));
    }

    @ParameterizedTest
    @CsvSource({"log,log", "DUMP,dump", "exit=70,exit=70", "' exit=0 ',exit=0", "exit=255,exit=255"})
    void actions(String text, String written) {
        assertEquals(written, Action.parse(text).toString());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "halt|is not log, dump, heapdump or exit=CODE",
                "exit|is not log, dump, heapdump or exit=CODE",
                "exit=|has no exit code from 0 to 255, like exit=70",
                "exit=256|has no exit code from 0 to 255, like exit=70",
                "exit=-1|has no exit code from 0 to 255, like exit=70",
            })
    void notActions(String text, String message) {
        assertEquals(
                message,
                assertThrows(IllegalArgumentException.class, () -> Action.parse(text))
                        .getMessage());
    }

    @Test
    void offAndDurations() {
        AgentConfig c = ConfigLoader.fromAgentArgs("pauseWarn=off,deadlockCheck=250ms,onDeadlock=exit=70,onStall=dump");
        assertEquals(0L, c.get(Keys.PAUSE_WARN));
        assertEquals(250L, c.get(Keys.DEADLOCK_CHECK));
        assertEquals(Action.parse("exit=70"), c.get(Keys.ON_DEADLOCK));
        assertEquals(Action.DUMP, c.get(Keys.ON_STALL));
        assertEquals(List.of(), c.problems());
    }

    @Test
    void badValuesAreNamedAndTheDefaultKept() {
        AgentConfig c = ConfigLoader.fromAgentArgs("deadlockCheck=10ms,onStall=kill,pauseWarn=soon");
        assertEquals(5000L, c.get(Keys.DEADLOCK_CHECK));
        assertEquals(
                List.of(
                        "pauseWarn: 'soon' is not a duration like 500ms, 2s, 1m or 1h; using 1s",
                        "deadlockCheck: '10ms' is out of range: it must lie between 100ms and 60m; using 5s",
                        "onStall: 'kill' is not log, dump, heapdump or exit=CODE; using log"),
                c.problems());
    }
}
