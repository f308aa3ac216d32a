package dev.chatengine.bench.soak;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A smoke run of the soak (seconds, not minutes; 100 raw clients, 10 chat users): it runs, reports,
 * loses nothing, and every kind of attack happened and was answered.
 */
class SoakRunTest {

    @Test
    void aShortSoakLosesNothingAndReportsBothEnds() throws Exception {
        ByteArrayOutputStream report = new ByteArrayOutputStream();
        SoakRun.Result result = new SoakRun(SoakRun.Options.parse("--duration", "10s", "--healthy", "100",
                "--senders", "5", "--rate", "5", "--chat", "10", "--chat-rooms", "2", "--chat-rate", "2",
                "--churn", "5", "--slow", "5", "--attack-every", "60s", "--heap", "256m"),
                new PrintStream(report, true, StandardCharsets.UTF_8)).run();
        String text = report.toString(StandardCharsets.UTF_8);
        System.out.print(text);
        assertThat(result.ok()).as(text).isTrue();
        assertThat(result.raw().sent()).isPositive();
        assertThat(result.chat().sent()).isPositive();
        assertThat(result.chatDelivered()).isEqualTo(result.chat().expected());
        assertThat(result.attackConnections()).isPositive();
        assertThat(result.attacksCut()).isEqualTo(result.attackConnections());
        assertThat(result.answered431()).isPositive();
        assertThat(result.answered429()).isPositive();
        ChatAttacks chat = result.chatAttacks();
        assertThat(chat.waves()).isPositive();
        assertThat(chat.fillAnswer()).as(text).startsWith("bad_room");
        assertThat(chat.whispersRateLimited()).isPositive();
        assertThat(result.whisperTargetConnected()).isTrue();
        assertThat(chat.burstLogins()).isPositive();
        assertThat(result.start().heapAfterGcBytes()).isPositive();
        assertThat(result.end().heapAfterGcBytes()).isPositive();
    }
}
