package io.hbwatch.agent.http;

import io.hbwatch.agent.config.AgentConfig;
import io.hbwatch.agent.config.Keys;
import io.hbwatch.agent.util.Log;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;

/**
 * HTTPS for the agent's Jolokia, from a key store file: {@link HttpListener} layers TLS over each
 * accepted connection, with the JDK's default protocols and cipher suites. The handshake runs on
 * a worker, under the first request's deadline.
 */
final class Tls {
    private Tls() {}

    /** True when {@code jolokiaKeystore} is set. */
    static boolean wanted(AgentConfig config) {
        return config.get(Keys.JOLOKIA_KEYSTORE) != null;
    }

    /**
     * The factory that layers the server's side of TLS over an accepted connection.
     *
     * @throws IllegalArgumentException naming the option when the key store cannot be used
     */
    static SSLSocketFactory sockets(AgentConfig config) {
        return context(config.get(Keys.JOLOKIA_KEYSTORE), config.get(Keys.JOLOKIA_KEYSTORE_PASSWORD))
                .getSocketFactory();
    }

    private static SSLContext context(Path file, String password) {
        char[] pw = password == null ? new char[0] : password.toCharArray();
        try (InputStream in = Files.newInputStream(file)) {
            // PKCS12 since Java 9 reads JKS too ("keystore.type.compat").
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, pw);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, pw);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException(
                    "jolokiaKeystore: '" + file + "' cannot be used (" + Log.describe(e) + "); Jolokia stays off");
        }
    }
}
