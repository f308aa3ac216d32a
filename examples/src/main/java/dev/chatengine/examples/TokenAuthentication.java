package dev.chatengine.examples;

import dev.chatengine.engine.AttributeKey;
import dev.chatengine.engine.Attributes;
import dev.chatengine.engine.Client;
import dev.chatengine.engine.ClientHandler;
import dev.chatengine.engine.Hub;
import dev.chatengine.engine.transport.Inbound;
import dev.chatengine.transport.jdk.server.ChatServer;
import dev.chatengine.transport.jdk.server.HandshakeDecision;
import dev.chatengine.transport.jdk.server.HandshakeHook;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.Principal;
import java.util.Map;

/**
 * Token authentication at the handshake: a {@link HandshakeHook} looks the {@code ?token=} of the
 * request up (here in a map; in an application, a database or an identity provider: the hook may
 * block), answers 401 with a {@code WWW-Authenticate} challenge before any 101 when it is unknown,
 * and otherwise admits the connection with the user as its principal and the user's role as an
 * attribute. The handler reads both from the {@link Client}.
 */
public final class TokenAuthentication {

    /** A user the token store knows. */
    public record User(String name, String role) implements Principal {
        @Override
        public String getName() {
            return name;
        }
    }

    /** The attribute the hook sets and the handler reads. */
    public static final AttributeKey<String> ROLE = AttributeKey.of("role", String.class);

    private TokenAuthentication() {
    }

    // README:token-auth
    /** Admits the user of a known {@code ?token=}; 401 otherwise. */
    static HandshakeHook tokens(Map<String, User> users) {
        return request -> request.queryParameter("token")
                .map(users::get)
                .<HandshakeDecision>map(user -> HandshakeDecision.accept(user, Attributes.of(ROLE, user.role())))
                .orElseGet(() -> HandshakeDecision.unauthorized("Bearer realm=\"chat\"", "a valid token is required"));
    }

    /** Greets each user by name and role, then echoes what they say, signed. */
    static final class Greeter implements ClientHandler {
        private final Hub hub;

        Greeter(Hub hub) {
            this.hub = hub;
        }

        @Override
        public void onOpen(Client client) {
            String name = client.principal().map(Principal::getName).orElse("stranger");
            client.send(hub.encoder().text("hello, " + name + " (" + client.attribute(ROLE).orElse("none") + ")"));
        }

        @Override
        public void onText(Client client, Inbound.Text text) {
            client.send(hub.encoder().text(client.principal().orElseThrow().getName() + ": " + text.text()));
        }
    }

    /** Serves {@code /ws} on {@code address} to the holders of a token in {@code users}. */
    public static ChatServer start(InetSocketAddress address, Map<String, User> users) throws IOException {
        return ChatServer.builder()
                .address(address)
                .webSocket(ws -> ws.handshakeHook(tokens(users)))
                .endpoint("/ws", Greeter::new)
                .start();
    }
    // README:end

    /** Runs on port 8080 with one token, {@code s3cret}: connect to {@code ws://localhost:8080/ws?token=s3cret}. */
    public static void main(String[] args) throws IOException {
        ChatServer server = start(new InetSocketAddress(8080), Map.of("s3cret", new User("alice", "admin")));
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        System.out.println("serving " + server.uri("/ws") + "?token=s3cret");
    }
}
