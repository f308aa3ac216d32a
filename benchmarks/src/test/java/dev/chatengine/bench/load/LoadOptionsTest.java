package dev.chatengine.bench.load;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LoadOptionsTest {

    @Test
    void refusesHostsOutsideLoopback() {
        assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--url", "ws://10.0.0.1:8080/ws/raw"}))
                .isInstanceOf(LoadOptions.UsageException.class).hasMessageContaining("127.0.0.0/8");
        assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--bind", "192.168.1.2"}))
                .isInstanceOf(LoadOptions.UsageException.class).hasMessageContaining("127.0.0.0/8");
    }

    @Test
    void acceptsAnyAddressOf127Slash8AndPicksTheProtocolFromThePath() throws Exception {
        LoadOptions raw = LoadOptions.parse(new String[] {"--url", "ws://127.0.0.3:9000/ws/raw", "--bind", "127.0.0.2"});
        assertThat(raw.protocol()).isEqualTo(LoadOptions.Protocol.RAW);
        assertThat(raw.target().getPort()).isEqualTo(9000);
        LoadOptions chat = LoadOptions.parse(new String[] {"--url", "ws://127.0.0.1:9000/ws"});
        assertThat(chat.protocol()).isEqualTo(LoadOptions.Protocol.CHAT);
    }

    @Test
    void sharesConnectionsOverProcessesWithoutGapsOrOverlap() {
        int n = 19_001;
        int k = 4;
        int next = 0;
        for (int i = 0; i < k; i++) {
            assertThat(LoadOptions.firstIndex(n, k, i)).isEqualTo(next);
            next += LoadOptions.share(n, k, i);
        }
        assertThat(next).isEqualTo(n);
    }

    @Test
    void parsesDurationsAndBoundsTheRun() throws Exception {
        LoadOptions o = LoadOptions.parse(new String[] {"--warmup", "500ms", "-t", "2s", "--drain", "1m",
                "--connect-timeout", "10", "--hold", "0s"});
        assertThat(o.warmup()).isEqualTo(Duration.ofMillis(500));
        assertThat(o.hardDeadline()).isEqualTo(Duration.ofSeconds(10 + 2 + 60 + 30).plusMillis(500));
        assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--mode", "fast"}))
                .isInstanceOf(LoadOptions.UsageException.class);
    }
}
