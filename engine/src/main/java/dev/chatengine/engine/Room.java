package dev.chatengine.engine;

import dev.chatengine.engine.transport.EncodedMessage;

import java.util.List;
import java.util.function.Function;

/**
 * A named set of clients that receive the same broadcasts. Thread-safe. Get one from
 * {@link Hub#room(String)}.
 *
 * <p>A room puts everything it delivers in one order: each member receives every broadcast of
 * the room exactly once (unless it is dropped), in the order the room accepted them. A broadcast
 * holds no lock while it reaches the members, so a large room never stalls other rooms, and a
 * broadcaster never waits for a slow recipient.
 */
public final class Room {

    private Room() {
        throw new UnsupportedOperationException("TODO engine");
    }

    public String name() {
        throw new UnsupportedOperationException("TODO engine");
    }

    /** The number of members now. */
    public int size() {
        throw new UnsupportedOperationException("TODO engine");
    }

    /** A snapshot of the members, in the order they joined. */
    public List<Client> members() {
        throw new UnsupportedOperationException("TODO engine");
    }

    public boolean contains(Client client) {
        throw new UnsupportedOperationException("TODO engine");
    }

    /** Adds {@code client}; false if it was a member already or is closed. */
    public boolean join(Client client) {
        return atomically(tx -> tx.join(client));
    }

    /** Removes {@code client}; false if it was not a member. */
    public boolean leave(Client client) {
        return atomically(tx -> tx.leave(client));
    }

    /** Sends {@code message} to every member. */
    public void broadcast(EncodedMessage message) {
        atomically(tx -> {
            tx.broadcast(message);
            return null;
        });
    }

    /**
     * Runs {@code body} in the room's order: no other membership change or broadcast of this room
     * happens between its steps, and what it sends is delivered after everything the room accepted
     * before and before everything it accepts later. Keep the body short and free of I/O: it runs
     * under the room's order lock. Deliveries happen after the body returns, outside the lock.
     * Use it, for example, to join a client and send it the room's history with nothing missed or
     * repeated in between.
     */
    public <T> T atomically(Function<Transaction, T> body) {
        throw new UnsupportedOperationException("TODO engine");
    }

    /** The steps a {@link #atomically} body can take; valid only inside that body. */
    public interface Transaction {
        /** Adds the client; false if it was a member already or is closed. */
        boolean join(Client client);

        /** Removes the client; false if it was not a member. */
        boolean leave(Client client);

        /** Sends to every member as of this step. */
        void broadcast(EncodedMessage message);

        /** Sends to every member as of this step except {@code except}. */
        void broadcastExcept(EncodedMessage message, Client except);

        /** Sends to one client, in the room's order. */
        void send(Client client, EncodedMessage message);

        /** The members as of this step. */
        List<Client> members();
    }
}
