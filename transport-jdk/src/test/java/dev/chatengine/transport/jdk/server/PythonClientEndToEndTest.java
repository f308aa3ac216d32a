package dev.chatengine.transport.jdk.server;

import dev.chatengine.engine.DisconnectReason;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * End to end with a second client this project did not write: Debian's {@code python3-websockets},
 * running {@code websockets_client.py} (messages of 125, 126, 65535 and 65536 bytes, a fragmented
 * message, ping/pong both ways, close both ways with code echo). Skipped when the library is missing.
 */
class PythonClientEndToEndTest {

    private static final Path PYTHON = Path.of("/usr/bin/python3");

    @Test
    void pythonWebsocketsClientPassesEveryCheck() throws Exception {
        assumeTrue(pythonWebsocketsAvailable(), "apt-get install python3-websockets");
        Path script = Path.of(getClass().getResource("websockets_client.py").toURI());
        try (EchoServer server = EchoServer.start(WebSocketConfig.builder().maxMessageBytes(128 * 1024).build())) {
            Process process = new ProcessBuilder(PYTHON.toString(), script.toString(), server.uri("/ws").toString())
                    .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(output).isEqualTo("OK");
            assertThat(process.exitValue()).isZero();
            assertThat(server.nextEnd()).isEqualTo(DisconnectReason.PEER_CLOSED);
            assertThat(server.nextEnd()).isEqualTo(DisconnectReason.SHUTDOWN);
        }
    }

    private static boolean pythonWebsocketsAvailable() throws InterruptedException {
        if (!Files.isExecutable(PYTHON)) {
            return false;
        }
        try {
            Process probe = new ProcessBuilder(PYTHON.toString(), "-c", "import websockets")
                    .redirectErrorStream(true).start();
            probe.getInputStream().readAllBytes();
            return probe.waitFor(60, TimeUnit.SECONDS) && probe.exitValue() == 0;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
