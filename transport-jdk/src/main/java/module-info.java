/**
 * RFC 6455 by hand on the JDK's {@code HttpServer}. The API is {@code dev.chatengine.transport.jdk.server}:
 * {@link dev.chatengine.transport.jdk.server.ChatServer} for the common case, and its building blocks
 * ({@link dev.chatengine.transport.jdk.server.WebSocketHandler}, its config, the handshake hook, the
 * origin policy, the subprotocol selector). The pure codec ({@code dev.chatengine.transport.jdk.protocol})
 * is internal and not exported; {@link dev.chatengine.transport.jdk.server.WebSocketHandler#messageEncoder()}
 * hands out its encoder.
 *
 * <p>On the module path, run with {@code --add-opens jdk.httpserver/sun.net.httpserver=dev.chatengine.transport.jdk}
 * (on the class path: {@code =ALL-UNNAMED}); see {@code WebSocketHandler}.
 */
module dev.chatengine.transport.jdk {
    requires transitive dev.chatengine.engine;
    requires transitive jdk.httpserver;
    requires java.management; // the descriptor limit, for the default connection caps
    requires jdk.management;
    requires java.logging; // AcceptGuard watches HttpServer's logger for failed accepts

    exports dev.chatengine.transport.jdk.server;
}
