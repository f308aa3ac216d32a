package dev.chatengine.examples;

import dev.chatengine.engine.chat.ChatService;
import dev.chatengine.transport.jdk.server.ChatServer;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

/**
 * Chat protocol v1 over TLS ({@code wss://}): the server's key and certificate come from a PKCS12
 * keystore (made with {@code keytool -genkeypair -keystore chat.p12 -storetype PKCS12 ...}, or
 * converted from PEM with {@code openssl pkcs12 -export}); {@link ChatServer.Builder#tls} makes an
 * {@code HttpsServer} with it. The same works on an {@code HttpsServer} of your own, given with
 * {@link ChatServer.Builder#httpServer}.
 */
public final class TlsChat {

    private TlsChat() {
    }

    // README:tls
    /** A TLS context with the key and certificate of a PKCS12 keystore. */
    static SSLContext serverContext(Path keystore, char[] password) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, password);
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    /** Serves chat protocol v1 on {@code wss://address/chat}. */
    public static ChatServer start(InetSocketAddress address, Path keystore, char[] password)
            throws IOException, GeneralSecurityException {
        return ChatServer.builder()
                .address(address)
                .tls(serverContext(keystore, password))
                .endpoint("/chat", ChatService::new)
                .start();
    }
    // README:end

    /** {@code TlsChat KEYSTORE PASSWORD}: serves {@code wss://localhost:8443/chat}. */
    public static void main(String[] args) throws Exception {
        ChatServer server = start(new InetSocketAddress(8443), Path.of(args[0]), args[1].toCharArray());
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        System.out.println("serving " + server.uri("/chat"));
    }
}
