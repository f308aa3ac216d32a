package dev.chatengine.engine;

import dev.chatengine.engine.transport.EncodedMessage;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * A named set of clients that receive the same broadcasts. Thread-safe. Get one from
 * {@link Hub#room(String)}.
 *
 * <p>A room puts everything it delivers in one order: each member receives every broadcast of
 * the room exactly once (unless it is dropped), in the order the room accepted them. A broadcast
 * holds no lock while it reaches the members, so a large room never stalls other rooms, and a
 * broadcaster never waits for a slow recipient.
 *
 * <p>How: the members are an immutable snapshot ({@link Members}: an array and a count), replaced on
 * every join and leave. A join appends in the spare capacity of the current array (a slot no
 * existing snapshot reads, since each reads only up to its own count), so joining N clients costs
 * O(N) in all rather than the O(N²) of copying the array each time; a leave copies. Every step (a join, a leave, a broadcast, a send) is accepted under a short per-room
 * lock; a delivery step records the message with the member snapshot as of that step (a reference,
 * not a copy) in the room's pending list. After the lock is released, the pending deliveries are
 * fanned out in acceptance order by whichever thread finds no fan-out in progress; any other thread
 * just leaves its delivery in the list and returns, so nobody waits for a fan-out and no lock is
 * held across one. A fan-out only queues the message on each member ({@link Client#send}), which
 * never blocks.
 *
 * <p>Lifecycle: a room lives in its hub from the first {@link Hub#room(String)} until
 * {@link Hub#removeRoomIfEmpty(String)} retires it (rooms are kept for ever unless someone calls
 * that). A retired room is out of the hub and stays empty: {@link #join} and
 * {@link Transaction#join} throw {@link IllegalStateException} rather than put a client in a room
 * nobody can reach any more; a broadcast or send to it still works and reaches nobody, or the one
 * client. Whoever retires rooms should have its joins go through {@link Hub#join(String, Client)} or
 * {@link Hub#atomically(String, Function)}, which take the live room of that name, or check
 * {@link #isRetired()} inside {@link #atomically} before joining.
 */
public final class Room {

    private static final Members NO_MEMBERS = new Members(new Client[0], 0);

    /**
     * Most deliveries accepted and not yet fanned out. A broadcaster that finds more (others are
     * broadcasting faster than the one fanning out can offer) waits until the list is shorter,
     * instead of growing it: fan-out only offers to queues, so the wait is short, and it slows the
     * broadcaster's read pump, which is the back-pressure the list needs.
     */
    static final int MAX_PENDING_DELIVERIES = 4_096;

    private final String name;
    private final HubMetrics metrics;
    /** Orders the room's steps; held only while steps are accepted, never across a fan-out. */
    private final ReentrantLock orderLock = new ReentrantLock();
    /** Replaced, never changed, and only under {@link #orderLock}. */
    private volatile Members members = NO_MEMBERS;

    /** Deliveries accepted and not yet fanned out: a linked list, appended under the lock, consumed by the drainer. */
    private Delivery pendingTail;
    /** The last delivery taken (a spent stub); touched only by the thread that owns {@link #fanOutsInProgress}. */
    private Delivery pendingHead;
    /** Work-in-progress counter: the thread that raises it from 0 drains the pending list; others just leave. */
    private final AtomicInteger fanOutsInProgress = new AtomicInteger();
    /** Deliveries in the pending list: raised under the lock, lowered by the drainer; bounded by {@link #MAX_PENDING_DELIVERIES}. */
    private final AtomicInteger pendingDeliveries = new AtomicInteger();
    /** This room's broadcasts still waiting in some member's send queue, each counted once ({@link Outgoing}). */
    private final AtomicInteger queuedBroadcasts = new AtomicInteger();
    /**
     * Set once, under {@link #orderLock}, when the room is empty and leaves its hub; a retired room
     * accepts no join. Volatile only for {@link #isRetired()}; the broadcast path never reads it.
     */
    private volatile boolean retired;

    Room(String name, HubMetrics metrics) {
        this.name = Objects.requireNonNull(name, "name");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        Delivery stub = new Delivery(null, null, null, null);
        this.pendingHead = stub;
        this.pendingTail = stub;
    }

    /** The name given to {@link Hub#room(String)}. */
    public String name() {
        return name;
    }

    /**
     * This room's broadcasts not yet written to every member: those accepted and not yet fanned out
     * (another thread may be fanning out the room, so a broadcast can return before its message is
     * in any queue) and those some member's send queue still holds, each counted once however many
     * queues hold it: how far the room's slowest members lag behind its broadcasters. A sender
     * may read its client more slowly while this is high (the demo's {@code /ws/raw} does), so that
     * one flooding client cannot fill every reader's queue. A moment's view; cheap.
     */
    public int queuedBroadcasts() {
        return Math.max(0, pendingDeliveries.get()) + Math.max(0, queuedBroadcasts.get());
    }

    /** The number of members now. */
    public int size() {
        return members.count;
    }

    /** A snapshot of the members, in the order they joined (an unmodifiable list that does not change). */
    public List<Client> members() {
        return members.asList();
    }

    /** True if {@code client} is a member now. */
    public boolean contains(Client client) {
        return client.isMemberOf(this);
    }

    /**
     * True once the hub has forgotten this room ({@link Hub#removeRoomIfEmpty}); it then stays empty
     * for good. Inside {@link #atomically} the answer cannot change until the body returns.
     */
    public boolean isRetired() {
        return retired;
    }

    /**
     * Adds {@code client}; false if it was a member already or is closed.
     *
     * @throws IllegalStateException if the room is retired ({@link #isRetired()}); {@link Hub#join(String, Client)} retries on the live room instead
     */
    public boolean join(Client client) {
        Objects.requireNonNull(client, "client");
        orderLock.lock();
        try {
            return joinLocked(client);
        } finally {
            orderLock.unlock();
        }
    }

    /** Removes {@code client}; false if it was not a member. */
    public boolean leave(Client client) {
        Objects.requireNonNull(client, "client");
        orderLock.lock();
        try {
            return leaveLocked(client);
        } finally {
            orderLock.unlock();
        }
    }

    /** Sends {@code message} to every member; returns at once, members receive it in the room's order. */
    public void broadcast(EncodedMessage message) {
        Objects.requireNonNull(message, "message");
        orderLock.lock();
        try {
            append(new Delivery(message, members, null, null));
        } finally {
            orderLock.unlock();
        }
        fanOutPending();
    }

    /**
     * Runs {@code body} in the room's order: no other membership change or broadcast of this room
     * happens between its steps, and what it sends is delivered after everything the room accepted
     * before and before everything it accepts later. Keep the body short and free of I/O: it runs
     * under the room's order lock. Deliveries happen after the body returns, outside the lock.
     * Use it, for example, to join a client and send it the room's history with nothing missed or
     * repeated in between:
     *
     * <pre>{@code
     * room.atomically(tx -> {
     *     if (tx.join(client)) {
     *         tx.send(client, encoder.text(history.toJson()));   // history kept by the application, changed only in atomically
     *     }
     *     return null;
     * });
     * }</pre>
     *
     * <p>Not a database transaction: if {@code body} throws, the steps it took stand (and are
     * delivered) and the exception propagates. Do not call another room's {@code atomically} from a
     * body (the other room's fan-out would then run under this room's lock).
     *
     * <p>The body runs even if the room is retired (then {@link Transaction#join} throws); where rooms
     * are retired, prefer {@link Hub#atomically(String, Function)}, which never runs a body in a
     * retired room.
     *
     * @return what {@code body} returns
     */
    public <T> T atomically(Function<Transaction, T> body) {
        Objects.requireNonNull(body, "body");
        return atomically(body, false, null);
    }

    /**
     * {@link #atomically(Function)}, except that a retired room runs nothing and returns
     * {@code ifRetired} (for {@link Hub#atomically(String, Function)}, which then looks again).
     */
    <T> T atomicallyUnlessRetired(Function<Transaction, T> body, T ifRetired) {
        return atomically(body, true, ifRetired);
    }

    private <T> T atomically(Function<Transaction, T> body, boolean skipIfRetired, T ifRetired) {
        Steps steps = new Steps();
        orderLock.lock();
        try {
            if (skipIfRetired && retired) {
                return ifRetired;
            }
            return body.apply(steps);
        } finally {
            steps.valid = false;
            orderLock.unlock();
            fanOutPending();
        }
    }

    /**
     * Hub: retires the room if it has no members, calling {@code forget} (which takes it out of the
     * hub) while still holding the order lock, so that no join can slip in between. Deliveries
     * accepted before are still fanned out. False if it has members or was retired already.
     */
    boolean retireIfEmpty(Runnable forget) {
        orderLock.lock();
        try {
            if (retired || members.count != 0) {
                return false;
            }
            retired = true;
            forget.run();
            return true;
        } finally {
            orderLock.unlock();
        }
    }

    /**
     * The steps a {@link #atomically} body can take; valid only inside that body, on its thread
     * (an {@link IllegalStateException} otherwise).
     */
    public interface Transaction {
        /**
         * Adds the client; false if it was a member already or is closed.
         *
         * @throws IllegalStateException if the room is retired ({@link Room#isRetired()})
         */
        boolean join(Client client);

        /** Removes the client; false if it was not a member. */
        boolean leave(Client client);

        /** Sends to every member as of this step. */
        void broadcast(EncodedMessage message);

        /** Sends to every member as of this step except {@code except}. */
        void broadcastExcept(EncodedMessage message, Client except);

        /** Sends to one client, in the room's order (it need not be a member). */
        void send(Client client, EncodedMessage message);

        /** The members as of this step (an unmodifiable snapshot). */
        List<Client> members();
    }

    @Override
    public String toString() {
        return "Room[" + name + ", " + members.count + " members" + (retired ? ", retired" : "") + "]";
    }

    // ---- under orderLock ----

    private boolean joinLocked(Client client) {
        if (retired) {
            throw new IllegalStateException("room \"" + name + "\" is retired (the hub forgot it when it was empty);"
                    + " join through Hub.join or Hub.atomically, which take the live room of that name");
        }
        if (!client.isOpen() || client.isMemberOf(this) || !client.addRoom(this)) {
            return false;
        }
        members = members.plus(client);
        return true;
    }

    private boolean leaveLocked(Client client) {
        if (!client.removeRoom(this)) {
            return false;
        }
        members = members.minus(client);
        return true;
    }

    private void append(Delivery delivery) {
        pendingDeliveries.incrementAndGet();
        pendingTail.next = delivery;
        pendingTail = delivery;
    }

    /** Outgoing: a broadcast of this room entered the queues (+1) or left the last one (-1). */
    void broadcastQueued(int delta) {
        queuedBroadcasts.addAndGet(delta);
    }

    // ---- outside the lock ----

    /** Fans out pending deliveries unless another thread already is (it will take ours too). */
    private void fanOutPending() {
        if (fanOutsInProgress.getAndIncrement() != 0) {
            // Another thread fans out and will take ours too; wait only if the list is over its bound.
            while (pendingDeliveries.get() > MAX_PENDING_DELIVERIES && fanOutsInProgress.get() != 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(50_000);
            }
            return;
        }
        int missed = 1;
        do {
            Delivery delivery;
            while ((delivery = pendingHead.next) != null) {
                pendingHead = delivery;
                delivery.fanOut(metrics, this);
                pendingDeliveries.decrementAndGet();
            }
            missed = fanOutsInProgress.addAndGet(-missed);
        } while (missed != 0);
    }

    /**
     * The members as of one step: the first {@code count} slots of {@code array}. Those slots never
     * change once published; a later join may fill a slot past {@code count} (nobody holding this
     * snapshot reads it), and a leave always makes a new array.
     */
    private record Members(Client[] array, int count) {

        Members plus(Client client) {
            Client[] next = array;
            if (count == next.length) {
                next = Arrays.copyOf(array, Math.max(4, count * 2));
            }
            next[count] = client;
            return new Members(next, count + 1);
        }

        Members minus(Client client) {
            for (int i = 0; i < count; i++) {
                if (array[i] == client) {
                    Client[] next = new Client[Math.max(4, count - 1)];
                    System.arraycopy(array, 0, next, 0, i);
                    System.arraycopy(array, i + 1, next, i, count - i - 1);
                    return new Members(next, count - 1);
                }
            }
            return this;
        }

        List<Client> asList() {
            return Collections.unmodifiableList(Arrays.asList(array).subList(0, count));
        }
    }

    /** One accepted delivery: a message and its recipients as of the step that accepted it. */
    private static final class Delivery {
        private EncodedMessage message;
        private Members recipients;
        private Client except;
        private Client single;
        /** Written under the order lock, read by the drainer: volatile publishes the fields above. */
        volatile Delivery next;

        Delivery(EncodedMessage message, Members recipients, Client except, Client single) {
            this.message = message;
            this.recipients = recipients;
            this.except = except;
            this.single = single;
        }

        /**
         * One {@link Outgoing} for all recipients: its bytes count once in the hub's queued bytes, and
         * each recipient's queue holds (and later releases) the same object.
         */
        void fanOut(HubMetrics metrics, Room room) {
            EncodedMessage m = message;
            if (single != null) {
                single.send(m);
            } else if (recipients.count > 0) {
                Client skip = except;
                Client[] array = recipients.array;
                int n = recipients.count;
                Outgoing shared = new Outgoing(m, n, metrics, room);
                int skipped = 0;
                for (int i = 0; i < n; i++) {
                    Client client = array[i];
                    if (client != skip) {
                        client.offer(shared);
                    } else {
                        skipped++;
                    }
                }
                shared.release(skipped);
            }
            // This node stays as the list's head stub: let go of what it referenced.
            message = null;
            recipients = null;
            except = null;
            single = null;
        }
    }

    /** The steps of one {@link #atomically} call. */
    private final class Steps implements Transaction {
        boolean valid = true;

        private void check() {
            if (!valid || !orderLock.isHeldByCurrentThread()) {
                throw new IllegalStateException("a Room.Transaction is valid only inside its atomically body");
            }
        }

        @Override
        public boolean join(Client client) {
            Objects.requireNonNull(client, "client");
            check();
            return joinLocked(client);
        }

        @Override
        public boolean leave(Client client) {
            Objects.requireNonNull(client, "client");
            check();
            return leaveLocked(client);
        }

        @Override
        public void broadcast(EncodedMessage message) {
            Objects.requireNonNull(message, "message");
            check();
            append(new Delivery(message, members, null, null));
        }

        @Override
        public void broadcastExcept(EncodedMessage message, Client except) {
            Objects.requireNonNull(message, "message");
            check();
            append(new Delivery(message, members, except, null));
        }

        @Override
        public void send(Client client, EncodedMessage message) {
            Objects.requireNonNull(client, "client");
            Objects.requireNonNull(message, "message");
            check();
            append(new Delivery(message, null, null, client));
        }

        @Override
        public List<Client> members() {
            check();
            return members.asList();
        }
    }
}
