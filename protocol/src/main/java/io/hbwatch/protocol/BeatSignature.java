package io.hbwatch.protocol;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * Signs and checks beats with a shared secret: HMAC-SHA256 (RFC 2104) over the line as it would be
 * without the signature, carried as the line's last field, {@code ,"sig":"<64 lowercase hex
 * digits>"}, just before the closing brace. The signed text holds {@code instance}, {@code seq} and
 * {@code time}, so a replayed or reordered beat is told apart by its content (see {@code
 * docs/PROTOCOL.md}, "Signed beats", for what this does and does not protect).
 *
 * <pre>
 * unsigned: {"v":1,...,"status":"UP"}
 * signed:   {"v":1,...,"status":"UP","sig":"9f86d081..."}   sig = HMAC-SHA256(secret, unsigned)
 * </pre>
 *
 * <p>HMAC is built on a reused {@link MessageDigest} rather than {@code javax.crypto.Mac}, whose
 * {@code doFinal} allocates its result: signing and checking a line allocate nothing, so the beat
 * path stays allocation-free. The result is the same as {@code Mac.getInstance("HmacSHA256")}'s.
 *
 * <p>Not thread-safe: each thread that signs or checks owns its instance.
 */
public final class BeatSignature {
    /** The field that carries the signature. */
    public static final String FIELD = "sig";
    /** Bytes a signature adds to a line: {@code ,"sig":"} + 64 hex digits + {@code "}. */
    public static final int OVERHEAD_BYTES = 8 + 64 + 1;

    private static final byte[] PREFIX = (",\"" + FIELD + "\":\"").getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final int BLOCK = 64;
    private static final String SUBSCRIBE = "hbwatch-subscribe";
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    private final MessageDigest sha256;
    private final byte[] innerPad = new byte[BLOCK];
    private final byte[] outerPad = new byte[BLOCK];
    private final byte[] digest = new byte[32];

    /**
     * @param secret the shared secret, any length but not empty (a longer one is hashed first, as
     *     RFC 2104 says); copied, so the caller may wipe its array
     * @throws IllegalArgumentException when the secret is empty
     */
    public BeatSignature(byte[] secret) {
        if (secret.length == 0) {
            throw new IllegalArgumentException("the secret is empty");
        }
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
        byte[] key = secret.length > BLOCK ? sha256.digest(secret) : secret;
        for (int i = 0; i < BLOCK; i++) {
            byte k = i < key.length ? key[i] : 0;
            innerPad[i] = (byte) (k ^ 0x36);
            outerPad[i] = (byte) (k ^ 0x5c);
        }
    }

    /**
     * Signs the JSON object in {@code line[0, length)} (no newline; it must end with {@code }}):
     * inserts the {@code sig} field before the closing brace.
     *
     * @return the new length, {@code length + OVERHEAD_BYTES}
     * @throws IllegalArgumentException when the line does not end with {@code }} or the array has
     *     no room for the signature
     */
    public int sign(byte[] line, int length) {
        if (length < 2 || line[length - 1] != '}' || line.length < length + OVERHEAD_BYTES) {
            throw new IllegalArgumentException("not a JSON object with room for a signature");
        }
        hmac(line, length - 1);
        int at = length - 1;
        System.arraycopy(PREFIX, 0, line, at, PREFIX.length);
        at += PREFIX.length;
        for (byte b : digest) {
            line[at++] = HEX[(b >> 4) & 0xF];
            line[at++] = HEX[b & 0xF];
        }
        line[at++] = '"';
        line[at++] = '}';
        return at;
    }

    /**
     * True when the line in {@code line[0, length)} (no newline) ends with a {@code sig} field that
     * is the HMAC of the rest under this secret. Compares in constant time.
     */
    public boolean verify(byte[] line, int length) {
        int sigAt = length - 2 - 64; // where the hex digits start
        int prefixAt = sigAt - PREFIX.length;
        if (prefixAt < 1 || line[length - 1] != '}' || line[length - 2] != '"') {
            return false;
        }
        for (int i = 0; i < PREFIX.length; i++) {
            if (line[prefixAt + i] != PREFIX[i]) {
                return false;
            }
        }
        hmac(line, prefixAt);
        int diff = 0;
        for (int i = 0; i < digest.length; i++) {
            int hi = hexValue(line[sigAt + 2 * i]);
            int lo = hexValue(line[sigAt + 2 * i + 1]);
            diff |= (hi | lo) >>> 8; // not a hex digit
            diff |= ((hi << 4) | lo) ^ (digest[i] & 0xFF);
        }
        return diff == 0;
    }

