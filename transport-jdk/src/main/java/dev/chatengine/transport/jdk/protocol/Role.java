package dev.chatengine.transport.jdk.protocol;

/**
 * Which end of a WebSocket connection we are, which decides the masking rule of RFC 6455 section 5.1:
 * a client masks every frame it sends and a server masks none, so a {@link WebSocketDecoder} in role
 * {@link #SERVER} requires masked frames and one in role {@link #CLIENT} rejects them.
 */
public enum Role {
    /** We accepted the connection; the peer is a client whose frames are masked. */
    SERVER,
    /** We opened the connection; the peer is a server whose frames are not masked. */
    CLIENT
}
