package io.hbwatch.agent.standalone;

import io.hbwatch.agent.beat.BeatServer;
import io.hbwatch.agent.beat.Limits;
import io.hbwatch.agent.config.AgentConfig;
import io.hbwatch.agent.config.Keys;
import io.hbwatch.agent.config.Secret;
import io.hbwatch.agent.config.Values;
import io.hbwatch.agent.health.Exiting;
import io.hbwatch.agent.subject.HostSubject;
import io.hbwatch.agent.util.HbThreads;
import io.hbwatch.agent.util.Log;
import io.hbwatch.agent.util.PortFile;
import io.hbwatch.protocol.Addresses;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar hb-agent.jar --port 7777 --host 127.0.0.1}: the heartbeat stream for the host
 * and, on a client's request, for any OS process on it. Runs until killed; SIGTERM and Ctrl-C end
 * it cleanly with exit code 0.
 *
 * <pre>
 * java -jar hb-agent.jar --port 7777 --iface 0.0.0.0 --interval 500ms
 * printf '{"pid":"sleep"}\n' | nc 127.0.0.1 7777
 * </pre>
 */
public final class Standalone {
    private Standalone() {}

    /**
     * Serves until the JVM is asked to stop.
     *
     * @return the exit code: 1 when the port cannot be bound; otherwise it does not return before
     *     the JVM ends with 0
     */
    public static int run(AgentConfig config) throws InterruptedException {
        BeatServer beats;
        InetSocketAddress address;
        try {
            beats = new BeatServer(
                    new HostSubject(), config.get(Keys.INTERVAL), Limits.from(config), BeatServer.newInstanceId());
            Secret secret = Secret.of(config);
            if (secret != null) {
                beats.signWith(secret.bytes());
            }
            address = beats.listen(config.get(Keys.HOST), config.get(Keys.PORT));
        } catch (IOException | RuntimeException e) {
            Log.warn(
                    "cannot listen on " + config.get(Keys.HOST) + ":" + config.get(Keys.PORT) + ": " + Log.describe(e));
            return 1;
        }
        Path portFile = config.get(Keys.PORT_FILE);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            beats.close("the agent is exiting: " + Exiting.cause());
                            if (portFile != null) {
                                PortFile.delete(portFile);
                            }
                            stopped.countDown();
                            // Killed by SIGTERM or Ctrl-C is how this server is meant to end:
                            // exit 0, not the JVM's 143 or 130. This process is ours to end.
                            Runtime.getRuntime().halt(0);
                        },
                        HbThreads.PREFIX + "shutdown"));
        beats.start();
        if (portFile != null) {
            try {
                PortFile.write(portFile, address.getPort(), null);
            } catch (IOException | RuntimeException e) {
                Log.warn("portFile: cannot write " + portFile + ": " + Log.describe(e));
            }
        }
        Log.info("heartbeat for host " + Addresses.hostPort(address)
                + " every " + Values.formatMs(config.get(Keys.INTERVAL)) + (beats.signed() ? ", signed" : "")
                + "; send {\"pid\":\"PID or NAME\"} as the first line to watch a process; Ctrl-C stops");
        stopped.await();
        return 0;
    }
}