    /** {@link #verify(byte[], int)} for a line already decoded (a trailing {@code \r} or newline is ignored). */
    public boolean verify(String line) {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        int n = bytes.length;
        while (n > 0 && (bytes[n - 1] == '\n' || bytes[n - 1] == '\r')) {
            n--;
        }
        return verify(bytes, n);
    }

    /**
     * The proof a subscriber gives in its first line that it knows the secret: the HMAC, in hex, of
     * {@code hbwatch-subscribe}, the connection's {@code nonce} and the {@code pid} it asks for (empty
     * for the default subject), one per line. The agent refuses a subscriber without it, so that
     * strangers cannot hold its slots, and a nonce only once, so that a recorded first line cannot
     * be replayed.
     */
    public String proof(String nonce, String pid) {
        byte[] m = (SUBSCRIBE + "\n" + nonce + "\n" + (pid == null ? "" : pid)).getBytes(StandardCharsets.UTF_8);
        hmac(m, m.length);
        char[] hex = new char[64];
        for (int i = 0; i < digest.length; i++) {
            hex[2 * i] = (char) HEX[(digest[i] >> 4) & 0xF];
            hex[2 * i + 1] = (char) HEX[digest[i] & 0xF];
        }
        return new String(hex);
    }

    /** Whether {@code proof} is {@link #proof}'s for {@code nonce} and {@code pid}; constant time. */
    public boolean checkProof(String nonce, String pid, String proof) {
        if (proof == null || proof.length() != 64) {
            return false;
        }
        return MessageDigest.isEqual(
                proof(nonce, pid).getBytes(StandardCharsets.US_ASCII), proof.getBytes(StandardCharsets.US_ASCII));
    }

    /** A fresh nonce: 128 random bits in hex. */
    public static String newNonce() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        StringBuilder hex = new StringBuilder(32);
        for (byte x : b) {
            hex.append((char) HEX[(x >> 4) & 0xF]).append((char) HEX[x & 0xF]);
        }
        return hex.toString();
    }

    /** Whether {@code nonce} is one a subscriber may send: 16 to 64 of {@code [0-9A-Za-z_-]}. */
    public static boolean validNonce(String nonce) {
        if (nonce == null || nonce.length() < 16 || nonce.length() > 64) {
            return false;
        }
        for (int i = 0; i < nonce.length(); i++) {
            char c = nonce.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /**
     * Reads a secret file as agent and monitor both do: its bytes without trailing line breaks,
     * spaces and tabs (so that {@code echo secret > file} works).
     *
     * @throws IOException when the file cannot be read
     * @throws IllegalArgumentException when nothing is left: "the file is empty"
     */
    public static byte[] readSecret(Path file) throws IOException {
        byte[] b = Files.readAllBytes(file);
        int n = b.length;
        while (n > 0 && (b[n - 1] == '\n' || b[n - 1] == '\r' || b[n - 1] == ' ' || b[n - 1] == '\t')) {
            n--;
        }
        if (n == 0) {
            throw new IllegalArgumentException("the file is empty");
        }
        return n == b.length ? b : Arrays.copyOf(b, n);
    }

    /** HMAC over {@code text[0, end)} followed by {@code '}'}, into {@link #digest}. */
    private void hmac(byte[] text, int end) {
        try {
            sha256.reset();
            sha256.update(innerPad);
            sha256.update(text, 0, end);
            sha256.update((byte) '}');
            sha256.digest(digest, 0, digest.length);
            sha256.update(outerPad);
            sha256.update(digest);
            sha256.digest(digest, 0, digest.length);
        } catch (java.security.DigestException e) {
            throw new IllegalStateException(e); // cannot happen: the array holds 32 bytes
        }
    }

    /** 0 to 15 for a lowercase hex digit; a value above 255 otherwise. */
    private static int hexValue(byte c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return 0x100;
    }
}
