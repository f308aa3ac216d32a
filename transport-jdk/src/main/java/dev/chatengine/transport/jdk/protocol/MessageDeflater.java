package dev.chatengine.transport.jdk.protocol;

import java.util.zip.Deflater;

/**
 * Compresses one message into one permessage-deflate frame (RFC 7692 section 7.2.1): the payload
 * DEFLATE-compressed and sync-flushed, the empty stored block's {@code 00 00 ff ff} that ends a sync
 * flush stripped, under a header with FIN and RSV1 set. Stateless and thread-safe; the
 * {@link Deflater} is the caller's, reset for every message when there is no context takeover.
 */
final class MessageDeflater {
    private MessageDeflater() {}

    /**
     * The compressed frame for {@code src[off..off+len)}, or null when compressing does not make the
     * payload smaller (then the plain frame is the better one to send, which RFC 7692 allows for any
     * message). After a null, a deflater that keeps its window must be reset: its window holds bytes
     * the peer never inflated.
     */
    static byte[] compressedFrame(Deflater deflater, Opcode opcode, byte[] src, int off, int len) {
        return compressedFrame(deflater, opcode, src, off, len, len - 1);
    }

    /** As {@link #compressedFrame(Deflater, Opcode, byte[], int, int)}; null when the payload would pass {@code maxPayloadBytes}. */
    static byte[] compressedFrame(Deflater deflater, Opcode opcode, byte[] src, int off, int len, int maxPayloadBytes) {
        if (maxPayloadBytes < 0) {
            return null;
        }
        int tail = MessageInflater.TAIL.length;
        byte[] out = new byte[maxPayloadBytes + tail + 1];
        deflater.setInput(src, off, len);
        int n = deflater.deflate(out, 0, out.length, Deflater.SYNC_FLUSH);
        if (n == out.length) {
            return null; // longer than allowed (a flush is complete only when the output did not fill the buffer)
        }
        int payload = n - tail;
        if (payload > maxPayloadBytes || !endsWithTail(out, n)) {
            return null;
        }
        int header = FrameEncoder.headerLength(payload, false);
        byte[] frame = new byte[header + payload];
        FrameEncoder.encodeHeader(frame, 0, true, true, opcode, payload, false, 0);
        System.arraycopy(out, 0, frame, header, payload);
        return frame;
    }

    private static boolean endsWithTail(byte[] out, int n) {
        byte[] tail = MessageInflater.TAIL;
        if (n < tail.length) {
            return false;
        }
        for (int i = 0; i < tail.length; i++) {
            if (out[n - tail.length + i] != tail[i]) {
                return false;
            }
        }
        return true;
    }
}
