package dev.chatengine.engine;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The hub's {@link HubListener}s, and the one place that calls them: each call is guarded, so that
 * a failing listener neither hurts the client nor silences the others. Thread-safe; copy-on-write,
 * because listeners are added at start and called on every connect and disconnect.
 */
final class HubListeners {

    private static final System.Logger LOG = System.getLogger(HubListeners.class.getName());

    private final List<HubListener> listeners = new CopyOnWriteArrayList<>();

    void add(HubListener listener) {
        listeners.add(listener);
    }

    boolean remove(HubListener listener) {
        return listeners.remove(listener);
    }

    void connected(Client client) {
        for (HubListener listener : listeners) {
            try {
                listener.onConnected(client);
            } catch (RuntimeException e) {
                failed("onConnected", client, e);
            }
        }
    }

    void dropped(Client client, DisconnectReason reason) {
        for (HubListener listener : listeners) {
            try {
                listener.onDropped(client, reason);
            } catch (RuntimeException e) {
                failed("onDropped", client, e);
            }
        }
    }

    void disconnected(Client client, DisconnectReason reason) {
        for (HubListener listener : listeners) {
            try {
                listener.onDisconnected(client, reason);
            } catch (RuntimeException e) {
                failed("onDisconnected", client, e);
            }
        }
    }

    private static void failed(String method, Client client, RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "HubListener." + method + " threw for client " + client.id() + "; ignored", e);
    }
}
