package dev.chatengine.transport.jdk.server;

import org.junit.jupiter.api.Test;

import static dev.chatengine.transport.jdk.server.WebSocketConnection.LIGHT_READS_BEFORE_SHRINK;
import static dev.chatengine.transport.jdk.server.WebSocketConnection.nextReadBufferCapacity;
import static org.assertj.core.api.Assertions.assertThat;

/** How the read buffer grows and shrinks between reads ({@link WebSocketConnection#nextReadBufferCapacity}). */
class ReadBufferSizingTest {

    private static final int IDLE = WebSocketConfig.IDLE_READ_BUFFER_BYTES;
    private static final int CONFIGURED = WebSocketConfig.DEFAULT_READ_BUFFER_BYTES;
    private static final int LIMIT = WebSocketConfig.DEFAULT_MAX_MESSAGE_BYTES + 14;

    @Test
    void readsThatFillItDoubleItUpToTheConfiguredSize() {
        int capacity = IDLE;
        int allocated = 0;
        while (capacity < CONFIGURED) {
            int next = nextReadBufferCapacity(capacity, 0, 0, true, true, CONFIGURED, LIMIT);
            assertThat(next).isEqualTo(2 * capacity);
            allocated += next;
            capacity = next;
        }
        assertThat(nextReadBufferCapacity(CONFIGURED, 0, 0, true, true, CONFIGURED, LIMIT)).isEqualTo(CONFIGURED);
        assertThat(allocated).isLessThan(2 * CONFIGURED);
    }

    @Test
    void lightTrafficShrinksItBackToTheIdleSizeAfterAFewReads() {
        for (int light = 0; light < LIGHT_READS_BEFORE_SHRINK; light++) {
            assertThat(nextReadBufferCapacity(CONFIGURED, 0, light, false, true, CONFIGURED, LIMIT)).isEqualTo(CONFIGURED);
        }
        assertThat(nextReadBufferCapacity(CONFIGURED, 0, LIGHT_READS_BEFORE_SHRINK, false, true, CONFIGURED, LIMIT))
                .isEqualTo(IDLE);
    }

    @Test
    void aSenderWhoseReadsAlternateOneAndSeveralMessagesDoesNotReallocateEachTime() {
        // Reads of 70 bytes (one message) and 560 (eight): shrinking after each light read made the next
        // heavy read fill 512 bytes and grow again to 16 KiB (12% of a profile's samples at N=100).
        int capacity = CONFIGURED;
        int light = 0;
        int reallocations = 0;
        for (int read = 0; read < 1_000; read++) {
            int bytes = read % 3 == 2 ? 560 : 70;
            boolean filled = bytes >= capacity;
            light = bytes <= IDLE / 2 ? light + 1 : 0;
            int next = nextReadBufferCapacity(capacity, 0, light, filled, true, CONFIGURED, LIMIT);
            if (next != capacity) {
                reallocations++;
            }
            capacity = next;
        }
        assertThat(reallocations).isZero();
    }

    @Test
    void itKeepsItsSizeInsideAFrameThatArrivesInSmallPieces() {
        // Autobahn 9.5/9.6: 64-byte chops of a 1 MiB frame; no event between reads.
        assertThat(nextReadBufferCapacity(CONFIGURED, 0, 100, false, false, CONFIGURED, LIMIT)).isEqualTo(CONFIGURED);
        assertThat(nextReadBufferCapacity(CONFIGURED, 4_000, 100, false, false, CONFIGURED, LIMIT)).isEqualTo(CONFIGURED);
    }

    @Test
    void aDecoderThatNeedsMoreThanItHoldsDoublesItUpToTheLimit() {
        assertThat(nextReadBufferCapacity(IDLE, IDLE, 0, true, false, CONFIGURED, LIMIT)).isEqualTo(CONFIGURED);
        assertThat(nextReadBufferCapacity(CONFIGURED, CONFIGURED, 0, true, false, CONFIGURED, LIMIT))
                .isEqualTo(2 * CONFIGURED);
        assertThat(nextReadBufferCapacity(LIMIT - 10, LIMIT - 10, 0, true, false, CONFIGURED, LIMIT)).isEqualTo(LIMIT);
    }

    @Test
    void bytesLeftOverAreNeverDroppedByAShrink() {
        assertThat(nextReadBufferCapacity(CONFIGURED, 30, 10, false, true, CONFIGURED, LIMIT)).isEqualTo(CONFIGURED);
    }
}
