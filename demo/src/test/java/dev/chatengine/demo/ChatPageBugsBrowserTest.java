package dev.chatengine.demo;

import dev.chatengine.engine.HubConfig;
import dev.chatengine.engine.chat.ChatConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The "Broken" list of issue 13, one test per bug, each as the person who found it would see it
 * (keys, clicks, pastes), and each failing on the page before its fix. Two browsers serve all
 * tests of the class; each test starts from a fresh tab session under names of its own.
 *
 * <p>Bug 8 (the reconnect banner's words) is in {@link ChatPageRestartBrowserTest}, which stops a
 * real server process; the contrast and touch-target parts of bug 10 are in {@link ChatPageLookBrowserTest}.
 */
@Timeout(600)
class ChatPageBugsBrowserTest {

    @TempDir
    static Path profiles;

    private static DemoServer server;
    /** A server with a small rate limit and a short text limit, for the rate-limit and refusal tests. */
    private static DemoServer strict;
    private static ChatPage ann;
    private static ChatPage ben;

    @BeforeAll
    static void start() throws IOException {
        ChatPage.assumeChromium();
        server = DemoServer.start(new InetSocketAddress("127.0.0.1", 0));
        strict = DemoServer.start(new InetSocketAddress("127.0.0.1", 0), DemoConfig.builder()
                .chat(ChatConfig.builder().messagesPerSecond(4).burst(8).maxTextChars(100).build())
                .build());
        ann = ChatPage.start(profiles, "ann");
        ben = ChatPage.start(profiles, "ben");
    }

    @AfterAll
    static void stop() {
        for (ChatPage page : new ChatPage[] {ann, ben}) {
            if (page != null) {
                page.close();
            }
        }
        for (DemoServer s : new DemoServer[] {server, strict}) {
            if (s != null) {
                s.stop();
            }
        }
    }

    /** Bug 1: Tab to a room button, let the sidebar refresh, press Enter: focus stays on the button. */
    @Test
    void focusStaysOnARoomButtonThroughSidebarRefreshesAndEnter() {
        ann.fresh(server.baseUri()).logIn("ann1");
        ann.say("/join focus1");
        ann.waitFor(ChatPage.textIn(By.id("conversation-title"), "#focus1"));
        ann.clickNav("#my-rooms", "#lobby");

        // Shift+Tab from the join box lands on the last room button, #lobby.
        ann.driver.findElement(By.id("join-room")).click();
        ann.driver.switchTo().activeElement().sendKeys(Keys.chord(Keys.SHIFT, Keys.TAB));
        assertThat(activeLabel(ann)).isEqualTo("#lobby");

        // Someone else comes and talks: presence, unread counts and room lists all refresh the sidebar.
        ben.fresh(server.baseUri()).logIn("ben1");
        ben.say("/join focus1");
        ben.say("anyone in focus1?");
        ann.waitFor(d -> ann.navItem("#my-rooms", "#focus1").getText().contains("1"));
        ann.waitFor(ChatPage.textIn(By.id("members"), "ben1"));
        assertThat(activeLabel(ann)).as("focus after the sidebar refreshed").isEqualTo("#lobby");

        // Enter on a room button (here: the other one) selects it and focus stays there.
        ann.driver.switchTo().activeElement().sendKeys(Keys.chord(Keys.SHIFT, Keys.TAB));
        assertThat(activeLabel(ann)).isEqualTo("#focus1");
        ann.driver.switchTo().activeElement().sendKeys(Keys.ENTER);
        ann.waitFor(ChatPage.textIn(By.id("conversation-title"), "#focus1"));
        assertThat(activeLabel(ann)).as("focus after Enter").isEqualTo("#focus1");
        assertThat(ann.navItem("#my-rooms", "#focus1").getDomAttribute("aria-current")).isEqualTo("true");
    }

    private static String activeLabel(ChatPage page) {
        return (String) page.js("""
                const a = document.activeElement;
                const label = a && a.querySelector ? a.querySelector('.nav-label') : null;
                return label ? label.textContent : (a ? a.tagName + '#' + a.id : 'none');""");
    }

    /** Bug 2: join a room from the join box, then type a message and press Enter: it is a message. */
    @Test
    void afterAJoinFromTheJoinBoxWhatIsTypedNextIsAMessage() {
        ann.fresh(server.baseUri()).logIn("ann2");
        WebElement joinBox = ann.driver.findElement(By.id("join-room"));
        joinBox.click();
        joinBox.sendKeys("joinbox2", Keys.ENTER);
        ann.waitFor(ChatPage.textIn(By.id("conversation-title"), "#joinbox2"));
        ann.driver.switchTo().activeElement().sendKeys("hello from the composer", Keys.ENTER);
        ann.waitFor(ann.messagesInclude("joinbox2", "hello from the composer"));
        assertThat(ann.hasNav("#my-rooms", "#hello")).isFalse();
    }

    /** Bug 3: nothing is cut short silently; the counter counts code points, as the server does. */
    @Test
    void textIsNeverCutShortAndTheLimitCountsCodePoints() {
        ann.fresh(server.baseUri());
        // A 100-character name is refused in words, not cut to 32 and logged in.
        ann.driver.findElement(By.id("login-name")).click();
        ann.paste("n".repeat(100));
        ann.driver.findElement(By.id("login-name")).sendKeys(Keys.ENTER);
        ann.waitFor(ChatPage.textIn(By.id("login-error"), "at most 32"));
        assertThat(ann.driver.findElement(By.id("login-name")).getDomProperty("value")).hasSize(100);
        assertThat(ann.driver.findElement(By.id("login-view")).isDisplayed()).isTrue();

        ann.logIn("ann3");
        ben.fresh(server.baseUri()).logIn("ben3");
        // 4,097 characters pasted: all kept, the counter says so, Enter refuses to send with the reason.
        ann.composer().click();
        ann.paste("x".repeat(4_097));
        assertThat(ann.composerValue()).hasSize(4_097);
        assertThat(ann.text(By.id("composer-counter"))).isEqualTo("4,097 / 4,096");
        ann.composer().sendKeys(Keys.ENTER);
        ann.waitFor(ChatPage.textIn(By.id("composer-note"), "Too long by 1 character"));
        assertThat(ann.composerValue()).hasSize(4_097);

        // 3,000 emoji are 3,000 code points (6,000 UTF-16 units): under the limit, sent whole.
        ann.js("document.getElementById('composer-input').select();");
        ann.paste("😀".repeat(3_000));
        assertThat(ann.composerValue().codePointCount(0, ann.composerValue().length())).isEqualTo(3_000);
        ann.composer().sendKeys(Keys.ENTER);
        ben.waitFor(d -> ben.messageTexts("lobby").stream().anyMatch(t -> t.equals("😀".repeat(3_000))));
    }

    /** Bug 3 (last part) and missing 6: a message the server refuses comes back to the composer with the reason. */
    @Test
    void aMessageTheServerRefusesStaysInTheComposerWithTheReason() {
        ann.fresh(strict.baseUri()).logIn("ann3b");
        String longer = "This one is longer than the hundred characters this server accepts, so it is refused: "
                + "y".repeat(40);
        ann.composer().sendKeys(longer, Keys.ENTER);
        ann.waitFor(ChatPage.textIn(By.id("composer-note"), "longer than the server accepts"));
        assertThat(ann.composerValue()).isEqualTo(longer);
        assertThat(ann.messageTexts("lobby")).doesNotContain(longer);
    }

    /** Bug 4: a burst past the rate limit waits and goes out, every message once and in order, no red lines. */
    @Test
    void messagesPastTheRateLimitWaitAndGoOutInOrder() {
        ann.fresh(strict.baseUri()).logIn("ann4");
        ben.fresh(strict.baseUri()).logIn("ben4");
        ann.waitFor(ChatPage.textIn(By.id("members"), "ben4"));
        List<String> burst = IntStream.rangeClosed(1, 20).mapToObj(i -> "burst " + i).collect(Collectors.toList());
        StringBuilder keys = new StringBuilder();
        for (String text : burst) {
            keys.append(text).append(Keys.ENTER);
        }
        ann.composer().sendKeys(keys);
        ben.waitFor(d -> ben.messageTexts("lobby").size() >= burst.size());
        assertThat(ben.messageTexts("lobby")).containsExactlyElementsOf(burst);
        ann.waitFor(d -> ann.messageTexts("lobby").size() >= burst.size());
        assertThat(ann.messageTexts("lobby")).containsExactlyElementsOf(burst);
        assertThat(ann.driver.findElements(By.cssSelector("#messages .error, #messages .failed"))).isEmpty();
    }

    /** Bug 5: a whisper to nobody leaves no conversation behind, and the text comes back. */
    @Test
    void aWhisperToNobodyLeavesNoGhostConversation() {
        ann.fresh(server.baseUri()).logIn("ann5");
        ann.composer().sendKeys("/w nobody5 are you there?", Keys.ENTER);
        ann.waitFor(ChatPage.textIn(By.id("composer-note"), "nobody5 is not online"));
        assertThat(ann.composerValue()).isEqualTo("/w nobody5 are you there?");
        assertThat(ann.text(By.id("dm-list"))).doesNotContain("nobody5");
        assertThat(ann.text(By.id("conversation-title"))).isEqualTo("#lobby");

        ann.driver.findElement(By.id("leave-button")).click();
        ann.waitFor(ChatPage.textIn(By.id("conversation-title"), "No room"));
        assertThat(ann.text(By.id("dm-list"))).doesNotContain("nobody5");
    }

    /** Bug 6: F5 keeps you logged in, with your rooms and whispers. */
    @Test
    void aReloadKeepsTheNameRoomsAndWhispers() {
        ann.fresh(server.baseUri()).logIn("ann6");
        ben.fresh(server.baseUri()).logIn("ben6");
        ann.say("/join reload6");
        ann.waitFor(ChatPage.textIn(By.id("conversation-title"), "#reload6"));
        ben.say("/w ann6 a whisper before the reload");
        ann.waitFor(ChatPage.textIn(By.id("dm-list"), "ben6"));

        ann.reload();
        ann.waitOnline();
        assertThat(ann.driver.findElement(By.id("login-view")).isDisplayed()).isFalse();
        assertThat(ann.text(By.id("me-name"))).isEqualTo("ann6");
        assertThat(ann.hasNav("#my-rooms", "#reload6")).isTrue();
        assertThat(ann.hasNav("#my-rooms", "#lobby")).isTrue();
        ann.clickNav("#dm-list", "ben6");
        ann.waitFor(d -> ann.whisperTexts().contains("a whisper before the reload"));
    }

    /** Bug 7: empty rooms do not pile up; a count and an unread badge say different things. */
    @Test
    void roomsWithNobodyInThemAreNotListedAndCountsAreTellableFromUnreadBadges() {
        ann.fresh(server.baseUri()).logIn("ann7");
        ben.fresh(server.baseUri()).logIn("ben7");
        ben.say("/join empty7");
        ben.say("something for the history");
        ben.driver.findElement(By.id("leave-button")).click();
        ben.waitFor(ChatPage.textIn(By.id("conversation-title"), "#lobby"));
        ben.say("/join busy7");
        ann.waitFor(d -> ann.hasNav("#other-rooms", "#busy7"));
        assertThat(ann.hasNav("#other-rooms", "#empty7")).as("a room with history and nobody in it").isFalse();

        ann.navItem("#other-rooms", "#busy7").click();
        ann.waitFor(ChatPage.textIn(By.id("conversation-title"), "#busy7"));
        ann.clickNav("#my-rooms", "#lobby");
        ben.say("one");
        ben.say("two");
        ann.waitFor(d -> ann.navItem("#my-rooms", "#busy7").getDomProperty("textContent").contains("2 unread"));
        WebElement item = ann.navItem("#my-rooms", "#busy7");
        assertThat(item.getDomProperty("textContent")).contains("2 members");
        assertThat(item.findElement(By.cssSelector(".count")).getDomAttribute("title")).isEqualTo("2 members");
        assertThat(item.findElement(By.cssSelector(".badge")).getDomAttribute("title")).isEqualTo("2 unread");
    }

    /** Bug 7 (second part): a new room shows up for others at once, not at the next 10-second refresh. */
    @Test
    void aNewRoomAppearsForOthersWithoutWaitingForThePeriodicRefresh() {
        ServerFeatures.assumeRoomEvents(server.webSocketUri("/ws"));
        // Periodic timers of 5 s or more never fire on this page: only the server's room events can help.
        ann.fresh(server.baseUri());
        ann.onEveryDocument("""
                const realSetInterval = window.setInterval;
                window.setInterval = (f, ms, ...rest) => realSetInterval(f, ms >= 5000 ? 3600000 : ms, ...rest);""");
        ann.reload();
        ann.logIn("ann7b");
        ben.fresh(server.baseUri()).logIn("ben7b");
        ann.waitFor(ChatPage.textIn(By.id("members"), "ben7b"));
        ben.say("/join fresh7");
        ann.waitFor(d -> ann.hasNav("#other-rooms", "#fresh7"));
    }

    /** Bug 9: a Hindi name (vowel signs are combining marks) is a name; a zero-width joiner is not. */
    @Test
    void namesFollowTheOneRuleWithCombiningMarks() {
        ServerFeatures.assumeNamesWithMarks(server.webSocketUri("/ws"));
        ann.fresh(server.baseUri());
        ann.driver.findElement(By.id("login-name")).click();
        ann.paste("a\u200Db");
        ann.driver.findElement(By.id("login-name")).sendKeys(Keys.ENTER);
        ann.waitFor(ChatPage.textIn(By.id("login-error"), "invisible characters"));
        ann.driver.findElement(By.id("login-name")).clear();
        ann.driver.findElement(By.id("login-name")).sendKeys("9lives", Keys.ENTER);
        ann.waitFor(ChatPage.textIn(By.id("login-error"), "a letter first"));

        ann.driver.findElement(By.id("login-name")).clear();
        ann.driver.findElement(By.id("login-name")).sendKeys("अनिल", Keys.ENTER);
        ann.waitOnline();
        ann.waitFor(ChatPage.textIn(By.id("me-name"), "अनिल"));
    }

    /** Bug 10 (structure): a log role, aria-current, labelled badges, dir="auto" for right-to-left text. */
    @Test
    void theMessageListIsALogAndRightToLeftTextKeepsItsDirection() {
        ann.fresh(server.baseUri()).logIn("ann10");
        ben.fresh(server.baseUri()).logIn("ben10");
        WebElement list = ann.driver.findElement(By.id("messages"));
        assertThat(list.getDomAttribute("role")).isEqualTo("log");
        assertThat(ann.navItem("#my-rooms", "#lobby").getDomAttribute("aria-current")).isEqualTo("true");

        ben.say("מה שלומך?");
        ann.waitFor(ann.messagesInclude("lobby", "מה שלומך?"));
        Boolean rtl = (Boolean) ann.js("""
                const texts = document.querySelectorAll('#messages li.msg .msg-text');
                return texts[texts.length - 1].matches(':dir(rtl)');""");
        assertThat(rtl).as("a Hebrew message is laid out right to left, its question mark on the left").isTrue();

        ann.say("/join other10");
        ann.clickNav("#my-rooms", "#lobby");
        ben.say("/join other10");
        ben.say("unread for ann");
        ann.waitFor(d -> ann.navItem("#my-rooms", "#other10").getDomProperty("textContent").contains("1 unread"));
        assertThat(ann.navItem("#my-rooms", "#other10").getDomAttribute("aria-current")).isNull();
    }
}
