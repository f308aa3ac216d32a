package dev.chatengine.transport.jdk.server;

import com.sun.net.httpserver.Headers;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The handshake decision without sockets (RFC 6455 section 4.2.1); the socket-level cases are in HandshakeOverSocketTest. */
class UpgradeCheckTest {

    private static final WebSocketConfig CONFIG = WebSocketConfig.builder()
            .subprotocolSelector(SubprotocolSelector.preferring(List.of("b", "a"))).build();

    private static Headers valid() {
        Headers headers = new Headers();
        headers.add("Host", "chat.example:8080");
        headers.add("Upgrade", "websocket");
        headers.add("Connection", "keep-alive, Upgrade");
        headers.add("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==");
        headers.add("Sec-WebSocket-Version", "13");
        return headers;
    }

    private static UpgradeCheck.Outcome check(Headers headers) {
        return UpgradeCheck.evaluate("GET", "HTTP/1.1", headers, false, CONFIG);
    }

    @Test
    void acceptsTheRfcExample() {
        assertThat(check(valid())).isEqualTo(new UpgradeCheck.Accept("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", Optional.empty()));
    }

    @Test
    void refusesOtherMethodsWith405() {
        assertThat(UpgradeCheck.evaluate("HEAD", "HTTP/1.1", valid(), false, CONFIG))
                .isEqualTo(new UpgradeCheck.Reject(405, "WebSocket handshake must be a GET request", Map.of("Allow", "GET")));
    }

    @Test
    void refusesHttp10() {
        assertThat(UpgradeCheck.evaluate("GET", "HTTP/1.0", valid(), false, CONFIG))
                .extracting(o -> ((UpgradeCheck.Reject) o).status()).isEqualTo(400);
    }

    @Test
    void refusesABody() {
        Headers headers = valid();
        headers.add("Content-Length", "5");
        assertThat(check(headers)).extracting(o -> ((UpgradeCheck.Reject) o).status()).isEqualTo(400);
    }

    @Test
    void refusesAMissingHost() {
        Headers headers = valid();
        headers.remove("Host");
        assertThat(check(headers)).isEqualTo(new UpgradeCheck.Reject(400, "missing Host header"));
    }

    @Test
    void refusesTwoVersionHeadersWith426() {
        Headers headers = valid();
        headers.add("Sec-WebSocket-Version", "8");
        assertThat(check(headers)).isEqualTo(new UpgradeCheck.Reject(426, "unsupported WebSocket version, 13 required",
                Map.of("Sec-WebSocket-Version", "13")));
    }

    @Test
    void offeredSubprotocolsAreSplitAcrossHeadersAndCommas() {
        Headers headers = valid();
        headers.add("Sec-WebSocket-Protocol", "a, x");
        headers.add("Sec-WebSocket-Protocol", " y ,b");
        assertThat(UpgradeCheck.offeredSubprotocols(headers)).containsExactly("a", "x", "y", "b");
        assertThat(check(headers)).isEqualTo(new UpgradeCheck.Accept("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", Optional.of("b")));
    }

    @Test
    void ignoresASelectorChoiceThatWasNotOffered() {
        WebSocketConfig rogue = WebSocketConfig.builder().subprotocolSelector(offered -> Optional.of("z")).build();
        Headers headers = valid();
        headers.add("Sec-WebSocket-Protocol", "a");
        assertThat(UpgradeCheck.evaluate("GET", "HTTP/1.1", headers, false, rogue))
                .isEqualTo(new UpgradeCheck.Accept("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", Optional.empty()));
    }
}
