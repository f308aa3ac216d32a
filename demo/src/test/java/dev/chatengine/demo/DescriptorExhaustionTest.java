package dev.chatengine.demo;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Out of file descriptors (issue 8: the dispatcher spun on the failing {@code accept()} at 100% of
 * a core, logged nothing, and {@code /healthz} hung): a demo in a child JVM started under
 * {@code ulimit -n 256}, its HttpServer connection cap lifted above the limit so that
 * {@code accept()} really fails, is flooded with connections. It logs the failure at WARNING once
 * per interval, backs off (few failed accepts, not millions), answers {@code /healthz} on a
 * connection opened before, and serves new connections again by itself once the flood is gone.
 */
class DescriptorExhaustionTest {

    private static final Pattern WARNING = Pattern.compile("out of file descriptors \\((\\d+) failed accepts");
    private static final int FLOOD = 400;
    /** Without the backoff the dispatcher fails millions of accepts in the same time. */
    private static final long MAX_FAILED_ACCEPTS = 50_000;

    @Test
    void exhaustionIsLoggedBackedOffAndRecoveredFrom() throws Exception {
        try (DemoProcess demo = DemoProcess.start(List.of("-Xmx256m", "-Djdk.httpserver.maxConnections=100000"),
                List.of(), 256)) {
            try (Socket keptAlive = new Socket(InetAddress.getLoopbackAddress(), demo.port())) {
                keptAlive.setSoTimeout(60_000);
                assertThat(healthz(keptAlive)).isTrue();

                List<Socket> flood = new ArrayList<>();
                try {
                    for (int i = 0; i < FLOOD; i++) {
                        flood.add(new Socket(InetAddress.getLoopbackAddress(), demo.port())); // the kernel's backlog accepts them
                    }
                    demo.awaitOutput("WARNING about descriptors", () -> !demo.linesMatching(WARNING).isEmpty(), 60);
                    // Served from the connection opened before, while new ones cannot be accepted.
                    assertThat(healthz(keptAlive)).isTrue();
                } finally {
                    for (Socket socket : flood) {
                        socket.close();
                    }
                }
                awaitHealthzOnANewConnection(demo);
                assertThat(healthz(keptAlive)).isTrue();
            }
            long failed = 0;
            for (String line : demo.linesMatching(WARNING)) {
                Matcher matcher = WARNING.matcher(line);
                matcher.find();
                failed += Long.parseLong(matcher.group(1));
            }
            System.out.println("DescriptorExhaustionTest: " + demo.linesMatching(WARNING).size() + " warnings, "
                    + failed + " failed accepts reported");
            assertThat(failed).isPositive().isLessThan(MAX_FAILED_ACCEPTS);
            assertThat(demo.isAlive()).isTrue();
        }
    }

    /** GET /healthz on {@code socket}, kept alive; true for "ok". */
    private static boolean healthz(Socket socket) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        InputStream in = socket.getInputStream();
        StringBuilder response = new StringBuilder();
        while (!response.toString().endsWith("\r\n\r\nok\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("end of stream: " + response);
            }
            response.append((char) b);
        }
        return response.toString().startsWith("HTTP/1.1 200 ");
    }

    private static void awaitHealthzOnANewConnection(DemoProcess demo) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), demo.port())) {
                socket.setSoTimeout(5_000);
                if (healthz(socket)) {
                    return;
                }
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("no /healthz on a new connection within 60 s", e);
                }
                Thread.sleep(100);
            }
        }
    }
}
