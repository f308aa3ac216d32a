package dev.chatengine.transport.jdk.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.chatengine.engine.DisconnectReason;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * permessage-deflate with a peer this project did not write: Debian's {@code python3-websockets},
 * which offers the extension by default, running {@code websockets_deflate_client.py}: the default
 * answer, echoes of short, chat-sized, large, incompressible and fragmented messages (compressed both
 * ways, counted on the client), a 2^10 server window the client inflates with, and an inflate bomb
 * closed with 1009. Skipped when the library is missing.
 */
class PythonDeflateInteropTest {

    private static final Path PYTHON = Path.of("/usr/bin/python3");

    @Test
    void pythonWebsocketsNegotiatesAndInterops() throws Exception {
        assumeTrue(pythonWebsocketsAvailable(), "apt-get install python3-websockets");
        Path script = Path.of(getClass().getResource("websockets_deflate_client.py").toURI());
        try (EchoServer server = EchoServer.start(WebSocketConfig.builder().maxMessageBytes(128 * 1024).build())) {
            Process process = new ProcessBuilder(PYTHON.toString(), script.toString(), server.uri("/ws").toString())
                    .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(output).isEqualTo("OK");
            assertThat(process.exitValue()).isZero();
            List<DisconnectReason> ends = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                ends.add(server.nextEnd());
            }
            assertThat(ends).containsExactlyInAnyOrder(DisconnectReason.PEER_CLOSED, DisconnectReason.PEER_CLOSED,
                    DisconnectReason.MESSAGE_TOO_BIG);
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
