package io.hbwatch.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {

    @Test
    void defaultsMatchTheContract() {
        AgentConfig c = ConfigLoader.fromAgentArgs(null);
        assertEquals(7777, c.get(Keys.PORT));
        assertEquals("127.0.0.1", c.get(Keys.HOST));
        assertEquals(1000L, c.get(Keys.INTERVAL));
        assertEquals(Optional.of(new HostPort("127.0.0.1", 8778)), c.get(Keys.JOLOKIA));
        assertNull(c.get(Keys.PORT_FILE));
        assertEquals(List.of(), c.problems());
    }

    @Test
    void everyKeyHasOneDocumentedDefault() throws IOException {
        Properties defaults = new Properties();
        try (InputStream in = Keys.class.getResourceAsStream("defaults.properties")) {
            defaults.load(in);
        }
        assertEquals(Keys.all().keySet(), defaults.stringPropertyNames());
    }

    @Test
    void agentArgumentsOverrideTheConfigFileWhichOverridesDefaults(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("hb.properties");
        Files.writeString(file, "port=9000\ninterval=250ms\n");
        AgentConfig c = ConfigLoader.fromAgentArgs("config=" + file + ",port=9100");
        assertEquals(9100, c.get(Keys.PORT));
        assertEquals(250L, c.get(Keys.INTERVAL));
        assertEquals(List.of(), c.problems());
    }

    @Test
    void aBadValueIsNamedAndTheLowerLayerWins() {
        AgentConfig c = ConfigLoader.fromAgentArgs("interval=banana,port=99999");
        assertEquals(1000L, c.get(Keys.INTERVAL));
        assertEquals(7777, c.get(Keys.PORT));
        assertEquals(
                List.of(
                        "port: '99999' is not a port number from 0 to 65535; using 7777",
                        "interval: 'banana' is not a duration like 500ms, 2s, 1m or 1h; using 1s"),
                c.problems());
    }

    @Test
    void hoursAreADuration() {
        assertEquals(3_600_000L, ConfigLoader.fromAgentArgs("interval=1h").get(Keys.INTERVAL));
        assertEquals(1, ConfigLoader.fromAgentArgs("interval=2h").problems().size(), "past the 1h limit");
    }

    @Test
    void theRestOfAPasswordWithACommaIsNeverPrinted() {
        AgentConfig c = ConfigLoader.fromAgentArgs("jolokiaUser=u,jolokiaPassword=first,s3cr3t-half,port=0");
        assertEquals(0, c.get(Keys.PORT));
        assertEquals(1, c.problems().size(), c.problems().toString());
        assertFalse(c.problems().get(0).contains("s3cr3t"), c.problems().get(0));
        assertFalse(c.problems().get(0).contains("first"), c.problems().get(0));
        assertTrue(
                c.problems().get(0).contains("jolokiaPasswordFile"),
                c.problems().get(0));
    }

    @Test
    void unknownKeysAndMissingFilesAreReportedNotFatal() {
        AgentConfig c = ConfigLoader.fromAgentArgs("colour=blue,config=/no/such/file.properties,nonsense");
        assertEquals(7777, c.get(Keys.PORT));
        assertEquals(3, c.problems().size(), c.problems().toString());
        assertTrue(
                c.problems().get(0).startsWith("'nonsense' is not key=value"),
                c.problems().get(0));
        assertTrue(c.problems().get(1).contains("no such file"), c.problems().get(1));
        assertTrue(
                c.problems().get(2).startsWith("unknown option 'colour'"),
                c.problems().get(2));
    }

    @Test
    void standaloneTakesDoubleDashOptionsAndIface() throws ConfigException {
        AgentConfig c =
                ConfigLoader.fromCommandLine(new String[] {"--port", "0", "--iface=0.0.0.0", "--interval", "2s"});
        assertEquals(0, c.get(Keys.PORT));
        assertEquals("0.0.0.0", c.get(Keys.HOST));
        assertEquals(2000L, c.get(Keys.INTERVAL));
    }

    @Test
    void standaloneRefusesWhatItCannotUse() {
        assertEquals(
                "--port needs a value",
                assertThrows(ConfigException.class, () -> ConfigLoader.fromCommandLine(new String[] {"--port"}))
                        .getMessage());
        assertEquals(
                "interval: '5' is not a duration like 500ms, 2s, 1m or 1h; using 1s",
                assertThrows(
                                ConfigException.class,
                                () -> ConfigLoader.fromCommandLine(new String[] {"--interval", "5"}))
                        .getMessage());
        assertTrue(
                assertThrows(ConfigException.class, () -> ConfigLoader.fromCommandLine(new String[] {"--colour", "x"}))
                        .getMessage()
                        .startsWith("unknown option --colour"));
    }

    @ParameterizedTest
    @CsvSource({"0,0", "500ms,500", "2s,2000", "1.5s,1500", "1m,60000", "' 250MS ',250"})
    void durations(String text, long ms) {
        assertEquals(ms, Values.durationMs(text));
    }

    @ParameterizedTest
    @CsvSource({"banana", "5", "-1s", "s", "1d", "h", "NaNs"})
    void notDurations(String text) {
        assertThrows(IllegalArgumentException.class, () -> Values.durationMs(text));
    }

    @ParameterizedTest
    @CsvSource({"127.0.0.1:8778,127.0.0.1,8778", "8778,127.0.0.1,8778", "[::1]:0,::1,0", "example.org:80,example.org,80"
    })
    void hostPorts(String text, String host, int port) {
        assertEquals(new HostPort(host, port), Values.hostPort(text));
    }

    @ParameterizedTest
    @CsvSource({"':80'", "host:", "host:99999", "::1:80", "[::1]"})
    void notHostPorts(String text) {
        assertThrows(IllegalArgumentException.class, () -> Values.hostPort(text));
    }

    @ParameterizedTest
    @CsvSource({"4096,4096", "16k,16384", "16KiB,16384", "1m,1048576", "' 8K ',8192", "5000b,5000"})
    void sizes(String text, int bytes) {
        assertEquals(bytes, Values.bytes(4096, 1 << 20).parse(text));
    }

    @ParameterizedTest
    @CsvSource({"banana", "-1k", "1k", "2m", "k", "99999999999999999999", "1.5k"})
    void notSizes(String text) {
        assertThrows(IllegalArgumentException.class, () -> Values.bytes(4096, 1 << 20)
                .parse(text));
    }
}
