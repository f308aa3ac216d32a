package dev.chatengine.engine.chat;

import dev.chatengine.engine.Hub;
import dev.chatengine.engine.HubConfig;
import dev.chatengine.engine.json.JsonReader;
import dev.chatengine.engine.json.JsonValue.JsonObject;
import dev.chatengine.testing.IdentityEncoder;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Mutated requests from a logged-in client: whatever arrives, the service answers and the
 * connection stays open (no exception ever leaves the handler, which would close it). Seeded.
 */
class ChatFuzzTest {

    private static final int FRAMES = 2_000;
    private static final List<String> VALID = List.of(
            "{\"type\":\"say\",\"room\":\"lobby\",\"text\":\"hi\",\"ref\":\"1\"}",
            "{\"type\":\"join\",\"room\":\"java\",\"since\":17}",
            "{\"type\":\"leave\",\"room\":\"java\"}",
            "{\"type\":\"whisper\",\"to\":\"fuzz\",\"text\":\"psst\"}",
            "{\"type\":\"who\",\"room\":\"lobby\"}",
            "{\"type\":\"rooms\"}",
            "{\"type\":\"login\",\"name\":\"other\"}");
    private static final byte[] ALPHABET = "{}[],:\"\\0123456789-.eEtrufalsn aZ_\u0000".getBytes(StandardCharsets.ISO_8859_1);

    @Test
    void randomFramesNeverCloseTheConnection() {
        Hub hub = Hub.create(HubConfig.builder().sendQueueCapacity(FRAMES * 4).build(), IdentityEncoder.INSTANCE);
        try {
            ChatService chat = new ChatService(hub, ChatConfig.builder().burst(FRAMES * 2).build(), new MutableClock(0));
            TestPeer peer = new TestPeer(hub, chat).login("fuzz");
            Random random = new Random(4242);
            for (int i = 0; i < FRAMES; i++) {
                byte[] frame = VALID.get(random.nextInt(VALID.size())).getBytes(StandardCharsets.UTF_8);
                int edits = random.nextInt(4);
                for (int e = 0; e < edits; e++) {
                    frame[random.nextInt(frame.length)] = ALPHABET[random.nextInt(ALPHABET.length)];
                }
                if (random.nextInt(10) == 0) {
                    frame = java.util.Arrays.copyOf(frame, random.nextInt(frame.length));
                }
                // Frames reach the handler as valid UTF-8 (the transport checks it); keep them so.
                peer.send(new String(frame, StandardCharsets.UTF_8));
            }
            peer.send("{\"type\":\"rooms\",\"ref\":\"the-end\"}");
            int replies = 0;
            while (true) {
                JsonObject o = (JsonObject) JsonReader.defaults().parse(peer.next());
                replies++;
                if ("the-end".equals(TestPeer.str(o, "ref"))) {
                    break;
                }
            }
            assertThat(replies).isGreaterThan(FRAMES);
            assertThat(peer.connection.closedWith()).isNull();
            assertThat(hub.clients()).allMatch(c -> c.isOpen());
        } finally {
            hub.shutdown(Duration.ofSeconds(5));
        }
    }
}
