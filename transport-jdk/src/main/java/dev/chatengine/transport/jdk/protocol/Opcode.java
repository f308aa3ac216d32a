package dev.chatengine.transport.jdk.protocol;

/**
 * The 4-bit frame opcode of RFC 6455 section 5.2, all 16 values, so that a reserved opcode is a
 * value the validation step rejects explicitly rather than a null or a lookup failure.
 *
 * <p>Immutable and thread-safe. Use {@link #of(int)} to map the wire value and {@link #code()} to go
 * back; {@link #isControl()} tells control frames (close, ping, pong and the reserved 0xB-0xF) from
 * data frames.
 */
public enum Opcode {
    CONTINUATION, TEXT, BINARY, RESERVED_3, RESERVED_4, RESERVED_5, RESERVED_6, RESERVED_7,
    CLOSE, PING, PONG, RESERVED_B, RESERVED_C, RESERVED_D, RESERVED_E, RESERVED_F;

    // values() clones its array on every call; the decoder maps one opcode per frame.
    private static final Opcode[] BY_CODE = values();

    /** The 4-bit wire value, 0x0 to 0xF. */
    public int code() {
        return ordinal();
    }

    /** True for opcodes 0x8-0xF: control frames, including the reserved 0xB-0xF (RFC 6455 section 5.5). */
    public boolean isControl() {
        return ordinal() >= 0x8;
    }

    /** True for the opcodes RFC 6455 reserves for future use: 0x3-0x7 and 0xB-0xF. */
    public boolean isReserved() {
        int code = ordinal();
        return (code >= 0x3 && code <= 0x7) || code >= 0xB;
    }

    /**
     * The opcode for a wire value.
     *
     * @param code 0x0 to 0xF (only the low 4 bits of the first header byte)
     * @throws IllegalArgumentException when {@code code} is outside 0-15
     */
    public static Opcode of(int code) {
        if (code < 0 || code > 0xF) {
            throw new IllegalArgumentException("Opcode must be 0-15: " + code);
        }
        return BY_CODE[code];
    }
}
