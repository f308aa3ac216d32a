package dev.chatengine.transport.jdk.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Test support: hex bytes, and a decoder driven the way a connection's read loop drives it. */
final class Wire {
    private Wire() {}

    /** Bytes from hex; spaces are ignored so frames can be written field by field. */
    static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** Decodes {@code wire} fed in one piece through a buffer of {@code capacity} bytes. */
    static List<ReadEvent> decode(WebSocketDecoder decoder, byte[] wire, int capacity) throws ProtocolException {
        return decode(decoder, wire, capacity, new int[0]);
    }

    /**
     * Decodes {@code wire} as a read loop would: the bytes arrive in pieces cut at {@code splits}
     * (ascending offsets), each piece is put into a buffer of {@code capacity} bytes (in several reads
     * when it does not fit), then the decoder runs until it needs more, then the buffer is compacted.
     * Fails when bytes are left over at the end.
     */
    static List<ReadEvent> decode(WebSocketDecoder decoder, byte[] wire, int capacity, int... splits)
            throws ProtocolException {
        List<ReadEvent> events = new ArrayList<>();
        ByteBuffer buffer = ByteBuffer.allocate(capacity);
        int from = 0;
        for (int i = 0; i <= splits.length; i++) {
            int to = i < splits.length ? splits[i] : wire.length;
            from = feed(decoder, buffer, wire, from, to, events);
        }
        if (buffer.position() != 0) {
            throw new AssertionError(buffer.position() + " bytes left undecoded");
        }
        return events;
    }

    /** Decodes {@code wire} one byte per read. */
    static List<ReadEvent> decodeByteByByte(WebSocketDecoder decoder, byte[] wire) throws ProtocolException {
        int[] splits = new int[Math.max(0, wire.length - 1)];
        for (int i = 0; i < splits.length; i++) {
            splits[i] = i + 1;
        }
        return decode(decoder, wire, WebSocketDecoder.MIN_BUFFER_BYTES, splits);
    }

    private static int feed(WebSocketDecoder decoder, ByteBuffer buffer, byte[] wire, int from, int to,
                            List<ReadEvent> events) throws ProtocolException {
        while (from < to) {
            int count = Math.min(buffer.remaining(), to - from);
            if (count == 0) {
                throw new AssertionError("Decoder left a full buffer unconsumed");
            }
            buffer.put(wire, from, count);
            from += count;
            buffer.flip();
            for (ReadEvent event; (event = decoder.next(buffer)) != null; ) {
                events.add(event);
            }
            buffer.compact();
        }
        return from;
    }

    static ReadEvent.Message text(String text) {
        return new ReadEvent.Message(true, text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    static ReadEvent.Message binary(byte[] data) {
        return new ReadEvent.Message(false, data);
    }
}
