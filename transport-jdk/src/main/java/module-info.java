/**
 * RFC 6455 by hand on the JDK's {@code HttpServer}: the pure codec
 * ({@code dev.chatengine.transport.jdk.protocol}) and the server ({@code dev.chatengine.transport.jdk.server}).
 *
 * <p>On the module path, run with {@code --add-opens jdk.httpserver/sun.net.httpserver=dev.chatengine.transport.jdk}
 * (on the class path: {@code =ALL-UNNAMED}); see {@code WebSocketHandler}.
 */
module dev.chatengine.transport.jdk {
    requires transitive dev.chatengine.engine;
    requires transitive jdk.httpserver;
    requires java.management; // the descriptor limit, for the default connection caps
    requires jdk.management;

    exports dev.chatengine.transport.jdk.protocol;
    exports dev.chatengine.transport.jdk.server;
}
