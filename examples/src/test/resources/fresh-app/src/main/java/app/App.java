package app;

import dev.chatengine.engine.chat.ChatHooks;
import dev.chatengine.engine.chat.ChatService;
import dev.chatengine.engine.chat.IdentityPolicy;
import dev.chatengine.transport.jdk.server.ChatServer;
import dev.chatengine.transport.jdk.server.DeflateConfig;
import dev.chatengine.transport.jdk.server.HandshakeDecision;
import dev.chatengine.transport.jdk.server.HandshakeHook;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.Principal;
import java.util.Map;

/** Chat on /chat for the holders of a token; each user's chat name is the token's user. */
public final class App {

    record User(String getName) implements Principal {
    }

    private App() {
    }

    public static ChatServer start(InetSocketAddress address, Map<String, String> tokens) throws IOException {
        HandshakeHook login = request -> request.queryParameter("token")
                .map(tokens::get)
                .<HandshakeDecision>map(name -> HandshakeDecision.accept(new User(name)))
                .orElseGet(() -> HandshakeDecision.unauthorized("Bearer", "token required"));
        return ChatServer.builder()
                .address(address)
                .webSocket(ws -> ws.handshakeHook(login).deflate(DeflateConfig.builder().thresholdBytes(256).build()))
                .endpoint("/chat", hub -> ChatService.builder(hub)
                        .hooks(ChatHooks.builder().identity(IdentityPolicy.fromPrincipal(true)).build())
                        .build())
                .start();
    }

    public static void main(String[] args) throws IOException {
        ChatServer server = start(new InetSocketAddress(8080), Map.of("t-alice", "alice"));
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        System.out.println("chat on " + server.uri("/chat") + "?token=t-alice");
    }
}
