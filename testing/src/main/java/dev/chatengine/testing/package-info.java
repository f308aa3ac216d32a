/**
 * The test kit of chatengine (artifact {@code dev.chatengine:chatengine-testing}, test scope):
 * {@link dev.chatengine.testing.InMemoryConnection} and {@link dev.chatengine.testing.IdentityEncoder}
 * to test a {@code ClientHandler} on a real hub without sockets (a peer that can be made slow or
 * stuck); {@link dev.chatengine.testing.WebSocketTestClient}, a WebSocket client over real sockets
 * that waits with deadlines; {@link dev.chatengine.testing.ChatTestClient}, a chat protocol v1 client
 * on top of it. Failures are {@link java.lang.AssertionError}s, so they read as test failures in
 * any test framework. No dependency beyond the engine and the JDK.
 */
package dev.chatengine.testing;
