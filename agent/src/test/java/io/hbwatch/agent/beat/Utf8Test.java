package io.hbwatch.agent.beat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Utf8Test {

    @ParameterizedTest
    @ValueSource(strings = {"", "plain ascii", "é and ß", "€ 3 bytes", "emoji 😀 4 bytes", "日本語"})
    void encodesLikeTheJdk(String s) {
        byte[] out = new byte[64];
        int n = Utf8.encode(s, out, out.length);
        assertArrayEquals(s.getBytes(StandardCharsets.UTF_8), Arrays.copyOf(out, n));
    }

    @ParameterizedTest
    @ValueSource(strings = {"abcd", "é€", "😀"})
    void refusesWhatDoesNotFit(String s) {
        int need = s.getBytes(StandardCharsets.UTF_8).length;
        assertEquals(-1, Utf8.encode(s, new byte[need], need - 1));
        assertEquals(need, Utf8.encode(s, new byte[need], need));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\ud800", "a\udc00b"})
    void aLoneSurrogateBecomesAQuestionMark(String s) {
        byte[] out = new byte[8];
        int n = Utf8.encode(s, out, out.length);
        assertEquals(s.replaceAll("[\ud800-\udfff]", "?"), new String(out, 0, n, StandardCharsets.UTF_8));
    }
}
