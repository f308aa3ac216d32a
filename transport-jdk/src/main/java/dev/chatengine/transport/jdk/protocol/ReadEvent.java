package dev.chatengine.transport.jdk.protocol;

/** STUB: what the decoder produces: whole messages and control frames. */
public sealed interface ReadEvent {
    record Message(boolean text, byte[] payload) implements ReadEvent {}
    record Ping(byte[] payload) implements ReadEvent {}
    record Pong(byte[] payload) implements ReadEvent {}
    record Close(CloseStatus status) implements ReadEvent {}
}
