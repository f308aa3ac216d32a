package dev.chatengine.demo;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.Rectangle;
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
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * One person's chat page in headless Chromium, for the browser tests: starts Debian's
 * {@code /usr/bin/chromium} through {@code /usr/bin/chromedriver} (named explicitly, so that Selenium
 * Manager never downloads anything), and offers the steps a person takes (log in, type, click) and
 * what a person sees (messages, banner, sidebar) as methods.
 *
 * <p>A test class starts its pages once and reuses them across its tests: {@link #fresh} forgets the
 * tab's session and loads the page again, as a new visitor would see it.
 */
final class ChatPage implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    /** Generous: CI has two busy cores and a browser start alone can take seconds there. */
    static final Duration WAIT = Duration.ofSeconds(30);

    /**
     * Replaces the page's WebSocket constructor with one that fails while
     * {@code window.__testGateClosed} is true, counting the attempts; the page's own code is untouched.
     */
    static final String GATE_WEBSOCKETS = """
            (() => {
              const Real = window.WebSocket;
              if (window.__testGateClosed === undefined) window.__testGateClosed = true;
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
            })();
            """;

    final ChromeDriver driver;
    private final List<String> scriptsOnNewDocument = new ArrayList<>();

    private ChatPage(ChromeDriver driver) {
        this.driver = driver;
    }

    static void assumeChromium() {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "no /usr/bin/chromium or /usr/bin/chromedriver: install them with: apt-get install chromium chromium-driver");
    }

    /** A new browser with its own profile directory under {@code profiles}. */
    static ChatPage start(Path profiles, String who) {
        assumeChromium();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-dev-shm-usage", "--no-first-run", "--disable-component-update", "--disable-sync",
                "--disable-extensions", "--disable-default-apps", "--window-size=1440,900",
                "--disable-renderer-backgrounding", "--disable-background-timer-throttling",
                "--user-data-dir=" + profiles.resolve(who));
        // An alert must not be dismissed for us: the tests look for one.
        options.setUnhandledPromptBehaviour(UnexpectedAlertBehaviour.IGNORE);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        return new ChatPage(new ChromeDriver(service, options));
    }

    // ---- navigation ----

    /** Forgets this tab's session (sessionStorage) and any injected scripts, then opens the page. */
    ChatPage fresh(URI base) {
        for (String id : scriptsOnNewDocument) {
            driver.executeCdpCommand("Page.removeScriptToEvaluateOnNewDocument", Map.of("identifier", id));
        }
        scriptsOnNewDocument.clear();
        driver.get(base.resolve("/healthz").toString());
        driver.executeScript("sessionStorage.clear();");
        driver.get(base.toString());
        waitFor(d -> d.findElement(By.id("login-name")).isDisplayed());
        return this;
    }

    /** Runs {@code script} in every document this tab loads from now on, before the page's own scripts. */
    void onEveryDocument(String script) {
        Map<String, Object> result = driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", script));
        scriptsOnNewDocument.add(String.valueOf(result.get("identifier")));
    }

    void reload() {
        driver.navigate().refresh();
    }

    // ---- what a person does ----

    void logIn(String name) {
        typeName(name);
        waitOnline();
        waitFor(textIn(By.id("me-name"), name));
        waitFor(textIn(By.id("conversation-title"), "#lobby"));
    }

    void typeName(String name) {
        WebElement input = driver.findElement(By.id("login-name"));
        input.clear();
        input.sendKeys(name, Keys.ENTER);
    }

    void waitOnline() {
        waitFor(d -> "online".equals(bodyData("connection")) && d.findElement(By.id("chat-view")).isDisplayed());
    }

    /** Types the text into the composer and presses Enter; waits until the composer is empty again. */
    void say(String text) {
        WebElement input = composer();
        input.sendKeys(text, Keys.ENTER);
        waitFor(d -> composerValue().isEmpty());
    }

    /** Inserts text into the focused field as a paste does (any characters, line breaks included). */
    void paste(String text) {
        driver.executeScript("document.execCommand('insertText', false, arguments[0]);", text);
    }

    WebElement composer() {
        return driver.findElement(By.id("composer-input"));
    }

    String composerValue() {
        return composer().getDomProperty("value");
    }

    void clickNav(String list, String label) {
        waitFor(textIn(By.cssSelector(list), label));
        navItem(list, label).click();
        waitFor(textIn(By.id("conversation-title"), label));
    }

    WebElement navItem(String list, String label) {
        for (WebElement item : driver.findElements(By.cssSelector(list + " .nav-item"))) {
            if (item.findElement(By.cssSelector(".nav-label")).getText().equals(label)) {
                return item;
            }
        }
        throw new AssertionError("no " + label + " in " + list);
    }

    boolean hasNav(String list, String label) {
        return driver.findElements(By.cssSelector(list + " .nav-item .nav-label")).stream()
                .anyMatch(e -> e.getText().equals(label));
    }

    // ---- what a person sees ----

    /** The texts of the room's messages on screen, top to bottom (the room must be the one shown). */
    List<String> messageTexts(String room) {
        return driver.findElements(By.cssSelector("#messages li.msg[data-room='" + room + "'] .msg-text")).stream()
                .map(WebElement::getText).collect(Collectors.toList());
    }

    /** The texts of the whispers on screen, top to bottom. */
    List<String> whisperTexts() {
        return driver.findElements(By.cssSelector("#messages li.msg.direct:not(.pending) .msg-text")).stream()
                .map(WebElement::getText).collect(Collectors.toList());
    }

    List<Long> seqs(String room) {
        return driver.findElements(By.cssSelector("#messages li.msg[data-room='" + room + "']")).stream()
                .map(e -> Long.parseLong(e.getDomAttribute("data-seq"))).collect(Collectors.toList());
    }

    ExpectedCondition<Boolean> messagesInclude(String room, String... texts) {
        return d -> messageTexts(room).containsAll(List.of(texts));
    }

    /** True once {@code element} is wholly left of the viewport: a drawer that finished sliding away. */
    static boolean offScreen(WebElement element) {
        Rectangle r = element.getRect();
        return r.getX() + r.getWidth() <= 0;
    }

    static ExpectedCondition<Boolean> textIn(By locator, String text) {
        return d -> d.findElement(locator).getText().contains(text);
    }

    String text(By locator) {
        return driver.findElement(locator).getText();
    }

    String bodyData(String key) {
        return driver.findElement(By.tagName("body")).getDomAttribute("data-" + key);
    }

    long blockedAttempts() {
        return ((Number) js("return window.__testBlockedAttempts || 0;")).longValue();
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    void waitFor(Function<WebDriver, Boolean> condition) {
        new WebDriverWait(driver, WAIT).until(condition::apply);
    }

    void waitFor(Duration timeout, Function<WebDriver, Boolean> condition) {
        new WebDriverWait(driver, timeout).until(condition::apply);
    }

    /** A phone's viewport (390 x 844 CSS pixels, as an iPhone 12 to 15) or a laptop's (1440 x 900). */
    void viewport(int width, int height, boolean mobile) {
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", mobile));
    }

    void colorScheme(String scheme) {
        driver.executeCdpCommand("Emulation.setEmulatedMedia",
                Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", scheme))));
    }

    void screenshot(String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        Path file = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(file, SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } catch (RuntimeException e) {
            // the browser may already be gone
        }
    }
}
