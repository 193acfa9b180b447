import io.hbwatch.monitor.jmx.HeartbeatReading;
import io.hbwatch.monitor.jmx.JolokiaProbe;
import java.util.Arrays;
import java.util.Locale;

/**
 * Round trip of one jmx check, as monitor-cli's --job jmx does it: one bulk request (read the
 * Heartbeat MBean's attributes + exec ping with a fresh nonce) over one keep-alive connection,
 * with Jolokia's own Java client. Run by bench/jolokia-rtt.sh.
 *
 * usage: java -cp monitor-cli.jar bench/JolokiaRtt.java LABEL URL [CHECKS] [WARMUP]
 */
public class JolokiaRtt {
    public static void main(String[] args) throws Exception {
        String label = args[0];
        String url = args[1];
        int checks = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 1000;
        long[] rtt = new long[checks];
        try (JolokiaProbe probe = new JolokiaProbe(url, null, null, 5000)) {
            for (int i = 0; i < warmup + checks; i++) {
                String nonce = "n" + i;
                long t0 = System.nanoTime();
                HeartbeatReading r = probe.heartbeat(nonce);
                long t = System.nanoTime() - t0;
                if (!nonce.equals(r.echo())) {
                    throw new IllegalStateException("bad echo " + r.echo());
                }
                if (i >= warmup) {
                    rtt[i - warmup] = t;
                }
            }
        }
        Arrays.sort(rtt);
        System.out.printf(
                Locale.ROOT,
                "| %s | %d | %.2f ms | %.2f ms | %.2f ms |%n",
                label,
                checks,
                rtt[checks / 2] / 1e6,
                rtt[(int) Math.ceil(checks * 0.99) - 1] / 1e6,
                rtt[checks - 1] / 1e6);
    }
}
