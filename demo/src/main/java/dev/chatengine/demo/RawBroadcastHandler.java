package dev.chatengine.demo;

import dev.chatengine.engine.Client;
import dev.chatengine.engine.ClientHandler;
import dev.chatengine.engine.Hub;
import dev.chatengine.engine.Room;
import dev.chatengine.engine.transport.EncodedMessage;
import dev.chatengine.engine.transport.Inbound;

import java.util.Objects;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code /ws/raw}: the gorilla/websocket chat example's behaviour. There is no login and no JSON:
 * every client is in one room, and every message from any client goes verbatim, as its own message
 * of the same kind (text as text, binary as binary), to every client, the sender included, as the
 * gorilla example forwards what it reads.
 *
 * <p>Sender-side flow control: there is no rate limit here, so a client that floods as fast as TCP
 * allows would fill every reader's send queue and get the healthy ones dropped as slow consumers.
 * Instead, after forwarding a message, the sender's read pump waits while more than
 * half a send queue ({@code HubConfig.sendQueueCapacity() / 2}) of the room's broadcasts are still queued for some member (at most
 * {@link #MAX_PAUSE_NANOS} per message), so the flooder is read more slowly (TCP pushes back on it)
 * and readers that keep up never come near their queue bound. Every message read is still forwarded;
 * a member that stops reading altogether still fills its queue (the pause is bounded) and is dropped.
 *
 * <p>This is the endpoint the performance comparison drives, so a message costs one encoding (the
 * same frame bytes go to every recipient's queue) and one room lookup. Thread-safe: the hub calls
 * it from every client's read pump at once; it keeps no state of its own.
 */
final class RawBroadcastHandler implements ClientHandler {

    /** The one room every {@code /ws/raw} client is in. */
    static final String ROOM = "all";

    /**
     * Half of a member's send queue: while the room's lag stays under it, a reader that keeps up is
     * far from its bound; above what closed-loop benchmarks keep in flight (10 senders x 8).
     */
    private final int maxQueuedBroadcasts;
    /**
     * Longest pause per message: 20 ms, so a flooder still gets 50 messages a second through a lagging
     * room. At 5 ms (200 a second) a reader that stalled for 0.6 s (a GC pause, a busy machine) filled
     * the other half of its queue and was dropped (seen in {@code DemoChatAttackTest} at load 7); at 50
     * a second that takes 2.5 s, while a member that has stopped reading altogether is still dropped
     * within seconds and the closed-loop benchmarks (80 in flight) never pause.
     */
    static final long MAX_PAUSE_NANOS = 20_000_000;
    private static final long PAUSE_STEP_NANOS = 100_000;

    private final Hub hub;

    RawBroadcastHandler(Hub hub) {
        this.hub = Objects.requireNonNull(hub, "hub");
        this.maxQueuedBroadcasts = Math.max(1, hub.config().sendQueueCapacity() / 2);
    }

    @Override
    public void onOpen(Client client) {
        hub.room(ROOM).join(client);
    }

    @Override
    public void onText(Client client, Inbound.Text message) {
        forward(hub.encoder().text(message.utf8()));
    }

    @Override
    public void onBinary(Client client, Inbound.Binary message) {
        forward(hub.encoder().binary(message.data()));
    }

    private void forward(EncodedMessage message) {
        Room room = hub.room(ROOM);
        room.broadcast(message);
        long waited = 0;
        while (room.queuedBroadcasts() > maxQueuedBroadcasts && waited < MAX_PAUSE_NANOS) {
            LockSupport.parkNanos(PAUSE_STEP_NANOS);
            waited += PAUSE_STEP_NANOS;
        }
    }
}
