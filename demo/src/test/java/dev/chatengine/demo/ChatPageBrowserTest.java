package dev.chatengine.demo;

import dev.chatengine.engine.Client;
import dev.chatengine.engine.DisconnectReason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.UnexpectedAlertBehaviour;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The chat page in headless Chromium, driven by Selenium: two people log in, chat and whisper; the
 * server drops one of them while the other keeps chatting; on reconnecting, the dropped page shows
 * each missed message once, in order, and a script-injection message shows as text. Screenshots go
 * to {@code target/screenshots/}.
 *
 * <p>Uses Debian's {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver}, named explicitly,
 * so that Selenium Manager never downloads a browser or a driver; skipped when they are missing.
 */
@Timeout(300)
class ChatPageBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    /** Generous: CI has two busy cores and a browser start alone can take seconds there. */
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String INJECTION = "<img src=x onerror=alert(1)>";

    @TempDir
    Path profiles;

    private DemoServer server;
    private final List<WebDriver> browsers = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "no /usr/bin/chromium or /usr/bin/chromedriver: install them with: apt-get install chromium chromium-driver");
        Files.createDirectories(SCREENSHOTS);
        server = DemoServer.start(new InetSocketAddress("127.0.0.1", 0));
    }

    @AfterEach
    void stop() {
        for (WebDriver browser : browsers) {
            try {
                browser.quit();
            } catch (RuntimeException e) {
                // the browser may already be gone; the next one still has to quit
            }
        }
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void twoPeopleChatWhisperAndTheDroppedOneCatchesUpOnceInOrder() throws IOException {
        WebDriver alice = browser("alice");
        WebDriver bob = browser("bob");

        // ---- log in; a name already online is refused in words ----
        alice.get(server.baseUri().toString());
        screenshot(alice, "01-login");
        logIn(alice, "alice");
        Set<Long> before = clientIds();
        bob.get(server.baseUri().toString());
        bob.findElement(By.id("login-name")).sendKeys("ALICE", Keys.ENTER);
        waitFor(bob, textIn(By.id("login-error"), "Someone online already has that name"));
        bob.findElement(By.id("login-name")).clear();
        logIn(bob, "bob");
        long bobsClient = onlyNew(before);

        // ---- both see each other, chat in the lobby, join a second room ----
        waitFor(alice, textIn(By.id("members"), "bob"));
        waitFor(alice, textIn(By.id("messages"), "bob joined #lobby"));
        say(alice, "hello bob");
        say(bob, "hi alice");
        waitFor(bob, messagesInclude("lobby", "hello bob", "hi alice"));
        waitFor(alice, messagesInclude("lobby", "hello bob", "hi alice"));
        say(alice, "/join java");
        waitFor(alice, textIn(By.id("conversation-title"), "#java"));
        say(bob, "/join java");
        waitFor(bob, textIn(By.id("conversation-title"), "#java"));
        say(bob, "java, anyone?");
        waitFor(alice, messagesInclude("java", "java, anyone?"));

        // ---- whispers: /w from alice, a click on a name from bob; others' errors in words ----
        say(alice, "/w bob psst, a secret");
        waitFor(alice, textIn(By.id("conversation-title"), "bob"));
        waitFor(alice, textIn(By.id("messages"), "psst, a secret"));
        waitFor(bob, textIn(By.id("dm-list"), "alice"));
        bob.findElement(By.cssSelector("#dm-list .nav-item")).click();
        waitFor(bob, textIn(By.id("messages"), "psst, a secret"));
        bob.findElement(By.id("composer-input")).sendKeys("psst back", Keys.ENTER);
        waitFor(alice, textIn(By.id("messages"), "psst back"));
        alice.findElement(By.id("composer-input")).sendKeys("/w nobody are you there?", Keys.ENTER);
        waitFor(alice, textIn(By.id("composer-note"), "nobody is not online"));
        alice.findElement(By.id("composer-input")).clear();
        screenshot(alice, "02-whisper-and-error");
        clickNav(alice, "#my-rooms", "#lobby");
        clickNav(bob, "#my-rooms", "#lobby");
        waitFor(bob, messagesInclude("lobby", "hello bob", "hi alice"));
        screenshot(bob, "03-lobby");

        // ---- the server drops bob's connection; bob's network stays down until alice has talked ----
        // The gate makes bob's page fail to open new WebSockets for a while, as a lost network would,
        // so that what alice says next surely happens while bob is away (else a fast reconnect could
        // get it live and the test would prove nothing about catching up).
        ((JavascriptExecutor) bob).executeScript(GATE_WEBSOCKETS);
        Client bobOnServer = server.chatHub().clients().stream().filter(c -> c.id() == bobsClient).findFirst().orElseThrow();
        bobOnServer.close(DisconnectReason.SLOW_CONSUMER);
        waitFor(bob, d -> !"online".equals(bodyData(d, "connection")) && attemptsBlocked(d) >= 1);
        waitFor(bob, textIn(By.id("banner"), "The server dropped this page"));
        waitFor(alice, textIn(By.id("messages"), "bob left #lobby"));
        screenshot(bob, "04-connection-lost");

        List<String> missed = List.of("missed one", "missed two", INJECTION, "missed three");
        for (String text : missed) {
            say(alice, text);
        }
        clickNav(alice, "#my-rooms", "#java");
        say(alice, "java while bob was away");
        waitFor(alice, messagesInclude("java", "java while bob was away"));
        clickNav(alice, "#my-rooms", "#lobby");
        waitFor(alice, messagesInclude("lobby", missed.toArray(String[]::new)));

        // ---- bob's network is back: the page reconnects by itself and catches up ----
        ((JavascriptExecutor) bob).executeScript("window.__testGateClosed = false;");
        waitFor(bob, d -> "online".equals(bodyData(d, "connection")));
        waitFor(bob, messagesInclude("lobby", missed.toArray(String[]::new)));
        waitFor(alice, d -> d.findElement(By.id("messages")).getText().split("bob joined #lobby", -1).length - 1 == 2);
        say(alice, "welcome back");
        waitFor(bob, messagesInclude("lobby", "welcome back"));
        screenshot(bob, "05-caught-up");

        List<String> lobby = messageTexts(bob, "lobby");
        assertThat(lobby).as("every lobby message once, in order")
                .containsExactly("hello bob", "hi alice", "missed one", "missed two", INJECTION, "missed three", "welcome back");
        assertThat(seqs(bob, "lobby")).as("seq 1, 2, 3... with no gap and no repeat").containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);

        // The injection is text: no <img> was made, and no alert fired.
        assertThat(bob.findElements(By.cssSelector("#messages img"))).isEmpty();
        assertThat(alice.findElements(By.cssSelector("#messages img"))).isEmpty();
        assertNoAlert(bob);
        assertNoAlert(alice);

        // The second room was rejoined with since: the message missed there is there once.
        clickNav(bob, "#my-rooms", "#java");
        waitFor(bob, messagesInclude("java", "java while bob was away"));
        assertThat(messageTexts(bob, "java")).containsExactly("java, anyone?", "java while bob was away");
        clickNav(bob, "#my-rooms", "#lobby");

        // ---- a phone-sized window: the sidebar is a drawer behind the menu button ----
        // A phone's viewport (390 x 844 CSS pixels, as an iPhone 12 to 15), not just a small window.
        ((ChromeDriver) bob).executeCdpCommand("Emulation.setDeviceMetricsOverride",
                Map.of("width", 390, "height", 844, "deviceScaleFactor", 1, "mobile", true));
        waitFor(bob, d -> d.findElement(By.id("menu-button")).isDisplayed());
        // the drawer slides off screen with a short transition once the viewport narrows: wait for it to be off
        waitFor(bob, d -> ChatPage.offScreen(d.findElement(By.id("sidebar"))));
        screenshot(bob, "06-phone");
        bob.findElement(By.id("menu-button")).click();
        waitFor(bob, d -> d.findElement(By.id("sidebar")).getRect().getX() == 0);
        screenshot(bob, "07-phone-sidebar");
        clickNav(bob, "#my-rooms", "#lobby"); // choosing a room closes the drawer
        waitFor(bob, d -> ChatPage.offScreen(d.findElement(By.id("sidebar"))));
        screenshot(alice, "08-laptop");
    }

    /**
     * Replaces the page's WebSocket constructor with one that fails while
     * {@code window.__testGateClosed} is true, counting the attempts; the page's own code is untouched.
     */
    private static final String GATE_WEBSOCKETS = """
            const Real = window.WebSocket;
            window.__testGateClosed = true;
            window.__testBlockedAttempts = 0;
            function Gated(url, protocols) {
              if (window.__testGateClosed) {
                window.__testBlockedAttempts++;
                throw new DOMException('network down (test)', 'NetworkError');
              }
              return protocols === undefined ? new Real(url) : new Real(url, protocols);
            }
            Gated.prototype = Real.prototype;
            for (const k of ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED']) Gated[k] = Real[k];
            window.WebSocket = Gated;
            """;

    private static long attemptsBlocked(WebDriver driver) {
        Object n = ((JavascriptExecutor) driver).executeScript("return window.__testBlockedAttempts || 0;");
        return ((Number) n).longValue();
    }

    private WebDriver browser(String who) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-dev-shm-usage", "--no-first-run", "--disable-component-update", "--disable-sync",
                "--disable-extensions", "--disable-default-apps", "--window-size=1280,800",
                "--user-data-dir=" + profiles.resolve(who));
        // An alert must not be dismissed for us: the test looks for one.
        options.setUnhandledPromptBehaviour(UnexpectedAlertBehaviour.IGNORE);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        WebDriver driver = new ChromeDriver(service, options);
        browsers.add(driver);
        return driver;
    }

    private static void logIn(WebDriver driver, String name) {
        driver.findElement(By.id("login-name")).sendKeys(name, Keys.ENTER);
        waitFor(driver, d -> "online".equals(bodyData(d, "connection")) && d.findElement(By.id("chat-view")).isDisplayed());
        waitFor(driver, textIn(By.id("me-name"), name));
        waitFor(driver, textIn(By.id("conversation-title"), "#lobby"));
    }

    private static void say(WebDriver driver, String text) {
        WebElement input = driver.findElement(By.id("composer-input"));
        input.sendKeys(text, Keys.ENTER);
        waitFor(driver, d -> d.findElement(By.id("composer-input")).getDomProperty("value").isEmpty());
    }

    private static void clickNav(WebDriver driver, String list, String label) {
        waitFor(driver, textIn(By.cssSelector(list), label));
        for (WebElement item : driver.findElements(By.cssSelector(list + " .nav-item"))) {
            if (item.findElement(By.cssSelector(".nav-label")).getText().equals(label)) {
                item.click();
                waitFor(driver, textIn(By.id("conversation-title"), label));
                return;
            }
        }
        throw new AssertionError("no " + label + " in " + list);
    }

    /** The texts of the room's messages on screen, top to bottom (the room must be the one shown). */
    private static List<String> messageTexts(WebDriver driver, String room) {
        return driver.findElements(By.cssSelector("#messages li.msg[data-room='" + room + "'] .msg-text")).stream()
                .map(WebElement::getText).collect(Collectors.toList());
    }

    private static List<Long> seqs(WebDriver driver, String room) {
        return driver.findElements(By.cssSelector("#messages li.msg[data-room='" + room + "']")).stream()
                .map(e -> Long.parseLong(e.getDomAttribute("data-seq"))).collect(Collectors.toList());
    }

    private static ExpectedCondition<Boolean> messagesInclude(String room, String... texts) {
        return d -> messageTexts(d, room).containsAll(List.of(texts));
    }

    private static ExpectedCondition<Boolean> textIn(By locator, String text) {
        return d -> d.findElement(locator).getText().contains(text);
    }

    private static String bodyData(WebDriver driver, String key) {
        return driver.findElement(By.tagName("body")).getDomAttribute("data-" + key);
    }

    private static void waitFor(WebDriver driver, ExpectedCondition<Boolean> condition) {
        new WebDriverWait(driver, WAIT).until(condition);
    }

    private static void assertNoAlert(WebDriver driver) {
        assertThatThrownBy(() -> driver.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
    }

    private Set<Long> clientIds() {
        return server.chatHub().clients().stream().map(Client::id).collect(Collectors.toSet());
    }

    private long onlyNew(Set<Long> before) {
        Set<Long> now = clientIds();
        now.removeAll(before);
        assertThat(now).as("exactly one new client on the server").hasSize(1);
        return now.iterator().next();
    }

    private static void screenshot(WebDriver driver, String name) throws IOException {
        Path file = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(file, SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }
}
