package dev.chatengine.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.chatengine.transport.jdk.protocol.WebSocketMessageEncoder;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * permessage-deflate with Chromium, which offers it by default: a script on a same-origin page of
 * the demo (its {@code /healthz}, so the chat page is not involved) opens {@code /ws/raw}, reads
 * {@code ws.extensions}, and sends a chat-sized and a 30 KB text that the raw endpoint sends back,
 * compressed by the server and inflated by the browser. Skipped without {@code /usr/bin/chromium}
 * and {@code /usr/bin/chromedriver}.
 */
@Timeout(300)
class DeflateBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    /** Opens the socket, sends each text, and answers what came back and what was negotiated. */
    private static final String SCRIPT = """
            const done = arguments[arguments.length - 1];
            const texts = arguments[1];
            const ws = new WebSocket(arguments[0]);
            const echoed = [];
            ws.onopen = () => texts.forEach(t => ws.send(t));
            ws.onmessage = e => {
              echoed.push(e.data);
              if (echoed.length === texts.length) {
                done({extensions: ws.extensions, same: echoed.every((t, i) => t === texts[i])});
                ws.close();
              }
            };
            ws.onclose = e => done({closed: e.code});
            """;

    @TempDir
    Path profile;

    @Test
    void chromiumNegotiatesPermessageDeflate() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "no /usr/bin/chromium or /usr/bin/chromedriver: install them with: apt-get install chromium chromium-driver");
        try (DemoServer server = DemoServer.start(new InetSocketAddress("127.0.0.1", 0))) {
            WebDriver browser = chromium();
            try {
                browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
                browser.get(server.baseUri().resolve("/healthz").toString());
                String chat = "{\"type\":\"message\",\"room\":\"lobby\",\"from\":\"alice\",\"text\":\"hello from Chromium, "
                        + "is this message compressed?\",\"id\":\"m-7\",\"ts\":1764690000000}";
                String large = chat.repeat(30_000 / chat.length());
                long compressionsBefore = WebSocketMessageEncoder.INSTANCE.compressions();

                Object result = ((JavascriptExecutor) browser).executeAsyncScript(SCRIPT,
                        server.webSocketUri("/ws/raw").toString(), java.util.List.of(chat, large));

                assertThat(result).isInstanceOf(Map.class);
                Map<?, ?> answer = (Map<?, ?>) result;
                assertThat(answer.get("extensions"))
                        .isEqualTo("permessage-deflate; server_no_context_takeover; client_no_context_takeover");
                assertThat(answer.get("same")).isEqualTo(true);
                assertThat(WebSocketMessageEncoder.INSTANCE.compressions() - compressionsBefore)
                        .as("server-side compressions of the two echoes").isGreaterThanOrEqualTo(2);
            } finally {
                browser.quit();
            }
        }
    }

    private WebDriver chromium() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-dev-shm-usage", "--no-first-run", "--disable-component-update", "--disable-sync",
                "--disable-extensions", "--disable-default-apps", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(service, options);
    }
}
