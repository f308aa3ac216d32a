package dev.chatengine.demo;

import dev.chatengine.engine.chat.ChatConfig;
import dev.chatengine.testing.WebSocketTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.interactions.Actions;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the page looks and holds up: laptop (1440 x 900) and phone (390 x 844) views in light and
 * dark (following the system setting, emulated), saved as screenshots under
 * {@code target/screenshots/}; every visible text at least 4.5:1 against its background (3:1 for
 * large text), computed from the computed styles; every control on the phone at least 44 px; and a
 * burst of 200 messages that leaves the page responsive.
 */
@Timeout(600)
class ChatPageLookBrowserTest {

    @TempDir
    static Path profiles;

    private static DemoServer server;
    private static ChatPage cy;
    private static ChatPage di;

    @BeforeAll
    static void start() throws IOException {
        ChatPage.assumeChromium();
        // A generous rate limit: the burst test sends 200 messages at once from one connection.
        server = DemoServer.start(new InetSocketAddress("127.0.0.1", 0), DemoConfig.builder()
                .chat(ChatConfig.builder().messagesPerSecond(1_000).burst(1_000).build()).build());
        cy = ChatPage.start(profiles, "cy");
        di = ChatPage.start(profiles, "di");
    }

    @AfterAll
    static void stop() {
        for (ChatPage page : new ChatPage[] {cy, di}) {
            if (page != null) {
                page.close();
            }
        }
        if (server != null) {
            server.stop();
        }
    }

    /**
     * For every visible element with text of its own: its colour against the first opaque
     * background behind it (translucent ones blended in), as WCAG 2 defines the ratio. Returns the
     * offenders as "ratio selector 'text'".
     */
    private static final String CONTRAST_OFFENDERS = """
            const parse = (c) => { const m = c.match(/rgba?\\(([^)]+)\\)/); if (!m) return null;
              const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number); return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 }; };
            const lin = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
            const lum = (c) => 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b);
            const blend = (top, bottom) => ({ r: top.r * top.a + bottom.r * (1 - top.a), g: top.g * top.a + bottom.g * (1 - top.a),
              b: top.b * top.a + bottom.b * (1 - top.a), a: 1 });
            function background(el) {
              const layers = [];
              for (let e = el; e; e = e.parentElement) {
                const c = parse(getComputedStyle(e).backgroundColor);
                if (c && c.a > 0) { layers.push(c); if (c.a >= 1) break; }
              }
              let bg = { r: 255, g: 255, b: 255, a: 1 };
              if (layers.length && layers[layers.length - 1].a >= 1) bg = layers.pop();
              while (layers.length) bg = blend(layers.pop(), bg);
              return bg;
            }
            const out = [];
            for (const el of document.querySelectorAll('body *')) {
              const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim() !== '');
              if (!own || el.closest('.sr-only') || el.closest('[aria-hidden="true"]:not(.avatar)')) continue;
              const r = el.getBoundingClientRect();
              const s = getComputedStyle(el);
              if (r.width === 0 || r.height === 0 || s.visibility === 'hidden' || r.right <= 0 || r.bottom <= 0
                  || r.left >= innerWidth || r.top >= innerHeight) continue;
              let fg = parse(s.color);
              const bg = background(el);
              if (fg.a < 1) fg = blend(fg, bg);
              let op = 1; for (let e = el; e; e = e.parentElement) op *= parseFloat(getComputedStyle(e).opacity);
              if (op < 1) fg = blend(Object.assign({}, fg, { a: op }), bg);
              const l1 = lum(fg), l2 = lum(bg);
              const ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
              const size = parseFloat(s.fontSize), bold = parseInt(s.fontWeight, 10) >= 700;
              const need = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
              if (ratio < need) out.push(ratio.toFixed(2) + ' ' + el.tagName.toLowerCase() + '.' + el.className + ' "' + el.textContent.trim().slice(0, 30) + '"');
            }
            return out;""";

    /** Every visible control (buttons, fields) smaller than 44 x 44 CSS pixels. */
    private static final String SMALL_TARGETS = """
            const out = [];
            for (const el of document.querySelectorAll('button, input, textarea, select, [role="button"]')) {
              const r = el.getBoundingClientRect();
              const s = getComputedStyle(el);
              if (r.width === 0 || r.height === 0 || s.visibility === 'hidden' || r.right <= 0 || r.left >= innerWidth) continue;
              if (r.width < 44 || r.height < 44) out.push(el.tagName.toLowerCase() + '#' + el.id + '.' + el.className
                + ' "' + el.textContent.trim().slice(0, 20) + '" ' + Math.round(r.width) + 'x' + Math.round(r.height));
            }
            return out;""";

