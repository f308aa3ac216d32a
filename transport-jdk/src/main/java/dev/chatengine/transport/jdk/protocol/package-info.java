/**
 * RFC 6455 without I/O: bytes in, values out, testable without a socket.
 *
 * <p>{@link dev.chatengine.transport.jdk.protocol.WebSocketDecoder} turns received bytes into
 * {@link dev.chatengine.transport.jdk.protocol.ReadEvent}s, enforcing the protocol for a
 * {@link dev.chatengine.transport.jdk.protocol.Role} and failing with a
 * {@link dev.chatengine.transport.jdk.protocol.ProtocolException} that carries the
 * {@link dev.chatengine.transport.jdk.protocol.CloseStatus} to answer with;
 * {@link dev.chatengine.transport.jdk.protocol.FrameEncoder} makes frames;
 * {@link dev.chatengine.transport.jdk.protocol.Handshake} holds the opening-handshake rules.
 * {@link dev.chatengine.transport.jdk.protocol.Masking} and
 * {@link dev.chatengine.transport.jdk.protocol.Utf8Validator} are the two hot loops, public so that
 * benchmarks can compare them with their plain alternatives.
 *
 * <p>permessage-deflate (RFC 7692): {@link dev.chatengine.transport.jdk.protocol.DeflateNegotiation}
 * answers the client's offers under a {@code DeflateConfig} of the server package
 * and gives the agreed {@link dev.chatengine.transport.jdk.protocol.DeflateParameters}; the decoder
 * inflates compressed messages within the size limit; the
 * {@link dev.chatengine.transport.jdk.protocol.WebSocketMessageEncoder} makes
 * {@link dev.chatengine.transport.jdk.protocol.CompressibleMessage}s, compressed at most once and
 * shared, and a {@link dev.chatengine.transport.jdk.protocol.DeflateSender} picks the form each
 * connection sends.
 */
package dev.chatengine.transport.jdk.protocol;
