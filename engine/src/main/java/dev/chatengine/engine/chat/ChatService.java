package dev.chatengine.engine.chat;

import dev.chatengine.engine.Client;
import dev.chatengine.engine.ClientHandler;
import dev.chatengine.engine.DisconnectReason;
import dev.chatengine.engine.Hub;
import dev.chatengine.engine.Room;
import dev.chatengine.engine.transport.EncodedMessage;
import dev.chatengine.engine.transport.Inbound;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Chat protocol v1 over any transport: give it to {@link Hub#serve} for each connection.
 *
 * <pre>{@code
 * Hub hub = Hub.create(HubConfig.defaults(), transportEncoder);
 * ChatService chat = new ChatService(hub, ChatConfig.defaults(), Clock.systemUTC());
 * // per connection, on its virtual thread:
 * hub.serve(connection, chat);
 * }</pre>
 *
 * <p>Thread contract: thread-safe; one instance serves every client of a hub. The engine calls it
 * for one client at a time on that client's read pump, and for different clients concurrently.
 * Shared state is the map of names online (a concurrent map), the rooms (a concurrent map of
 * {@link ChatRoom}s, each guarded by its engine room's order lock) and the counters.
 *
 * <p>The protocol (one JSON object per text frame; the full text is in the project's issue 4):
 * {@code login} first, then {@code join}, {@code leave}, {@code say}, {@code whisper}, {@code who},
 * {@code rooms}. Each request may carry a {@code ref} string, echoed on every reply and error it
 * causes. Choices where the specification is silent:
 * <ul>
 *   <li>Every frame, of any kind, takes a token from the connection's rate limiter; a frame beyond
 *       it gets {@code rate_limited} (with its ref if it has one) and nothing else happens.</li>
 *   <li>A binary frame gets {@code bad_json} and the connection stays open, as for any bad frame.</li>
 *   <li>A second {@code login} is {@code bad_request}; the first name stays.</li>
 *   <li>{@code who} works for any room, joined or not (rooms are public, as {@code rooms} shows their
 *       sizes, and a page shows who is in each); for a room that does not exist the list is empty.
 *       So {@code not_in_room} is for {@code say} and {@code leave}.</li>
 *   <li>{@code join} of a room the client is in already replies {@code joined} again (with history and
 *       {@code since} as usual) and tells nobody; {@code recovered} appears only when the join had a
 *       {@code since}. A {@code since} beyond the room's last seq gets the whole history and
 *       {@code recovered:false} (the client saw another life of the room).</li>
 *   <li>The sender's own copy of its {@code message} and {@code direct} carries the request's
 *       {@code ref} (so a page can match it to what it sent); everyone else's copy has none. Without a
 *       ref everyone gets the very same encoded message.</li>
 *   <li>{@code whisper} to oneself delivers one copy; {@code to} is matched like login names
 *       (case-insensitively) and the reply names the recipient as they logged in.</li>
 *   <li>Replies that belong to a room ({@code joined}, {@code left}, {@code message}) come in the
 *       room's order; other replies ({@code welcome}, {@code members}, {@code rooms}, {@code direct},
 *       errors) go straight to the client and may overtake room traffic that is still being fanned out.</li>
 * </ul>
 */
public final class ChatService implements ClientHandler {

    private static final System.Logger LOG = System.getLogger(ChatService.class.getName());

    private final Hub hub;
    private final ChatConfig config;
    private final InstantSource clock;
    private final RequestDecoder decoder;
    private final ChatRooms rooms;
    /** Logged-in clients by {@link Names#key}. */
    private final ConcurrentHashMap<String, Client> online = new ConcurrentHashMap<>();
    private final ChatMetrics metrics;

    /** A service with the default settings and the system clock. */
    public ChatService(Hub hub) {
        this(hub, ChatConfig.defaults(), InstantSource.system());
    }

    public ChatService(Hub hub, ChatConfig config) {
        this(hub, config, InstantSource.system());
    }

    /**
     * @param clock gives each message's {@code ts} and drives the rate limiters; tests pass a fixed or
     *              stepped one (a {@link java.time.Clock} is an {@link InstantSource})
     */
    public ChatService(Hub hub, ChatConfig config, InstantSource clock) {
        this.hub = Objects.requireNonNull(hub, "hub");
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.decoder = new RequestDecoder(config);
        this.rooms = new ChatRooms(hub, config);
        this.metrics = new ChatMetrics(online::size, rooms::count);
    }

    public ChatConfig config() {
        return config;
    }

    /** Live counters: users online, rooms, messages, errors by code. */
    public ChatMetrics metrics() {
        return metrics;
    }

    @Override
    public void onOpen(Client client) {
        client.attach(newSession());
    }

    @Override
    public void onText(Client client, Inbound.Text message) {
        Session session = session(client);
        byte[] utf8 = message.utf8();
        if (!session.rateLimiter().tryAcquire(clock.millis())) {
            sendError(client, ErrorCode.RATE_LIMITED, "too many requests: at most " + config.messagesPerSecond()
                    + " a second (bursts of " + config.burst() + ")", decoder.refOrNull(utf8));
            return;
        }
        String ref = null;
        try {
            RequestDecoder.Envelope envelope = decoder.envelope(utf8);
            ref = envelope.ref();
            if (!session.isLoggedIn() && envelope.type() != RequestType.LOGIN) {
                throw new ChatError(ErrorCode.NOT_LOGGED_IN, "log in first: {\"type\":\"login\",\"name\":\"...\"}", ref);
            }
            handle(client, session, decoder.decode(envelope), ref);
        } catch (ChatError e) {
            sendError(client, e.code(), e.getMessage(), e.ref() != null ? e.ref() : ref);
        }
    }

    /** A binary frame is not a request: {@code bad_json}, and the connection stays open. */
    @Override
    public void onBinary(Client client, Inbound.Binary message) {
        Session session = session(client);
        if (!session.rateLimiter().tryAcquire(clock.millis())) {
            sendError(client, ErrorCode.RATE_LIMITED, "too many requests", null);
            return;
        }
        sendError(client, ErrorCode.BAD_JSON, "binary frames are not part of the protocol: send JSON in text frames", null);
    }

    /** Tells each room the client was in that it left, then frees its name. */
    @Override
    public void onClose(Client client, DisconnectReason reason) {
        Session session = client.attachment();
        if (session == null || !session.isLoggedIn()) {
            return;
        }
        for (Room room : client.rooms()) {
            ChatRoom chatRoom = rooms.find(room.name());
            if (chatRoom != null && chatRoom.room() == room) {
                leave(client, session, chatRoom, null);
            }
        }
        online.remove(Names.key(session.name()), client);
        LOG.log(System.Logger.Level.DEBUG, () -> session.name() + " left the chat (" + reason + ")");
    }

    private void handle(Client client, Session session, Request request, String ref) {
        switch (request) {
            case Request.Login(String name) -> login(client, session, name, ref);
            case Request.Join(String room, OptionalLong since) -> join(client, session, room, since, ref);
            case Request.Leave(String room) -> {
                ChatRoom chatRoom = rooms.find(room);
                if (chatRoom == null || !leave(client, session, chatRoom, ref)) {
                    throw notInRoom(room, ref);
                }
            }
            case Request.Say(String room, String text) -> say(client, session, room, text, ref);
            case Request.Whisper(String to, String text) -> whisper(client, session, to, text, ref);
            case Request.Who(String room) -> {
                ChatRoom chatRoom = rooms.find(room);
                List<String> members = chatRoom == null ? List.of() : names(chatRoom.room().members());
                client.send(encode(Replies.members(room, members, ref)));
            }
            case Request.ListRooms() -> {
                List<Replies.RoomSummary> list = new ArrayList<>();
                for (ChatRoom r : rooms.snapshot()) {
                    list.add(new Replies.RoomSummary(r.name(), r.room().size()));
                }
                client.send(encode(Replies.rooms(list, ref)));
            }
        }
    }

    private void login(Client client, Session session, String name, String ref) {
        if (session.isLoggedIn()) {
            throw new ChatError(ErrorCode.BAD_REQUEST, "already logged in as \"" + session.name() + "\"", ref);
        }
        if (online.putIfAbsent(Names.key(name), client) != null) {
            throw new ChatError(ErrorCode.NAME_TAKEN, "the name \"" + name + "\" is taken; choose another", ref);
        }
        session.loggedIn(name);
        client.send(encode(Replies.welcome(name, ref)));
        LOG.log(System.Logger.Level.DEBUG, () -> name + " logged in from " + client.remoteAddress());
        join(client, session, config.defaultRoom(), OptionalLong.empty(), ref);
    }

    private enum JoinOutcome { DONE, RETRY, CLOSED }

    private void join(Client client, Session session, String room, OptionalLong since, String ref) {
        EncodedMessage presence = encode(Replies.presence(room, session.name(), "join"));
        JoinOutcome outcome;
        do {
            ChatRoom chatRoom = rooms.getOrCreate(room, ref);
            outcome = chatRoom.room().atomically(tx -> {
                if (chatRoom.isRemoved()) {
                    return JoinOutcome.RETRY; // emptied and forgotten since we looked it up
                }
                boolean added = tx.join(client);
                if (!added && !chatRoom.room().contains(client)) {
                    rooms.removeIfAbandoned(chatRoom); // the client is closing; don't leave an empty room behind
                    return JoinOutcome.CLOSED;
                }
                ChatRoom.Recovery recovery = chatRoom.historySince(since);
                if (added) {
                    tx.broadcastExcept(presence, client);
                }
                tx.send(client, encode(Replies.joined(room, names(tx.members()), recovery.history(),
                        recovery.recovered(), ref)));
                return JoinOutcome.DONE;
            });
        } while (outcome == JoinOutcome.RETRY);
    }

    /** Leaves {@code chatRoom}, telling the others; replies {@code left} unless the client is closing. False if it was not in. */
    private boolean leave(Client client, Session session, ChatRoom chatRoom, String ref) {
        EncodedMessage presence = encode(Replies.presence(chatRoom.name(), session.name(), "leave"));
        boolean reply = client.isOpen();
        return chatRoom.room().atomically(tx -> {
            if (!tx.leave(client)) {
                return false;
            }
            tx.broadcast(presence); // the leaver is out already, so this is "everyone but the leaver"
            if (reply) {
                tx.send(client, encode(Replies.left(chatRoom.name(), ref)));
            }
            rooms.removeIfAbandoned(chatRoom);
            return true;
        });
    }

    private void say(Client client, Session session, String room, String text, String ref) {
        ChatRoom chatRoom = rooms.find(room);
        String from = session.name();
        boolean said = chatRoom != null && chatRoom.room().atomically(tx -> {
            if (chatRoom.isRemoved() || !chatRoom.room().contains(client)) {
                return false;
            }
            // Seq, ts, history and the broadcast in one step of the room's order: seq order is delivery order.
            long seq = chatRoom.nextSeq();
            long ts = clock.millis();
            byte[] json = Replies.message(room, from, text, seq, ts, null);
            chatRoom.remember(seq, json);
            EncodedMessage message = encode(json);
            if (ref == null) {
                tx.broadcast(message);
            } else {
                tx.broadcastExcept(message, client);
                tx.send(client, encode(Replies.message(room, from, text, seq, ts, ref)));
            }
            return true;
        });
        if (!said) {
            throw notInRoom(room, ref);
        }
        metrics.messageAccepted();
    }

    private void whisper(Client client, Session session, String to, String text, String ref) {
        Client target = to.length() > config.maxNameChars() * 4 ? null : online.get(Names.key(to));
        Session targetSession = target == null ? null : target.attachment();
        if (targetSession == null || !targetSession.isLoggedIn()) {
            throw new ChatError(ErrorCode.NO_SUCH_USER, "nobody named \"" + abbreviate(to) + "\" is online", ref);
        }
        long ts = clock.millis();
        String from = session.name();
        String toName = targetSession.name();
        EncodedMessage plain = encode(Replies.direct(from, toName, text, ts, null));
        EncodedMessage forSender = ref == null ? plain : encode(Replies.direct(from, toName, text, ts, ref));
        if (target != client) {
            target.send(plain);
        }
        client.send(forSender);
        metrics.whisperDelivered();
    }

    private void sendError(Client client, ErrorCode code, String message, String ref) {
        metrics.errorSent(code);
        client.send(encode(Replies.error(code, message, ref)));
    }

    private static ChatError notInRoom(String room, String ref) {
        return new ChatError(ErrorCode.NOT_IN_ROOM, "you are not in room \"" + room + "\"", ref);
    }

    private EncodedMessage encode(byte[] json) {
        return hub.encoder().text(json);
    }

    private Session session(Client client) {
        Session session = client.attachment();
        if (session == null) { // onOpen always runs first; this only guards against a handler used without it
            session = newSession();
            client.attach(session);
        }
        return session;
    }

    private Session newSession() {
        return new Session(new RateLimiter(config.messagesPerSecond(), config.burst(), clock.millis()));
    }

    private static List<String> names(List<Client> members) {
        List<String> names = new ArrayList<>(members.size());
        for (Client c : members) {
            if (c.attachment() instanceof Session s && s.isLoggedIn()) {
                names.add(s.name());
            }
        }
        return names;
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
