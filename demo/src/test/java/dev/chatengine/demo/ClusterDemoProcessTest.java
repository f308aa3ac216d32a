package dev.chatengine.demo;

import dev.chatengine.cluster.redis.RedisServer;
import dev.chatengine.testing.ChatTestClient;
import dev.chatengine.testing.WebSocketTestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two real demo processes ({@code --redis}) sharing one real redis-server: chat across them, a node
 * killed with SIGKILL (its user leaves the other node's view within the heartbeat TTL and its name is
 * free), and Redis killed and restarted ({@code /readyz} 503 meanwhile, {@code /healthz} still 200).
 */
class ClusterDemoProcessTest {

    @RegisterExtension
    static final RedisServer REDIS = new RedisServer();

    /** The default heartbeat TTL (15 s) plus a beat (5 s) plus slack for a loaded machine. */
    private static final Duration LEAVE_WITHIN = Duration.ofSeconds(45);

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static int status(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static String body(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static ChatTestClient chat(DemoProcess node, Duration wait) {
        return ChatTestClient.over(WebSocketTestClient.builder(URI.create("ws://127.0.0.1:" + node.port() + "/ws"))
                .wait(wait).connect());
    }

    private static void eventually(String what, Duration within, java.util.concurrent.Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.call()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    @Test
    void twoProcessesShareRoomsAndSurviveANodeSigkillAndARedisRestart() throws Exception {
        List<String> redis = List.of("--redis", REDIS.uri().toString());
        try (DemoProcess one = DemoProcess.start(List.of(), redis, 0);
             DemoProcess two = DemoProcess.start(List.of(), redis, 0)) {
            eventually("both ready", Duration.ofSeconds(30), () -> status(one.port(), "/readyz") == 200
                    && status(two.port(), "/readyz") == 200);
            ChatTestClient alice = chat(one, LEAVE_WITHIN);
            alice.login("alice");
            ChatTestClient bob = chat(two, LEAVE_WITHIN);
            bob.login("bob");
            assertThat(alice.next("presence").string("name")).isEqualTo("bob");
            alice.say("lobby", "hello from one");
            ChatTestClient.Reply got = bob.next("message");
            assertThat(got.string("text")).isEqualTo("hello from one");
            assertThat(got.number("seq")).isEqualTo(1);
            assertThat(alice.next("message").number("seq")).isEqualTo(1);
            assertThat(body(one.port(), "/metrics")).contains("chat_broker_publishes_total{endpoint=\"ws\"} 1")
                    .contains("chat_broker_ready{endpoint=\"ws\"} 1");

            // SIGKILL node two: no goodbye. Its user leaves alice's view within the TTL, and its name is free.
            ProcessHandle.of(two.pid()).orElseThrow().destroyForcibly();
            ChatTestClient.Reply left = alice.skipTo("presence");
            assertThat(left.string("name")).isEqualTo("bob");
            assertThat(left.string("event")).isEqualTo("leave");
            ChatTestClient bobAgain = chat(one, LEAVE_WITHIN);
            bobAgain.login("bob");

            // Redis SIGKILLed: not ready (503) but alive (200), and a message is refused, not lost in silence.
            REDIS.kill();
            eventually("/readyz 503", Duration.ofSeconds(30), () -> status(one.port(), "/readyz") == 503);
            assertThat(status(one.port(), "/healthz")).isEqualTo(200);
            alice.send("{\"type\":\"say\",\"room\":\"lobby\",\"text\":\"into the void\"}");
            assertThat(alice.skipTo("error").string("code")).isEqualTo("unavailable");
            REDIS.restart();
            eventually("/readyz 200 again", Duration.ofSeconds(30), () -> status(one.port(), "/readyz") == 200);
            assertThat(body(one.port(), "/metrics")).contains("chat_broker_publish_failures_total{endpoint=\"ws\"} 1");
        }
    }
}
