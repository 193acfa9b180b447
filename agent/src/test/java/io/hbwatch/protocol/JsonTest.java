package io.hbwatch.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTest {

    @Test
    void writesWhatItReads() throws JsonParser.JsonException {
        String line = new JsonLine()
                .field("seq", 42L)
                .field("subject", "name:\"odd\"\n\\tab")
                .field("ratio", 0.25)
                .field("ok", true)
                .field("none", (String) null)
                .field("threads", List.of("a", "b"))
                .toJson();
        Map<String, Object> m = JsonParser.parseObject(line);
        assertEquals(42L, m.get("seq"));
        assertEquals("name:\"odd\"\n\\tab", m.get("subject"));
        assertEquals(0.25, m.get("ratio"));
        assertEquals(true, m.get("ok"));
        assertEquals(null, m.get("none"));
        assertEquals(List.of("a", "b"), m.get("threads"));
    }

    @Test
    void resetReusesTheBuffer() {
        JsonLine w = new JsonLine();
        w.field("a", 1L).toJson();
        assertEquals("{\"b\":2}", w.reset().field("b", 2L).toJson());
    }

    @Test
    void controlCharactersAreEscaped() {
        assertEquals("\"\\u0001\"", JsonLine.quote("\u0001"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "[]",
                "{",
                "{\"a\"}",
                "{\"a\":}",
                "{\"a\":1,}",
                "{\"a\":1} x",
                "{\"a\":\"unterminated}",
                "{\"a\":tru}",
                "{\"a\":1e999}",
                "{\"a\":[[[[[[[[[[1]]]]]]]]]]}",
                "{\"a\":\"\\x\"}",
            })
    void rejectsWhatIsNotOneObject(String line) {
        assertThrows(JsonParser.JsonException.class, () -> JsonParser.parseObject(line));
    }

    @Test
    void statusOrder() {
        assertEquals(Status.DOWN, Status.worst(Status.DEGRADED, Status.DOWN));
        assertEquals(Status.DEGRADED, Status.worst(null, Status.DEGRADED));
        assertEquals(null, Status.parse("up"));
    }
}
