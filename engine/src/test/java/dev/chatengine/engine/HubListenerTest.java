package dev.chatengine.engine;

import dev.chatengine.engine.testing.Await;
import dev.chatengine.engine.testing.RecordingHandler;
import dev.chatengine.engine.testing.TestHub;
import dev.chatengine.engine.testing.TestHub.Peer;
import dev.chatengine.testing.IdentityEncoder;
import dev.chatengine.testing.InMemoryConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link HubListener}: connected before onOpen, dropped at the drop, disconnected last; a failing listener harms nobody. */
class HubListenerTest {

    /** One event a listener heard, with the client's id. */
    record Event(String what, long client, DisconnectReason reason) {
    }

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final RecordingHandler handler = new RecordingHandler();
    private TestHub testHub;

    private final HubListener recorder = new HubListener() {
        @Override
        public void onConnected(Client client) {
            events.add(new Event("connected", client.id(), null));
        }

        @Override
        public void onDropped(Client client, DisconnectReason reason) {
            events.add(new Event("dropped", client.id(), reason));
        }

        @Override
        public void onDisconnected(Client client, DisconnectReason reason) {
            events.add(new Event("disconnected", client.id(), reason));
        }
    };

    @AfterEach
    void stop() {
        if (testHub != null) {
            testHub.close();
        }
    }

    private Event next() throws InterruptedException {
        Event event = events.poll(Await.PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(event).as("an event within %s", Await.PATIENCE).isNotNull();
        return event;
    }

    @Test
    void aClientThatConnectsAndLeavesIsHeardTwiceInOrder() throws InterruptedException {
        testHub = new TestHub(HubConfig.defaults(), handler);
        testHub.hub().addListener(new HubListener() {
            @Override
            public void onConnected(Client client) {
                throw new IllegalStateException("a broken listener");
            }
        });
        testHub.hub().addListener(recorder);

        Peer peer = testHub.connect();
        assertThat(next()).isEqualTo(new Event("connected", peer.client().id(), null));
        peer.connection().peerClose();
        assertThat(next()).isEqualTo(new Event("disconnected", peer.client().id(), DisconnectReason.PEER_CLOSED));
        assertThat(handler.closed(peer.client())).as("onClose ran before").isNotNull();
        assertThat(testHub.hub().clients()).doesNotContain(peer.client());
        assertThat(events).isEmpty();
    }

    @Test
    void aSlowClientIsHeardWhenDroppedThenWhenGone() throws InterruptedException {
        testHub = new TestHub(HubConfig.builder().sendQueueCapacity(2).build(), handler);
        testHub.hub().addListener(recorder);
        Peer slow = testHub.connect(new InMemoryConnection());
        assertThat(next().what()).isEqualTo("connected");
        slow.connection().blockWrites();
        // The write pump takes the first message and blocks in its write; two more fill the queue.
        slow.client().send(IdentityEncoder.INSTANCE.text("1"));
        slow.connection().await("write blocked", Await.PATIENCE, InMemoryConnection::isWriteBlocked);
        for (int i = 2; i <= 4; i++) {
            slow.client().send(IdentityEncoder.INSTANCE.text(String.valueOf(i)));
        }

        assertThat(next()).isEqualTo(new Event("dropped", slow.client().id(), DisconnectReason.SLOW_CONSUMER));
        assertThat(next()).isEqualTo(new Event("disconnected", slow.client().id(), DisconnectReason.SLOW_CONSUMER));
    }

    @Test
    void aRemovedListenerHearsNothingMore() throws InterruptedException {
        testHub = new TestHub(HubConfig.defaults(), handler);
        testHub.hub().addListener(recorder);
        assertThat(testHub.hub().removeListener(recorder)).isTrue();
        assertThat(testHub.hub().removeListener(recorder)).isFalse();
        Peer peer = testHub.connect();
        peer.connection().peerClose();
        Await.until("client gone", () -> testHub.hub().clients().isEmpty());
        assertThat(List.copyOf(events)).isEmpty();
    }
}
