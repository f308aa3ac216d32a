package dev.chatengine.demo;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

/** Reads the demo's TLS key from a PKCS#12 keystore ({@code --tls-keystore}). Stateless. */
final class DemoTls {

    private DemoTls() {
    }

    /**
     * A TLS context serving the key and certificate chain in {@code keystore}.
     *
     * @throws IOException with one sentence naming the file when it cannot be read or opened
     */
    static SSLContext context(Path keystore, String password) throws IOException {
        char[] secret = password.toCharArray();
        try (InputStream in = Files.newInputStream(keystore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, secret);
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, secret);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IOException("cannot use TLS keystore " + keystore + " (PKCS#12, password from --tls-password or $"
                    + Exposure.PASSWORD_VARIABLE + "): " + e.getMessage(), e);
        }
    }
}