    @Test
    void laptopAndPhoneInLightAndDarkHaveReadableTextAndBigEnoughTargets() throws IOException {
        cy.fresh(server.baseUri()).logIn("cy");
        di.fresh(server.baseUri()).logIn("di");
        cy.say("/join design");
        di.say("/join design");
        di.clickNav("#my-rooms", "#lobby");
        di.say("Morning! The notes are at " + server.baseUri().resolve("/healthz") + " (read-only).");
        cy.clickNav("#my-rooms", "#lobby");
        cy.composer().sendKeys("Thanks @di, reading now.", Keys.chord(Keys.SHIFT, Keys.ENTER), "Second line of the same message.");
        cy.composer().sendKeys(Keys.ENTER);
        di.say("@cy did you see the new room?");
        di.say("/w cy a private word");
        di.clickNav("#my-rooms", "#design");
        di.say("unread in design");
        cy.waitFor(d -> !cy.navItem("#my-rooms", "#design").findElements(By.cssSelector(".badge")).isEmpty());
        cy.waitFor(ChatPage.textIn(By.id("dm-list"), "di"));
        di.clickNav("#my-rooms", "#lobby");
        di.composer().sendKeys("typing something");
        cy.waitFor(ChatPage.textIn(By.id("messages"), "did you see the new room?"));

        for (String scheme : List.of("light", "dark")) {
            cy.colorScheme(scheme);
            cy.viewport(1440, 900, false);
            cy.waitFor(d -> d.findElement(By.id("sidebar")).isDisplayed());
            assertThat(backgroundLuminance(cy)).as(scheme + " background").satisfies(l ->
                    assertThat(scheme.equals("dark") ? l < 0.05 : l > 0.8).isTrue());
            cy.screenshot("laptop-" + scheme);
            assertThat(offenders(cy, CONTRAST_OFFENDERS)).as("contrast below 4.5:1, laptop " + scheme).isEmpty();

            cy.viewport(390, 844, true);
            cy.waitFor(d -> d.findElement(By.id("menu-button")).isDisplayed());
            cy.waitFor(d -> ChatPage.offScreen(d.findElement(By.id("sidebar"))));
            cy.screenshot("phone-" + scheme);
            assertThat(offenders(cy, CONTRAST_OFFENDERS)).as("contrast below 4.5:1, phone " + scheme).isEmpty();
            assertThat(offenders(cy, SMALL_TARGETS)).as("touch targets below 44 px, phone " + scheme).isEmpty();

            cy.driver.findElement(By.id("menu-button")).click();
            cy.waitFor(d -> d.findElement(By.id("sidebar")).getRect().getX() == 0);
            cy.screenshot("phone-drawer-" + scheme);
            assertThat(offenders(cy, CONTRAST_OFFENDERS)).as("contrast below 4.5:1, phone drawer " + scheme).isEmpty();
            assertThat(offenders(cy, SMALL_TARGETS)).as("touch targets below 44 px, phone drawer " + scheme).isEmpty();
            // A tap on the dimmed page beside the drawer closes it.
            new Actions(cy.driver).moveToLocation(380, 420).click().perform();
            cy.waitFor(d -> ChatPage.offScreen(d.findElement(By.id("sidebar"))));
        }
        cy.colorScheme("light");
        cy.viewport(1440, 900, false);
        cy.driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
        di.composer().clear();
    }

    private static List<?> offenders(ChatPage page, String script) {
        return (List<?>) page.js(script);
    }

    private static double backgroundLuminance(ChatPage page) {
        return ((Number) page.js("""
                const m = getComputedStyle(document.querySelector('.conversation')).backgroundColor.match(/\\d+/g).map(Number);
                const lin = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
                return 0.2126 * lin(m[0]) + 0.7152 * lin(m[1]) + 0.0722 * lin(m[2]);""")).doubleValue();
    }

    /** 200 messages at once from another client: all shown once, in order, and the page still answers at once. */
    @Test
    void aBurstOf200MessagesLeavesThePageResponsive() throws Exception {
        cy.fresh(server.baseUri()).logIn("cy2");
        cy.js("""
                window.__longest = 0;
                new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longest = Math.max(window.__longest, e.duration); })
                  .observe({ type: 'longtask' });
                window.__maxGap = 0; let last = performance.now();
                (function frame(t) { window.__maxGap = Math.max(window.__maxGap, t - last); last = t; requestAnimationFrame(frame); })(last);""");
        try (WebSocketTestClient flood = WebSocketTestClient.connect(server.webSocketUri("/ws"))) {
            flood.send("{\"type\":\"login\",\"name\":\"flood\"}");
            flood.send("{\"type\":\"join\",\"room\":\"burst\"}");
            cy.say("/join burst");
            cy.waitFor(ChatPage.textIn(By.id("members"), "flood"));
            cy.js("window.__maxGap = 0; window.__longest = 0;");
            for (int i = 1; i <= 200; i++) {
                flood.send("{\"type\":\"say\",\"room\":\"burst\",\"text\":\"burst message " + i + "\"}");
            }
            cy.composer().sendKeys("typed during the burst");
            cy.waitFor(d -> cy.messageTexts("burst").size() >= 200);
        }
        List<String> texts = cy.messageTexts("burst");
        assertThat(texts).hasSize(200);
        for (int i = 0; i < 200; i++) {
            assertThat(texts.get(i)).isEqualTo("burst message " + (i + 1));
        }
        assertThat(cy.composerValue()).isEqualTo("typed during the burst");
        double longest = ((Number) cy.js("return window.__longest;")).doubleValue();
        double maxGap = ((Number) cy.js("return window.__maxGap;")).doubleValue();
        System.out.printf("200-message burst: longest task %.0f ms, longest gap between frames %.0f ms%n", longest, maxGap);
        // Generous bounds for a busy two-core machine: a page that renders each message with its
        // own layout or rebuilds its sidebar per message shows multi-second stalls here.
        assertThat(longest).as("longest main-thread task (ms)").isLessThan(2_000);
        cy.composer().sendKeys(Keys.ENTER);
        cy.waitFor(cy.messagesInclude("burst", "typed during the burst"));
    }
}
