package io.hbwatch.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hbwatch.protocol.BeatSignature;
import io.hbwatch.protocol.JsonParser;
import io.hbwatch.testing.AgentJvm;
import io.hbwatch.testing.BeatClient;
import io.hbwatch.testing.apps.SleepApp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code secret=} and {@code secretFile=}: every beat of every subject carries a valid {@code sig}. */
class SignedBeatsIT {
    private static final String SECRET = "correct horse battery staple";

    @TempDir
    Path tmp;

    @Test
    void withASecretFileEveryBeatIsSignedAndTheSecretIsNeverPrinted() throws Exception {
        Path secretFile = Files.writeString(tmp.resolve("hb.secret"), SECRET + "\n");
        try (AgentJvm app = AgentJvm.builder(tmp)
                .agentArgs("interval=100ms,secretFile=" + secretFile + ",debug=true")
                .main(SleepApp.class)
                .start()) {
            int port = app.awaitPorts().heartbeat();
            BeatSignature good = new BeatSignature(SECRET.getBytes(StandardCharsets.UTF_8));
            BeatSignature wrong = new BeatSignature("another secret".getBytes(StandardCharsets.UTF_8));
            String vmNonce = BeatSignature.newNonce();
            String pidNonce = BeatSignature.newNonce();
            String pidText = Long.toString(app.pid());
            String vmLine = "{\"nonce\":\"" + vmNonce + "\",\"proof\":\"" + good.proof(vmNonce, null) + "\"}";
            try (BeatClient vm = BeatClient.connect(port, vmLine);
                    BeatClient pid = BeatClient.connect(
                            port,
                            "{\"pid\":\"" + pidText + "\",\"nonce\":\"" + pidNonce + "\",\"proof\":\""
                                    + good.proof(pidNonce, pidText) + "\"}")) {
                long seq = -1;
                for (int i = 0; i < 5; i++) {
                    String line = vm.readLine();
                    assertTrue(good.verify(line), line);
                    assertFalse(wrong.verify(line), line);
                    Map<String, Object> beat = JsonParser.parseObject(line);
                    assertEquals("vm", beat.get("subject"));
                    assertEquals(vmNonce, beat.get("nonce"), "bound to this connection");
                    assertTrue((Long) beat.get("seq") > seq);
                    seq = (Long) beat.get("seq");
                    String other = pid.readLine();
                    assertTrue(good.verify(other), other);
                    assertEquals(pidNonce, JsonParser.parseObject(other).get("nonce"));
                }
                // The same first line again: a replay, refused.
                try (BeatClient replay = BeatClient.connect(port, vmLine)) {
                    assertTrue(replay.next().get("error").toString().contains("used before"));
                }
            }
            // Without the proof, or with a wrong one: one error line, and no slot held.
            String nonce = BeatSignature.newNonce();
            for (String first : new String[] {
                "{}",
                "{\"nonce\":\"" + nonce + "\"}",
                "{\"nonce\":\"" + nonce + "\",\"proof\":\"" + wrong.proof(nonce, null) + "\"}",
            }) {
                try (BeatClient stranger = BeatClient.connect(port, first)) {
                    Map<String, Object> answer = stranger.next();
                    assertTrue(answer.get("error").toString().contains("proof"), answer.toString());
                    assertTrue(stranger.endsSoon(), "closed after its first line");
                }
            }
            assertTrue(app.stderr().contains("every 100ms, signed"), app.stderr());
            assertFalse(app.stderr().contains(SECRET), app.stderr());
        }
    }

    @Test
    void anUnreadableSecretFileIsOneLineAndBeatsGoUnsigned() throws Exception {
        // Unsigned beats, not silence: a monitor that expects a signature reports them as auth.
        Path missing = tmp.resolve("missing.secret");
        try (AgentJvm app = AgentJvm.builder(tmp)
                .agentArgs("secretFile=" + missing)
                .main(SleepApp.class)
                .start()) {
            int port = app.awaitPorts().heartbeat();
            try (BeatClient c = BeatClient.connect(port, "{}")) {
                assertFalse(c.next().containsKey("sig"));
            }
            assertTrue(
                    app.stderr().contains("hbwatch: secretFile: '" + missing + "' is not a file that exists"),
                    app.stderr());
        }
    }
}
