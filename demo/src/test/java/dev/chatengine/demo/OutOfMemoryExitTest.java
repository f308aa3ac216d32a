package dev.chatengine.demo;

import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When an {@code OutOfMemoryError} happens anyway (here: a demo with a 48 MB heap whose header cap
 * was lifted to 64 MB by a {@code -D} flag, fed ten 8 MB headers at once), the process ends with
 * exit code 3 and a clear message, not as a half-dead JVM whose dispatcher thread died.
 */
class OutOfMemoryExitTest {

    @Test
    void anOutOfMemoryErrorEndsTheProcessWithAMessage() throws Exception {
        try (DemoProcess demo = DemoProcess.start(List.of("-Xmx48m", "-Dsun.net.httpserver.maxReqHeaderSize=67108864"),
                List.of(), 0)) {
            List<Socket> attackers = new ArrayList<>();
            byte[] chunk = "a".repeat(64 * 1024).getBytes(StandardCharsets.ISO_8859_1);
            try {
                for (int i = 0; i < 10; i++) {
                    Socket socket = new Socket(InetAddress.getLoopbackAddress(), demo.port());
                    attackers.add(socket);
                    Thread.ofVirtual().start(() -> {
                        try {
                            OutputStream out = socket.getOutputStream();
                            out.write("GET / HTTP/1.1\r\nHost: x\r\nX-Big: ".getBytes(StandardCharsets.ISO_8859_1));
                            for (int k = 0; k < 128; k++) {
                                out.write(chunk);
                            }
                        } catch (Exception e) {
                            // the process died or cut us
                        }
                    });
                }
                demo.awaitOutput("the process's end", () -> !demo.isAlive(), 120);
            } finally {
                for (Socket socket : attackers) {
                    socket.close();
                }
            }
            assertThat(demo.exitCode(60)).isEqualTo(ChatDemo.EXIT_OUT_OF_MEMORY);
            assertThat(demo.output()).anyMatch(line -> line.startsWith("chat-demo: fatal OutOfMemoryError"));
        }
    }
}
