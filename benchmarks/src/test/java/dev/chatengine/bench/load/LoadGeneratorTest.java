package dev.chatengine.bench.load;

import dev.chatengine.demo.DemoServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The load generator against a real {@link DemoServer} in this JVM, on a free port of 127.0.0.1,
 * with a few connections for a couple of seconds: every run must count every delivery, lose none
 * and drop nobody. Figures (rates, latencies) are not asserted: they belong to benchmarks.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LoadGeneratorTest {

    private static DemoServer server;

    @BeforeAll
    static void startServer() throws Exception {
        server = DemoServer.start(new InetSocketAddress("127.0.0.1", 0));
    }

    @AfterAll
    static void stopServer() {
        server.stop();
    }

    @Test
    void rawOpenLoopDeliversEveryMessageToEveryConnection() throws Exception {
        Map<String, String> r = run("--url", server.webSocketUri("/ws/raw").toString(), "-n", "20", "-s", "4",
                "--mode", "rate", "--rate", "40", "--warmup", "500ms", "-t", "2s", "--drain", "15s",
                "--pid", Long.toString(ProcessHandle.current().pid()));
        assertCompleteDelivery(r, 20);
        assertThat(Long.parseLong(r.get("sent"))).isBetween(60L, 100L); // 40/s for 2 s, give or take a tick
        assertThat(Long.parseLong(r.get("srv_rss_kib"))).isPositive();
    }

    @Test
    void chatProtocolLogsInAndCountsMessageObjects() throws Exception {
        // 4 senders at 10 messages/s each stay under the chat's rate limit of 20/s per connection.
        Map<String, String> r = run("--url", server.webSocketUri("/ws").toString(), "-n", "20", "-s", "4",
                "--mode", "rate", "--rate", "40", "--warmup", "0s", "-t", "2s", "--drain", "15s");
        assertCompleteDelivery(r, 20);
        assertThat(r.get("rejected")).isEqualTo("0");
    }

    @Test
    void closedLoopAcrossTwoProcessesCompletesEveryWindow() throws Exception {
        Map<String, String> r = run("--url", server.webSocketUri("/ws/raw").toString(), "-n", "20", "-s", "2",
                "--mode", "max", "--window", "4", "--processes", "2", "--warmup", "300ms", "-t", "1s",
                "--drain", "15s");
        assertCompleteDelivery(r, 20);
        // A sender waits for each window to reach all 20 connections, 10 of them in the child: more
        // than a window's worth sent proves the child's completions came back.
        assertThat(Long.parseLong(r.get("sent"))).isGreaterThan(8);
    }

    @Test
    void oneBroadcastReachesEveryIdleConnection() throws Exception {
        Map<String, String> r = run("--url", server.webSocketUri("/ws/raw").toString(), "-n", "20",
                "--mode", "once", "--hold", "100ms", "--drain", "15s");
        assertCompleteDelivery(r, 20);
        assertThat(r.get("sent")).isEqualTo("1");
        assertThat(Double.parseDouble(r.get("reach_ms"))).isPositive();
    }

    private static void assertCompleteDelivery(Map<String, String> r, int connections) {
        assertThat(r.get("conn")).isEqualTo(Integer.toString(connections));
        assertThat(r.get("ready")).isEqualTo(Integer.toString(connections));
        long sent = Long.parseLong(r.get("sent"));
        assertThat(sent).isPositive();
        assertThat(Long.parseLong(r.get("expected"))).isEqualTo(sent * connections);
        assertThat(r.get("delivered")).isEqualTo(r.get("expected"));
        assertThat(r.get("loss")).isEqualTo("0");
        assertThat(r.get("dropped_conns")).isEqualTo("0");
    }

    /** Runs the load generator in this JVM and returns its RESULT line's fields. */
    private static Map<String, String> run(String... args) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        int status = new LoadRun(LoadOptions.parse(args), out).run();
        String text = bytes.toString(StandardCharsets.UTF_8);
        System.out.print(text); // into the surefire report, for when an assertion fails
        assertThat(status).as(text).isZero();
        String result = text.lines().filter(l -> l.startsWith("RESULT ")).findFirst().orElseThrow(
                () -> new AssertionError("no RESULT line in:\n" + text));
        Map<String, String> fields = new HashMap<>();
        for (String word : result.substring("RESULT ".length()).split(" ")) {
            int eq = word.indexOf('=');
            fields.put(word.substring(0, eq), word.substring(eq + 1));
        }
        return fields;
    }
}
