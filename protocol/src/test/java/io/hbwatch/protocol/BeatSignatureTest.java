package io.hbwatch.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hbwatch.testing.Allocation;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BeatSignatureTest {
    private static final String BEAT = "{\"v\":1,\"instance\":\"0123456789abcdef\",\"seq\":7,\"time\":1795715834170,"
            + "\"interval\":1000,\"subject\":\"vm\",\"status\":\"UP\",\"detail\":\"caf\u00e9\"}";

    private static byte[] room(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        return Arrays.copyOf(b, b.length + BeatSignature.OVERHEAD_BYTES);
    }

    private static String signed(String secret, String line) {
        byte[] b = room(line);
        int n = new BeatSignature(secret.getBytes(StandardCharsets.UTF_8))
                .sign(b, b.length - BeatSignature.OVERHEAD_BYTES);
        assertEquals(b.length, n);
        return new String(b, 0, n, StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 16, 64, 65, 200})
    void theSignatureIsTheHmacSha256OfTheLineWithoutIt(int secretLength) throws Exception {
        String secret = "k".repeat(secretLength);
        String line = signed(secret, BEAT);
        assertTrue(line.startsWith(BEAT.substring(0, BEAT.length() - 1) + ",\"sig\":\""), line);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = HexFormat.of().formatHex(mac.doFinal(BEAT.getBytes(StandardCharsets.UTF_8)));
        assertEquals(expected, JsonParser.parseObject(line).get("sig"));
    }

    @Test
    void aSignedLineVerifiesAndAnythingChangedDoesNot() {
        BeatSignature sig = new BeatSignature("s3cret".getBytes(StandardCharsets.UTF_8));
        String line = signed("s3cret", BEAT);
        assertTrue(sig.verify(line));
        assertTrue(sig.verify(line + "\r\n"));
        assertFalse(sig.verify(BEAT), "unsigned");
        assertFalse(sig.verify(line.replace("\"seq\":7", "\"seq\":8")), "content changed");
        assertFalse(sig.verify(line.replace("UP", "DN")), "content changed");
        assertFalse(new BeatSignature("other".getBytes(StandardCharsets.UTF_8)).verify(line), "another secret");
        int hex = line.length() - 3;
        char c = line.charAt(hex);
        assertFalse(sig.verify(line.substring(0, hex) + (c == '0' ? '1' : '0') + line.substring(hex + 1)), "sig");
        assertFalse(sig.verify(line.toUpperCase()), "upper case");
        assertFalse(sig.verify("{\"sig\":\"" + "0".repeat(64) + "\"}"));
        assertFalse(sig.verify(""));
        assertFalse(sig.verify("}"));
        assertFalse(sig.verify(line.substring(0, line.length() - 1)));
    }

    @Test
    void anEmptySecretOrALineWithoutRoomIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new BeatSignature(new byte[0]));
        BeatSignature sig = new BeatSignature(new byte[] {1});
        byte[] tight = BEAT.getBytes(StandardCharsets.UTF_8);
        assertThrows(IllegalArgumentException.class, () -> sig.sign(tight, tight.length));
        byte[] notObject = room("[1]");
        assertThrows(IllegalArgumentException.class, () -> sig.sign(notObject, 3));
    }

    @Test
    void signingAndCheckingAllocateNothing() {
        BeatSignature sig = new BeatSignature("s3cret".getBytes(StandardCharsets.UTF_8));
        byte[] original = room(BEAT);
        byte[] line = original.clone();
        int unsigned = line.length - BeatSignature.OVERHEAD_BYTES;
        boolean[] all = {true};
        Runnable thousand = () -> {
            for (int i = 0; i < 1000; i++) {
                System.arraycopy(original, 0, line, 0, line.length); // signing rewrites the line in place
                all[0] &= sig.verify(line, sig.sign(line, unsigned));
            }
        };
        long allocated = Allocation.steadyStateBytes(thousand, 20, 5); // warm up: the JIT, then the steady state
        assertTrue(all[0]);
        assertEquals(0, allocated, "bytes allocated by 1000 signs and checks");
    }
}
