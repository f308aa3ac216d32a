package dev.chatengine.engine.chat;

import dev.chatengine.engine.Hub;
import dev.chatengine.engine.HubConfig;
import dev.chatengine.engine.chat.spi.BrokerListener;
import dev.chatengine.engine.chat.spi.ChatMessage;
import dev.chatengine.engine.chat.spi.Ephemeral;
import dev.chatengine.engine.chat.spi.LocalBroker;
import dev.chatengine.engine.chat.spi.RoomState;
import dev.chatengine.engine.chat.spi.SequencedMessage;
import dev.chatengine.engine.json.JsonValue.JsonArray;
import dev.chatengine.engine.json.JsonValue.JsonObject;
import dev.chatengine.testing.IdentityEncoder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.chatengine.engine.chat.TestPeer.str;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service against a broker that behaves as a cluster broker may: it keeps history of its own, delivers
 * while {@code openRoom} is still running, and resets a room. What the service asks of the broker is
 * checked too (no call under a room lock is visible here, but the order of presence calls is).
 */
class BrokerSeamTest {

    private Hub hub;

    @AfterEach
    void shutdown() {
        if (hub != null) {
            hub.shutdown(Duration.ofSeconds(5));
        }
    }

    /** Pretends another node said two messages in "java" before this node opened it, and a third meanwhile. */
    private static final class ClusterLike extends DelegatingBroker {
        volatile BrokerListener listener;
        final List<String> calls = new CopyOnWriteArrayList<>();

        ClusterLike() {
            super(new LocalBroker("e"));
        }

        @Override
        public void start(BrokerListener listener) {
            this.listener = listener;
            super.start(listener);
        }

        @Override
        public RoomState openRoom(String room) {
            RoomState local = super.openRoom(room);
            if (!room.equals("java")) {
                return local;
            }
            List<SequencedMessage> kept = List.of(message(7, "seven"), message(8, "eight"));
            listener.onMessage(message(8, "eight"), null); // the subscription saw 8 before the snapshot was read
            listener.onMessage(message(9, "nine"), null); // and 9 after it
            return new RoomState("remote", 8, kept, false);
        }

        @Override
        public void publishEphemeral(Ephemeral event) {
            calls.add(event.toString());
            super.publishEphemeral(event);
        }

        static SequencedMessage message(long seq, String text) {
            return new SequencedMessage("remote", seq, new ChatMessage("java", "zoe", text, seq));
        }
    }

    @Test
    void whatTheBrokerDeliversWhileItOpensARoomIsKeptAfterItsSnapshot() {
        hub = Hub.create(HubConfig.defaults(), IdentityEncoder.INSTANCE);
        ClusterLike broker = new ClusterLike();
        ChatService chat = ChatService.builder(hub).config(ChatConfig.builder().burst(1_000).build()).broker(broker).build();
        TestPeer alice = new TestPeer(hub, chat).login("alice");
        alice.send("{\"type\":\"join\",\"room\":\"java\",\"since\":7,\"epoch\":\"remote\"}");
        JsonObject joined = alice.next("joined");
        assertThat(str(joined, "epoch")).isEqualTo("remote");
        assertThat(joined.get("recovered")).hasToString("JsonBool[value=true]");
        assertThat(((JsonArray) joined.get("history")).elements()).extracting(v -> str((JsonObject) v, "text"))
                .containsExactly("eight", "nine");
        broker.listener.onRoomReset("java", new RoomState("fresh", 0, List.of(), true));
        alice.awaitGone(); // closed so that it rejoins and learns it missed something
        assertThat(broker.calls.subList(0, 2)).containsExactly("Presence[room=lobby, name=alice, joined=true]",
                "Presence[room=java, name=alice, joined=true]");
        assertThat(broker.calls.subList(2, broker.calls.size())).containsExactlyInAnyOrder(
                "Presence[room=java, name=alice, joined=false]", "Presence[room=lobby, name=alice, joined=false]");
    }
}
