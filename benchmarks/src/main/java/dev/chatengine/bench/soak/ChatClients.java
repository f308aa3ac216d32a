package dev.chatengine.bench.soak;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The healthy users of the chat endpoint ({@code /ws}, protocol v1): {@code users} clients log in as
 * {@code u0, u1, ...}, user i joins room {@code soak-(i mod rooms)}, and each says numbered texts
 * ({@code c<user>-<seq>}) in its room at {@code rate} a second. Every user checks that it receives each
 * message of each member of its room (itself included) exactly once and in order.
 *
 * <p>Thread contract: {@link #connect}, {@link #start}, {@link #stop}, {@link #awaitDelivered} and
 * {@link #close} are called by the run's thread. Each user has a reader thread and, once started, a
 * sender thread; the counters may be read from any thread.
 */
final class ChatClients {

    private static final int LOGINS_IN_FLIGHT = 32;
    private static final long CONNECT_TIMEOUT_MINUTES = 5;
    private static final int ERRORS_LOGGED = 5;

    private final int users;
    private final int rooms;
    private final double rate;
    private final PrintStream log;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicBoolean closing = new AtomicBoolean();
    private final AtomicLongArray sent;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong directs = new AtomicLong();
    private final List<User> connected = new ArrayList<>();
    private final List<Thread> senders = new ArrayList<>();

    ChatClients(int users, int rooms, double rate, PrintStream log) {
        this.users = users;
        this.rooms = Math.max(1, Math.min(rooms, users));
        this.rate = rate;
        this.log = log;
        this.sent = new AtomicLongArray(users);
    }

    /** One healthy user: its connection and, per sender, the next seq it expects. */
    private final class User {
        final int index;
        final String room;
        final Wire wire;
        final AtomicLongArray next = new AtomicLongArray(users);
        final AtomicLong outOfOrder = new AtomicLong();
        final AtomicBoolean dropped = new AtomicBoolean();
        final AtomicLong directs = new AtomicLong();

        User(int index, Wire wire) {
            this.index = index;
            this.room = roomOf(index);
            this.wire = wire;
        }

        void read() {
            try {
                String reply;
                while ((reply = wire.readText()) != null) {
                    received(reply);
                }
                if (!closing.get()) {
                    log.println("soak: chat user " + index + " closed by the server, code " + wire.closeCode());
                }
            } catch (IOException e) {
                if (!closing.get()) {
                    log.println("soak: chat user " + index + " failed: " + e);
                }
            }
            if (!closing.get()) {
                dropped.set(true);
            }
        }

        private void received(String reply) {
            switch (String.valueOf(ChatJson.field(reply, "type"))) {
                case "message" -> {
                    String text = ChatJson.field(reply, "text");
                    int dash = text == null ? -1 : text.indexOf('-');
                    if (dash > 1 && text.charAt(0) == 'c') {
                        int sender = Integer.parseInt(text.substring(1, dash));
                        long seq = Long.parseLong(text.substring(dash + 1));
                        delivered.incrementAndGet();
                        if (next.get(sender) == seq) {
                            next.incrementAndGet(sender);
                        } else {
                            outOfOrder.incrementAndGet();
                            next.set(sender, seq + 1);
                        }
                    }
                }
                case "direct" -> {
                    directs.incrementAndGet();
                    ChatClients.this.directs.incrementAndGet();
                }
                case "error" -> {
                    if (errors.incrementAndGet() <= ERRORS_LOGGED) {
                        log.println("soak: chat user " + index + " got " + reply);
                    }
                }
                default -> {
                    // welcome, joined, presence, room events, typing: not counted
                }
            }
        }
    }

    private String roomOf(int user) {
        return "soak-" + (user % rooms);
    }

    /** The name user {@code index} logs in with. */
    static String name(int index) {
        return "u" + index;
    }

    /**
     * Logs {@code wire} in as {@code name} and reads until it is in the lobby.
     *
     * @throws IOException when the server answers an error (its code in the message) or closes
     */
    static void login(Wire wire, String name) throws IOException {
        wire.sendText(ChatJson.login(name, "login"));
        awaitJoined(wire, "lobby");
    }

    /** Reads until the {@code joined} of {@code room}; an error reply or the end is an exception. */
    static void awaitJoined(Wire wire, String room) throws IOException {
        String reply;
        while ((reply = wire.readText()) != null) {
            String type = ChatJson.field(reply, "type");
            if ("error".equals(type)) {
                throw new IOException(ChatJson.field(reply, "code") + ": " + ChatJson.errorMessage(reply));
            }
            if ("joined".equals(type) && room.equals(ChatJson.field(reply, "room"))) {
                return;
            }
        }
        throw new IOException("closed by the server, code " + wire.closeCode());
    }

    /** Connects, logs in and seats every user (at most 32 at a time), then starts their readers. */
    void connect(int port) throws Exception {
        Semaphore inFlight = new Semaphore(LOGINS_IN_FLIGHT);
        List<Thread> logins = new ArrayList<>();
        User[] seated = new User[users];
        AtomicLong failed = new AtomicLong();
        for (int i = 0; i < users; i++) {
            int index = i;
            inFlight.acquire();
            logins.add(Thread.ofVirtual().name("soak-chat-login").start(() -> {
                try {
                    Wire wire = Wire.open(port, "/ws", "", 0);
                    try {
                        login(wire, name(index));
                        wire.sendText(ChatJson.join(roomOf(index), "seat"));
                        awaitJoined(wire, roomOf(index));
                        seated[index] = new User(index, wire);
                    } catch (IOException e) {
                        wire.abort();
                        throw e;
                    }
                } catch (IOException e) {
                    if (failed.incrementAndGet() <= ERRORS_LOGGED) {
                        log.println("soak: chat user " + index + " could not log in: " + e.getMessage());
                    }
                } finally {
                    inFlight.release();
                }
            }));
        }
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(CONNECT_TIMEOUT_MINUTES);
        for (Thread login : logins) {
            login.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
        for (User user : seated) {
            if (user != null) {
                connected.add(user);
                Thread.ofVirtual().name("soak-chat-reader").start(user::read);
            }
        }
        if (failed.get() > 0) {
            throw new IOException(failed.get() + " of " + users + " healthy chat users could not log in");
        }
    }

    /** Starts every user's sender, each at a random phase of its period. */
    void start() {
        long periodNanos = (long) (1e9 / rate);
        for (User user : connected) {
            senders.add(Thread.ofVirtual().name("soak-chat-sender").start(() -> send(user, periodNanos)));
        }
    }

    private void send(User user, long periodNanos) {
        long next = System.nanoTime() + ThreadLocalRandom.current().nextLong(periodNanos);
        while (running.get()) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                Pause.nanos(Math.min(wait, TimeUnit.MILLISECONDS.toNanos(200)));
                continue;
            }
            try {
                user.wire.sendText(ChatJson.say(user.room, "c" + user.index + "-" + sent.get(user.index)));
                sent.incrementAndGet(user.index);
            } catch (IOException e) {
                log.println("soak: chat sender " + user.index + " failed: " + e);
                return;
            }
            next += periodNanos;
        }
    }

    /** Stops the senders and waits for them. */
    void stop() throws InterruptedException {
        running.set(false);
        for (Thread sender : senders) {
            sender.join(TimeUnit.MINUTES.toMillis(2));
        }
    }

    /**
     * Waits up to {@code timeout} until every user has every message said in its room; returns the
     * deliveries missing (a message received out of order counts as one).
     */
    long awaitDelivered(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long missing = 0;
            for (User user : connected) {
                for (User sender : connected) {
                    if (sender.room.equals(user.room)) {
                        missing += Math.max(0, sent.get(sender.index) - user.next.get(sender.index));
                    }
                }
                missing += user.outOfOrder.get();
            }
            if (missing == 0 || System.nanoTime() > deadline) {
                return missing;
            }
            Thread.sleep(100);
        }
    }

    /** Deliveries that every sent message owes: its room's members, the sender included. */
    long expectedDeliveries() {
        long expected = 0;
        for (User sender : connected) {
            for (User user : connected) {
                if (sender.room.equals(user.room)) {
                    expected += sent.get(sender.index);
                }
            }
        }
        return expected;
    }

    int connected() {
        return connected.size();
    }

    long sent() {
        long sum = 0;
        for (int i = 0; i < sent.length(); i++) {
            sum += sent.get(i);
        }
        return sum;
    }

    long delivered() {
        return delivered.get();
    }

    /** Error replies to healthy users (a healthy user should get none). */
    long errors() {
        return errors.get();
    }

    /** {@code direct} messages received by healthy users (the whisper flood's target hears some). */
    long directs() {
        return directs.get();
    }

    /** Healthy users the server closed, or whose connection failed, before the end. */
    int dropped() {
        return (int) connected.stream().filter(u -> u.dropped.get()).count();
    }

    /** True while user {@code index} is connected (never dropped). */
    boolean isConnected(int index) {
        return connected.stream().anyMatch(u -> u.index == index && !u.dropped.get());
    }

    void close() {
        closing.set(true);
        connected.forEach(u -> u.wire.close());
    }
}
