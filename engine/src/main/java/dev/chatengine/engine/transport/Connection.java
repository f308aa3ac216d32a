package dev.chatengine.engine.transport;

import dev.chatengine.engine.ApplicationClose;
import dev.chatengine.engine.Attributes;
import dev.chatengine.engine.DisconnectReason;

import java.io.IOException;
import java.security.Principal;
import java.util.Optional;

/**
 * One client's message connection, as a transport gives it to the engine: the seam between the
 * engine, which knows rooms and clients, and a transport, which knows bytes on a wire.
 *
 * <p>A transport (for example {@code transport-jdk}'s WebSocket server) implements this and hands
 * each new connection to {@link dev.chatengine.engine.Hub#serve(Connection, dev.chatengine.engine.ClientHandler)}.
 * The engine then owns it:
 * <ul>
 *   <li>{@link #read()} is called only by the client's read pump, one call at a time;</li>
 *   <li>{@link #useWriter(Runnable)} once, before the first {@code read()};</li>
 *   <li>{@link #write}, {@link #ping()}, {@link #writeControlFrames()} and the {@code close} methods
 *       only by its write pump, one call at a time;</li>
 *   <li>{@link #hasControlFrames()}, {@link #abort()}, {@link #remoteAddress()}, {@link #principal()}
 *       and {@link #attributes()} from any thread.</li>
 * </ul>
 *
 * <p>The transport answers the peer's control traffic (pings, the peer's close) by itself, but it
 * does not write those answers from {@code read()}: the engine's write pump is the one writer
 * (so that a peer flooding pings and never reading cannot block the read pump on a full socket, and
 * so that answers never interleave with messages). The transport queues a pong, calls the wake-up
 * given to {@link #useWriter}, and the pump writes it through {@link #writeControlFrames()} ahead of
 * queued messages. When the peer closes, or breaks the protocol, {@code read()} returns
 * {@link Inbound.Closed} and the pump sends the transport's answer (the echo of the peer's close, or
 * the protocol error's close) through {@link #close(DisconnectReason)}, after the messages the hub
 * had already accepted. A transport used without the engine (nobody calls {@code useWriter}) may
 * write its answers from {@code read()} itself.
 */
public interface Connection {

    /**
     * Blocks until the next inbound event: a complete message, a pong, or the end of the
     * connection. Once it has returned {@link Inbound.Closed} it is not called again.
     *
     * @throws IOException when the connection failed (the engine treats it as
     *         {@link DisconnectReason#CONNECTION_LOST})
     */
    Inbound read() throws IOException;

    /**
     * Writes {@code count} encoded messages from {@code batch}, in order, in as few socket writes
     * as the transport can. The messages were encoded once by this transport's {@link MessageEncoder}
     * and may be shared with other connections: never modify them. Blocks until written.
     */
    void write(EncodedMessage[] batch, int count) throws IOException;

    /** Sends a keepalive ping; the peer's pong comes back through {@link #read()} as {@link Inbound.Pong}. */
    void ping() throws IOException;

    /**
     * Starts an orderly close for {@code reason}: sends the transport's close signal (a WebSocket
     * close frame with the code the transport maps the reason to), then ends the connection once the
     * peer answers or after the transport's close timeout. If the peer closed first or broke the
     * protocol ({@code read()} returned {@link Inbound.Closed}), sends the transport's answer to that
     * instead (the echo of the peer's code, or the protocol error's code). Idempotent. Blocks at most
     * as long as one write may block.
     */
    void close(DisconnectReason reason);

    /**
     * {@link #close(DisconnectReason)} for {@link DisconnectReason#APPLICATION}, with exactly the code
     * and reason the application gave ({@link dev.chatengine.engine.Client#close(int, String)}). A
     * transport without close codes may ignore them (the default).
     */
    default void close(ApplicationClose close) {
        close(DisconnectReason.APPLICATION);
    }

    /**
     * Called once by the engine before the first {@link #read()}: from now on the transport leaves
     * the writing of its own control frames to the write pump, and calls {@code wakeWriter} (from any
     * thread; it never blocks) whenever {@link #hasControlFrames()} becomes true. The default does
     * nothing: such a transport writes its answers itself.
     */
    default void useWriter(Runnable wakeWriter) {
    }

    /** True while control frames of the transport's own (pongs) wait for {@link #writeControlFrames()}. */
    default boolean hasControlFrames() {
        return false;
    }

    /** Write pump: writes the waiting control frames now, ahead of any queued message. */
    default void writeControlFrames() throws IOException {
    }

    /** Closes the underlying socket now, without any handshake; unblocks {@link #read()} and {@link #write}. Idempotent. */
    void abort();

    /** The peer's address, for logs, for example {@code 127.0.0.1:53122}. */
    String remoteAddress();

    /**
     * Who the peer is, as the application decided when it accepted the connection (the WebSocket
     * transport's handshake hook); empty for an anonymous peer. Fixed for the connection's life.
     * The default is empty, for transports without authentication.
     */
    default Optional<Principal> principal() {
        return Optional.empty();
    }

    /**
     * What the application attached to the connection when it accepted it (the WebSocket transport's
     * handshake hook), fixed for the connection's life. The default is {@link Attributes#empty()}.
     */
    default Attributes attributes() {
        return Attributes.empty();
    }
}
