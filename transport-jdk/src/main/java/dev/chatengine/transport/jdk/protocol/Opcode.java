package dev.chatengine.transport.jdk.protocol;

/** STUB: all 16 opcode values. */
public enum Opcode {
    CONTINUATION, TEXT, BINARY, RESERVED_3, RESERVED_4, RESERVED_5, RESERVED_6, RESERVED_7,
    CLOSE, PING, PONG, RESERVED_B, RESERVED_C, RESERVED_D, RESERVED_E, RESERVED_F;
}
