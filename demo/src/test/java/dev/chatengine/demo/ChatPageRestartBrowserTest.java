package dev.chatengine.demo;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The page across a restart of a real demo process on the same port (issue 9's epochs, issue 13's
 * bug 8): the banner says in words that the server is restarting, and keeps saying it while retries
 * fail; once the new process is up, both pages are back, what they showed is still there, the new
 * life's messages (whose seqs start again at 1) are not dropped as copies, and a message typed
 * while the server was down goes out once.
 */
@Timeout(300)
class ChatPageRestartBrowserTest {

    @TempDir
    Path profiles;

    private final List<Process> processes = new ArrayList<>();
    private final List<ChatPage> pages = new ArrayList<>();

    @AfterEach
    void stop() {
        pages.forEach(ChatPage::close);
        for (Process p : processes) {
            p.destroyForcibly();
        }
    }

    @Test
    void thePageRecoversAcrossAServerRestartWithNothingLostOrDroppedAsADuplicate() throws Exception {
        ChatPage.assumeChromium();
        Process first = launch("0");
        int port = portOf(first);
        URI base = URI.create("http://127.0.0.1:" + port + "/");
        ChatPage rae = page("rae");
        ChatPage sol = page("sol");
        rae.fresh(base).logIn("rae");
        sol.fresh(base).logIn("sol");
        rae.say("/join side");
        rae.clickNav("#my-rooms", "#lobby");
        rae.say("before one");
        sol.say("before two");
        rae.say("before three");
        sol.waitFor(sol.messagesInclude("lobby", "before one", "before two", "before three"));
        rae.waitFor(rae.messagesInclude("lobby", "before one", "before two", "before three"));

        // ---- SIGTERM: every page hears 1001, said in words; failed retries do not replace them ----
        first.destroy();
        assertThat(first.waitFor(60, TimeUnit.SECONDS)).isTrue();
        for (ChatPage page : List.of(rae, sol)) {
            page.waitFor(d -> !"online".equals(page.bodyData("connection")));
            page.waitFor(ChatPage.textIn(By.id("banner"), "The server is restarting or shutting down."));
        }
        rae.waitFor(d -> Integer.parseInt(rae.bodyData("reconnect-attempt")) >= 3);
        String banner = rae.text(By.id("banner-text"));
        assertThat(banner).startsWith("The server is restarting or shutting down.").doesNotContainPattern("\\b1\\d\\d\\d\\b");
        rae.screenshot("restart-banner");

        rae.composer().sendKeys("typed while the server was down", Keys.ENTER);
        rae.waitFor(d -> d.findElements(By.cssSelector("#messages li.msg.pending")).size() == 1);

        // ---- a new process on the same port: the rooms start over (new epoch, seq from 1) ----
        Process second = launch(String.valueOf(port));
        assertThat(portOf(second)).isEqualTo(port);
        rae.waitOnline();
        sol.waitOnline();
        sol.waitFor(sol.messagesInclude("lobby", "typed while the server was down"));
        rae.waitFor(d -> d.findElements(By.cssSelector("#messages li.msg.pending")).isEmpty());
        sol.say("after the restart");
        rae.waitFor(rae.messagesInclude("lobby", "after the restart"));

        List<String> expected = List.of("before one", "before two", "before three", "typed while the server was down", "after the restart");
        sol.waitFor(sol.messagesInclude("lobby", "after the restart"));
        assertThat(rae.messageTexts("lobby")).as("rae: nothing lost, nothing twice").containsExactlyElementsOf(expected);
        assertThat(sol.messageTexts("lobby")).as("sol: nothing lost, nothing twice").containsExactlyElementsOf(expected);
        assertThat(rae.seqs("lobby")).containsExactly(1L, 2L, 3L, 1L, 2L);
        assertThat(rae.text(By.id("messages"))).contains("#lobby started over on the server");
        // The other room was rejoined on the new server too.
        rae.clickNav("#my-rooms", "#side");
        sol.say("/join side");
        sol.say("side after the restart");
        rae.waitFor(rae.messagesInclude("side", "side after the restart"));
    }

    private ChatPage page(String who) {
        ChatPage page = ChatPage.start(profiles, who);
        pages.add(page);
        return page;
    }

    private Process launch(String port) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-opens", "jdk.httpserver/sun.net.httpserver=ALL-UNNAMED",
                "-Xshare:auto", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"),
                ChatDemo.class.getName(), "--host", "127.0.0.1", "--port", port));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        processes.add(process);
        return process;
    }

    private static int portOf(Process process) throws IOException {
        BufferedReader stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Pattern start = Pattern.compile("chat-demo: open http://127\\.0\\.0\\.1:(\\d+)/");
        for (String line; (line = stdout.readLine()) != null; ) {
            Matcher m = start.matcher(line);
            if (m.find()) {
                // Keep draining its output so that the process never blocks on a full pipe.
                Thread.ofVirtual().start(() -> {
                    try {
                        stdout.transferTo(java.io.Writer.nullWriter());
                    } catch (IOException e) {
                        // the process ended
                    }
                });
                return Integer.parseInt(m.group(1));
            }
        }
        throw new AssertionError("the demo process ended without its start line");
    }
}
