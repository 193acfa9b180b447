package io.hbwatch.agent.config;

import io.hbwatch.protocol.BeatSignature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Paths;

/**
 * The shared secret that signs beats ({@code secret=} or {@code secretFile=}). Its text never
 * appears in output: {@link #toString()} hides it and the options' error lines do not quote it.
 * Immutable.
 */
public final class Secret {
    private final byte[] bytes;

    private Secret(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Parses {@code secret=TEXT}: the UTF-8 bytes of the text, trimmed, not empty. */
    static Secret ofText(String text) {
        return new Secret(Values.nonEmpty(text).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Parses {@code secretFile=PATH}: the file's bytes without trailing line breaks and spaces (so
     * that {@code echo secret > file} works), not empty.
     */
    static Secret ofFile(String path) {
        String name = Values.nonEmpty(path);
        try {
            return new Secret(BeatSignature.readSecret(Paths.get(name)));
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("is not a file that exists");
        } catch (IOException | InvalidPathException e) {
            throw new IllegalArgumentException("cannot be read: " + (e.getMessage() == null ? e : e.getMessage()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("holds no secret: " + e.getMessage());
        }
    }

    /** The secret the options set: {@code secretFile} if given, else {@code secret}; or null for none. */
    public static Secret of(AgentConfig config) {
        Secret file = config.get(Keys.SECRET_FILE);
        return file != null ? file : config.get(Keys.SECRET);
    }

    /** A copy of the secret's bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public String toString() {
        return "(hidden)";
    }
}
