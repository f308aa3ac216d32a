package dev.chatengine.transport.jdk.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The default connection caps follow the heap and the descriptor limit; invalid limits are refused. */
class HandshakeLimitsTest {

    private static final long MIB = 1024 * 1024;

    @ParameterizedTest(name = "heap {0} MiB, ulimit -n {1} -> hard cap {2}")
    @CsvSource({
            "256,   20000,  4096",   // the heap decides: 256 MiB / 64 KiB
            "4096,  4096,   4032",   // the descriptors decide: 64 kept for the rest
            "4096,  256,    192",    // a low ulimit -n: a quarter kept at most
            "4096,  -1,     65536",  // not a Unix: the heap alone
            "1,     20000,  16",     // a tiny heap still serves a few
    })
    void theHardCapFollowsTheHeapAndTheDescriptorLimit(long heapMib, long descriptors, int expected) {
        assertThat(HandshakeLimits.defaultHardMaxConnections(heapMib * MIB, descriptors)).isEqualTo(expected);
    }

    @Test
    void theWebSocketCapLeavesRoomUnderTheHardCap() {
        assertThat(HandshakeLimits.defaultMaxConnections(4096)).isEqualTo(4096 - 409);
        assertThat(HandshakeLimits.defaultMaxConnections(20)).isEqualTo(12);
        HandshakeLimits limits = HandshakeLimits.builder().hardMaxConnections(100).build();
        assertThat(limits.maxConnections()).isEqualTo(90);
    }

    @Test
    void invalidLimitsAreRefused() {
        assertThatThrownBy(() -> HandshakeLimits.builder().headDeadline(Duration.ofMillis(500)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("whole seconds");
        assertThatThrownBy(() -> HandshakeLimits.builder().maxHeadBytes(100 * 1024).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hardMaxHeadBytes");
        assertThatThrownBy(() -> HandshakeLimits.builder().maxConnections(10).hardMaxConnections(5).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hardMaxConnections");
        assertThatThrownBy(() -> HandshakeLimits.builder().handshakesPerAddress(0, 1).build())
                .isInstanceOf(IllegalArgumentException.class);
    }
}
