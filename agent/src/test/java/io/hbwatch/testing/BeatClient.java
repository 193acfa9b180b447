package io.hbwatch.testing;

import io.hbwatch.protocol.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A plain blocking client of the heartbeat stream for tests: connect, optionally send the first
 * line, read beats as parsed JSON objects.
 */
public final class BeatClient implements AutoCloseable {
    private final Socket socket;
    private final BufferedReader in;

    private BeatClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    }

    /** Connects to {@code 127.0.0.1:port}; reads time out after 10 s. */
    public static BeatClient connect(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        s.setSoTimeout(10_000);
        return new BeatClient(s);
    }

    /** Connects and sends {@code firstLine} and a newline at once. */
    public static BeatClient connect(int port, String firstLine) throws IOException {
        BeatClient c = connect(port);
        c.send(firstLine + "\n");
        return c;
    }

    /** Asks for an OS process by PID or name. */
    public static BeatClient watch(int port, String pidOrName) throws IOException {
        return connect(port, "{\"pid\":" + io.hbwatch.protocol.JsonLine.quote(pidOrName) + "}");
    }

    /**
     * Asks for an OS process by PID or name (or, null, the default subject) of an agent with a
     * secret: with a fresh nonce and the proof of the secret, as monitor-cli sends them.
     */
    public static BeatClient watchSigned(int port, String pidOrName, io.hbwatch.protocol.BeatSignature secret)
            throws IOException {
        String nonce = io.hbwatch.protocol.BeatSignature.newNonce();
        io.hbwatch.protocol.JsonLine line = new io.hbwatch.protocol.JsonLine();
        if (pidOrName != null) {
            line.field("pid", pidOrName);
        }
        return connect(
                port,
                line.field("nonce", nonce)
                        .field("proof", secret.proof(nonce, pidOrName))
                        .toJson());
    }

    public void send(String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    public Socket socket() {
        return socket;
    }

    /** The next line, or {@code null} at the end of the stream. */
    public String readLine() throws IOException {
        return in.readLine();
    }

    /** The next line as a JSON object; fails at the end of the stream. */
    public Map<String, Object> next() throws IOException {
        String line = readLine();
        if (line == null) {
            throw new IOException("the stream ended");
        }
        try {
            return JsonParser.parseObject(line);
        } catch (JsonParser.JsonException e) {
            throw new IOException("not JSON: " + line, e);
        }
    }

    /** Reads beats until one has {@code status} (within the read timeout of each line); returns it. */
    public Map<String, Object> nextWithStatus(String status) throws IOException {
        for (int i = 0; i < 1000; i++) {
            Map<String, Object> beat = next();
            if (status.equals(beat.get("status"))) {
                return beat;
            }
        }
        throw new IOException("no beat with status " + status + " in 1000 beats");
    }

    /** True when the server closed the stream (EOF or reset) within the read timeout. */
    public boolean endsSoon() {
        try {
            while (true) {
                if (in.readLine() == null) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
