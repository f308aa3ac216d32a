package dev.chatengine.demo;

import dev.chatengine.engine.HubConfig;
import dev.chatengine.engine.chat.ChatConfig;
import dev.chatengine.transport.jdk.server.DeflateConfig;
import dev.chatengine.transport.jdk.server.WebSocketConfig;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The limit flags: parsed by {@link CommandLine}, applied to both hubs and the transport. */
class DemoLimitsTest {

    private static DemoLimits parse(String... args) {
        return switch (CommandLine.parse(args)) {
            case CommandLine.Run run -> run.limits();
            case CommandLine other -> throw new AssertionError("not a run: " + other);
        };
    }

    @Test
    void sizesTakeBinarySuffixes() {
        assertThat(DemoLimits.parseSize("65536")).isEqualTo(65_536);
        assertThat(DemoLimits.parseSize("64k")).isEqualTo(65_536);
        assertThat(DemoLimits.parseSize("20M")).isEqualTo(20L << 20);
        assertThat(DemoLimits.parseSize("1g")).isEqualTo(1L << 30);
        assertThat(DemoLimits.parseSize("-1")).isEqualTo(-1);
        assertThat(DemoLimits.parseSize("12kb")).isEqualTo(-1);
        assertThat(DemoLimits.parseSize("")).isEqualTo(-1);
    }

    @Test
    void noFlagKeepsEveryDefault() {
        DemoLimits limits = parse();
        assertThat(limits).isEqualTo(DemoLimits.defaults());
        DemoConfig.Builder builder = DemoConfig.builder();
        limits.applyTo(builder, DemoConfig.defaults());
        DemoConfig config = builder.build();
        assertThat(config.webSocket().maxMessageBytes()).isEqualTo(WebSocketConfig.DEFAULT_MAX_MESSAGE_BYTES);
        assertThat(config.rawHub().sendQueueBytes()).isEqualTo(HubConfig.DEFAULT_SEND_QUEUE_BYTES);
        assertThat(config.chatHub().sendQueueCapacity()).isEqualTo(HubConfig.DEFAULT_SEND_QUEUE_CAPACITY);
        assertThat(config.chat()).isEqualTo(ChatConfig.defaults());
    }

    @Test
    void roomExpiryChangesOnlyTheChatsRoomExpiry() {
        DemoConfig base = DemoConfig.builder().chat(ChatConfig.builder().burst(7).maxRoomsPerAddress(3).build()).build();
        DemoConfig.Builder builder = DemoConfig.builder().chat(base.chat());
        parse("--room-expiry", "2s").applyTo(builder, base);
        assertThat(builder.build().chat())
                .isEqualTo(base.chat().toBuilder().roomExpiry(Duration.ofSeconds(2)).build())
                .extracting(ChatConfig::burst, ChatConfig::maxRoomsPerAddress).containsExactly(7, 3);
        assertThat(DemoLimits.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(DemoLimits.parseDuration("2H")).isEqualTo(Duration.ofHours(2));
    }

    @Test
    void aLargerMessageLimitRaisesTheQueueBytesToFourMessagesUnlessTheyAreGiven() {
        DemoLimits limits = parse("--max-message", "20m", "--queue-messages=512", "--memory-budget", "256m");
        assertThat(limits.maxMessageBytes()).isEqualTo(OptionalInt.of(20 << 20));
        DemoConfig.Builder builder = DemoConfig.builder();
        limits.applyTo(builder, DemoConfig.defaults());
        DemoConfig config = builder.build();
        assertThat(config.webSocket().maxMessageBytes()).isEqualTo(20 << 20);
        for (HubConfig hub : new HubConfig[] {config.chatHub(), config.rawHub()}) {
            assertThat(hub.sendQueueBytes()).isEqualTo(80L << 20);
            assertThat(hub.sendQueueCapacity()).isEqualTo(512);
            assertThat(hub.memoryBudgetBytes()).isEqualTo(256L << 20);
        }
        DemoLimits explicit = parse("--max-message", "20m", "--queue-bytes", "2m");
        assertThat(explicit.queueBytes()).isEqualTo(OptionalLong.of(2L << 20));
        assertThat(explicit.hub(HubConfig.defaults()).sendQueueBytes()).isEqualTo(2L << 20);
    }

    @Test
    void deflateOffIsNeverNegotiatedAndKeepsTheOtherLimits() throws Exception {
        DemoLimits off = parse("--max-message", "20m", "--deflate", "off");
        assertThat(parse("--deflate=on")).isEqualTo(DemoLimits.defaults());
        DemoConfig.Builder builder = DemoConfig.builder();
        off.applyTo(builder, DemoConfig.defaults());
        DemoConfig config = builder.build();
        assertThat(config.webSocket().deflate()).isEqualTo(DeflateConfig.disabled());
        assertThat(config.webSocket().maxMessageBytes()).isEqualTo(20 << 20);
        String offer = AttackSockets.handshake("/ws", "Origin: http://127.0.0.1\r\n"
                + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n");
        try (DemoServer plain = DemoServer.start(new InetSocketAddress("127.0.0.1", 0), config);
             DemoServer deflating = DemoServer.start(new InetSocketAddress("127.0.0.1", 0))) {
            String refused = AttackSockets.answer(plain.port(), offer.replace("127.0.0.1\r\nUpgrade", "127.0.0.1:" + plain.port() + "\r\nUpgrade")
                    .replace("Origin: http://127.0.0.1", "Origin: http://127.0.0.1:" + plain.port()));
            String accepted = AttackSockets.answer(deflating.port(), offer.replace("127.0.0.1\r\nUpgrade", "127.0.0.1:" + deflating.port() + "\r\nUpgrade")
                    .replace("Origin: http://127.0.0.1", "Origin: http://127.0.0.1:" + deflating.port()));
            assertThat(refused).startsWith("HTTP/1.1 101").doesNotContainIgnoringCase("permessage-deflate");
            assertThat(accepted).startsWith("HTTP/1.1 101").containsIgnoringCase("Sec-WebSocket-Extensions: permessage-deflate");
        }
    }

    @Test
    void badValuesAreRefusedInOneSentence() {
        assertThat(CommandLine.parse("--max-message", "lots")).isEqualTo(
                new CommandLine.Invalid("--max-message takes a size in bytes, e.g. 65536, 64k or 20m, not 'lots'"));
        assertThat(CommandLine.parse("--queue-messages", "0")).isInstanceOf(CommandLine.Invalid.class);
        assertThat(CommandLine.parse("--queue-messages", "1k")).isInstanceOf(CommandLine.Invalid.class);
        assertThat(CommandLine.parse("--queue-bytes", "0")).isInstanceOf(CommandLine.Invalid.class);
        assertThat(CommandLine.parse("--memory-budget")).isEqualTo(new CommandLine.Invalid("--memory-budget needs a value"));
        assertThat(CommandLine.parse("--deflate", "no")).isEqualTo(new CommandLine.Invalid("--deflate takes on or off, not 'no'"));
        assertThat(CommandLine.USAGE).contains("--max-message", "--queue-messages", "--queue-bytes", "--memory-budget",
                "--deflate on|off");
    }
}
