package dev.chatengine.demo;

import dev.chatengine.testing.WebSocketTestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line's outcomes, in process, and the real process: its start line, SIGTERM, a busy port. */
@Timeout(120)
class ChatDemoTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private ChatDemo.Outcome start(String... args) {
        return ChatDemo.start(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void helpPrintsUsageAndExitsZero() {
        assertThat(start("--help")).isEqualTo(new ChatDemo.Outcome.Exit(0));
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(CommandLine.USAGE);
        assertThat(err.size()).isZero();
    }

    @Test
    void aBadFlagPrintsTheProblemAndUsageAndExitsTwo() {
        assertThat(start("--prot", "80")).isEqualTo(new ChatDemo.Outcome.Exit(2));
        assertThat(err.toString(StandardCharsets.UTF_8))
                .startsWith("chat-demo: unknown argument: --prot\nUsage: java -jar demo/target/chat-demo.jar");
        assertThat(out.size()).isZero();
    }

    @Test
    void aBusyPortIsOneSentenceAndExitOne() throws IOException {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = busy.getLocalPort();
            assertThat(start("--host", "127.0.0.1", "--port", String.valueOf(port))).isEqualTo(new ChatDemo.Outcome.Exit(1));
            assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo(
                    "chat-demo: port " + port + " is already in use on 127.0.0.1; choose another with --port\n");
        }
    }

    @Test
    void anUnknownHostIsOneSentenceAndExitOne() {
        assertThat(start("--host", "no-such-host.invalid", "--port", "0")).isEqualTo(new ChatDemo.Outcome.Exit(1));
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("chat-demo: cannot listen on no-such-host.invalid");
    }

    @Test
    void startPrintsOneLineWithTheUrl() {
        ChatDemo.Outcome outcome = start("--host", "127.0.0.1", "--port", "0");
        assertThat(outcome).isInstanceOf(ChatDemo.Outcome.Running.class);
        DemoServer server = ((ChatDemo.Outcome.Running) outcome).server();
        try {
            assertThat(out.toString(StandardCharsets.UTF_8))
                    .startsWith("chat-demo: open http://127.0.0.1:" + server.port() + "/ ")
                    .containsOnlyOnce("\n");
        } finally {
            server.stop();
        }
    }

    /**
     * The real process, as {@code java -jar} runs it (same main class, same flag): SIGTERM closes an
     * open WebSocket with 1001 and the JVM exits; a second instance on the same port says so and
     * exits 1 without a stack trace.
     */
    @Test
    void theProcessShutsDownGracefullyOnSigtermAndASecondOneOnTheSamePortFails() throws Exception {
        Process first = launch("--host", "127.0.0.1", "--port", "0");
        try {
            BufferedReader stdout = new BufferedReader(new InputStreamReader(first.getInputStream(), StandardCharsets.UTF_8));
            String line = stdout.readLine();
            assertThat(line).as("the start line").isNotNull();
            Matcher url = Pattern.compile("chat-demo: open (http://127\\.0\\.0\\.1:(\\d+)/) ").matcher(line);
            assertThat(url.find()).as(line).isTrue();
            int port = Integer.parseInt(url.group(2));

            Process second = launch("--host", "127.0.0.1", "--port", String.valueOf(port));
            assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(second.exitValue()).isEqualTo(1);
            String secondErr = new String(second.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(secondErr).isEqualTo("chat-demo: port " + port + " is already in use on 127.0.0.1; choose another with --port\n");

            try (WebSocketTestClient client = WebSocketTestClient.connect(URI.create("ws://127.0.0.1:" + port + "/ws/raw"))) {
                client.send("still here");
                client.expect("still here");
                first.destroy(); // SIGTERM
                assertThat(client.awaitClose().code()).isEqualTo(1001);
            }
            assertThat(first.waitFor(60, TimeUnit.SECONDS)).as("the JVM exits after SIGTERM").isTrue();
            assertThat(first.exitValue()).isEqualTo(143);
        } finally {
            first.destroyForcibly();
        }
    }

    private static Process launch(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-opens", "jdk.httpserver/sun.net.httpserver=ALL-UNNAMED",
                "-Xshare:auto", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"),
                ChatDemo.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.PIPE).start();
    }
}
