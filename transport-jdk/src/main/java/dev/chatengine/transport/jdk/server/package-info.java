/**
 * The WebSocket server on the JDK's {@code HttpServer}: {@link dev.chatengine.transport.jdk.server.WebSocketHandler}
 * (mount it on a context), its {@link dev.chatengine.transport.jdk.server.WebSocketConfig}, and the
 * {@link dev.chatengine.transport.jdk.server.WebSocketConnection} it hands to the application, which
 * implements the engine's {@code Connection}. The I/O half of the transport; the pure codec is in
 * {@code dev.chatengine.transport.jdk.protocol}.
 */
package dev.chatengine.transport.jdk.server;
