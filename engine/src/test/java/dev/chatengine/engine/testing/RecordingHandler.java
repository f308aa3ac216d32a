package dev.chatengine.engine.testing;

import dev.chatengine.engine.Client;
import dev.chatengine.engine.ClientHandler;
import dev.chatengine.engine.DisconnectReason;
import dev.chatengine.engine.Room;
import dev.chatengine.engine.transport.Inbound;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * A {@link ClientHandler} that records what the hub told it and, optionally, acts on each text with
 * a given action. Thread-safe.
 */
public final class RecordingHandler implements ClientHandler {

    /** What onClose saw. */
    public record Closed(Client client, DisconnectReason reason, Set<Room> roomsDuringOnClose, String thread) {
    }

    private final BiConsumer<Client, String> onText;
    private final List<Client> opened = new CopyOnWriteArrayList<>();
    private final Map<Client, Closed> closed = new ConcurrentHashMap<>();
    private final List<String> texts = new CopyOnWriteArrayList<>();

    public RecordingHandler() {
        this((client, text) -> { });
    }

    public RecordingHandler(BiConsumer<Client, String> onText) {
        this.onText = onText;
    }

    @Override
    public void onOpen(Client client) {
        opened.add(client);
    }

    @Override
    public void onText(Client client, Inbound.Text message) {
        texts.add(message.text());
        onText.accept(client, message.text());
    }

    @Override
    public void onClose(Client client, DisconnectReason reason) {
        Closed previous = closed.putIfAbsent(client,
                new Closed(client, reason, client.rooms(), Thread.currentThread().getName()));
        if (previous != null) {
            throw new AssertionError("onClose called twice for " + client);
        }
    }

    public List<Client> opened() {
        return List.copyOf(opened);
    }

    public List<String> texts() {
        return List.copyOf(texts);
    }

    /** What onClose saw for {@code client}, or null if it has not been called. */
    public Closed closed(Client client) {
        return closed.get(client);
    }

    public int closedCount() {
        return closed.size();
    }
}
