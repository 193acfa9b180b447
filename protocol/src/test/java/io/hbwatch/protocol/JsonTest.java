package io.hbwatch.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hbwatch.testing.Allocation;
import java.nio.charset.StandardCharsets;
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
        assertEquals("\"a\\u2028b\\u001f\"", JsonLine.quote("a\u2028b\u001f"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "plain ascii", "é and ß", "€ 3 bytes", "emoji 😀 4 bytes", "日本語"})
    void writesUtf8LikeTheJdk(String s) throws JsonParser.JsonException {
        JsonLine w = new JsonLine(4);
        int n = w.field("s", s).finish();
        byte[] out = new byte[n];
        w.copyTo(out);
        String expected = "{\"s\":\"" + s + "\"}";
        assertArrayEquals(expected.getBytes(StandardCharsets.UTF_8), out);
        assertEquals(
                s,
                JsonParser.parseObject(new String(out, StandardCharsets.UTF_8)).get("s"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\ud800", "a\udc00b"})
    void aLoneSurrogateBecomesAQuestionMark(String s) {
        assertEquals("\"" + s.replaceAll("[\ud800-\udfff]", "?") + "\"", JsonLine.quote(s));
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 7, -7, 10, 99, 1_000_000_007L, Long.MAX_VALUE, Long.MIN_VALUE})
    void writesLongsLikeTheJdk(long v) {
        assertEquals("{\"n\":" + v + "}", new JsonLine().field("n", v).toJson());
    }

    @Test
    void aRememberedValueIsRewrittenWhenItChanges() {
        JsonLine w = new JsonLine();
        String first = "one";
        assertEquals(
                "{\"a\":\"one\",\"b\":1}", w.field("a", first).field("b", 1L).toJson());
        // Fields in another order, and a value equal to but not the same instance as the last one.
        String second = new String("two\"");
        assertEquals(
                "{\"b\":2,\"a\":\"two\\\"\"}",
                w.reset().field("b", 2L).field("a", second).toJson());
        assertEquals("{\"a\":null}", w.reset().field("a", (String) null).toJson());
        assertEquals("{\"a\":\"one\"}", w.reset().field("a", first).toJson());
    }

    @Test
    void moreNamesThanItRemembersStillWrite() throws JsonParser.JsonException {
        JsonLine w = new JsonLine();
        for (int i = 0; i <= JsonLine.REMEMBERED + 5; i++) {
            w.field("k" + i, "v" + i);
        }
        Map<String, Object> m = JsonParser.parseObject(w.toJson());
        assertEquals(JsonLine.REMEMBERED + 6, m.size());
        assertEquals("v" + (JsonLine.REMEMBERED + 5), m.get("k" + (JsonLine.REMEMBERED + 5)));
    }

    /** The beat path's promise: the same fields again, numbers changing, allocate nothing. */
    @Test
    void rewritingABeatAllocatesNothing() {
        JsonLine w = new JsonLine(Protocol.MAX_LINE_BYTES);
        byte[] out = new byte[Protocol.MAX_LINE_BYTES];
        long[] sum = {0};
        Runnable thousand = () -> {
            for (int i = 0; i < 1000; i++) {
                sum[0] += beat(w, sum[0] + i, out);
            }
        };
        long allocated = Allocation.steadyStateBytes(thousand, 20, 5); // warm up: the JIT, then the steady state
        assertTrue(sum[0] != 0);
        assertEquals(0, allocated, "bytes allocated by 1000 beats");
    }

    private static final String JVM = "OpenJDK 64-Bit Server VM";

    private static int beat(JsonLine w, long seq, byte[] out) {
        int n = w.reset()
                .field(Protocol.F_VERSION, Protocol.VERSION)
                .field(Protocol.F_SEQ, seq)
                .field(Protocol.F_STATUS, Status.UP.name())
                .field(Protocol.F_JVM, JVM)
                .field("ok", seq % 2 == 0)
                .finish();
        w.copyTo(out);
        return n;
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
