package check;

import app.App;
import dev.chatengine.testing.ChatTestClient;
import dev.chatengine.testing.WebSocketTestClient;
import dev.chatengine.transport.jdk.server.ChatServer;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;

/** AppTest's check as a program: prints "fresh app ok" and exits 0, or fails with an AssertionError. */
public final class SelfCheck {

    public static void main(String[] args) throws Exception {
        try (ChatServer server = App.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                Map.of("t-alice", "alice"))) {
            int refused = WebSocketTestClient.builder(server.uri("/chat")).handshakeStatus();
            check(refused == 401, "no token: " + refused);
            try (ChatTestClient alice = ChatTestClient.connect(URI.create(server.uri("/chat") + "?token=t-alice"))) {
                alice.send("{\"type\":\"login\"}");
                String name = alice.skipTo("welcome").string("name");
                check("alice".equals(name), "welcome name: " + name);
                alice.say("lobby", "hello from a fresh app");
                String text = alice.skipTo("message").string("text");
                check("hello from a fresh app".equals(text), "message: " + text);
            }
        }
        System.out.println("fresh app ok (" + (SelfCheck.class.getModule().isNamed() ? "module path" : "class path") + ")");
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }
}
