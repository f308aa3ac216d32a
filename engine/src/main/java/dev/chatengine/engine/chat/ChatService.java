package dev.chatengine.engine.chat;

import dev.chatengine.engine.ApplicationClose;
import dev.chatengine.engine.Client;
import dev.chatengine.engine.ClientHandler;
import dev.chatengine.engine.DisconnectReason;
import dev.chatengine.engine.Hub;
import dev.chatengine.engine.chat.spi.BrokerUnavailableException;
import dev.chatengine.engine.chat.spi.ChatBroker;
import dev.chatengine.engine.chat.spi.ChatMessage;
import dev.chatengine.engine.chat.spi.Direct;
import dev.chatengine.engine.chat.spi.Ephemeral;
import dev.chatengine.engine.chat.spi.LocalBroker;
import dev.chatengine.engine.chat.spi.Member;
import dev.chatengine.engine.chat.spi.MemberList;
import dev.chatengine.engine.chat.spi.Published;
import dev.chatengine.engine.chat.spi.SequencedMessage;
import dev.chatengine.engine.transport.EncodedMessage;
import dev.chatengine.engine.transport.Inbound;

import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Chat protocol v1 over any transport: give it to {@link Hub#serve} for each connection. The protocol's
 * full text (every type, field, error code, order guarantee and limit, with an example of every message,
 * each checked by the tests) is {@code PROTOCOL.md} at the root of the repository.
 *
 * <pre>{@code
 * Hub hub = Hub.create(HubConfig.defaults(), transportEncoder);
 * ChatService chat = ChatService.builder(hub)
 *         .config(ChatConfig.defaults())
 *         .hooks(ChatHooks.builder().listener(store::save).build())
 *         .build();
 * // per connection, on its virtual thread:
 * hub.serve(connection, chat);
 * // from server code, any thread:
 * chat.announce("lobby", "system", "maintenance at 22:00");
 * chat.kick("mallory", "spamming");
 * }</pre>
 *
 * <p>Thread contract: thread-safe; one instance serves every client of a hub. The engine calls it
 * for one client at a time on that client's read pump, and for different clients concurrently; the
 * server-side API ({@link #announce}, {@link #kick}, {@link #online}, {@link #members}) may be called
 * from any thread. It keeps its per-connection state in a map of its own, so
 * {@link Client#attach}/{@link Client#attachment} stay free for the application. What several nodes
 * must agree on (seqs and epochs, presence, names, whisper routes, the room list) goes through a
 * {@link ChatBroker}: {@link LocalBroker} by default, which is the single-node chat.
 *
 * <p>Choices where the specification is silent (PROTOCOL.md lists them all):
 * <ul>
 *   <li>Every frame but {@code typing} takes a token from the connection's rate limiter; a frame beyond
 *       it gets {@code rate_limited} with {@code retryAfterMs} (and its ref if it has one) and nothing
 *       else happens.</li>
 *   <li>A binary frame gets {@code bad_json} and the connection stays open, as for any bad frame.</li>
 *   <li>A second {@code login} is {@code bad_request}; the first name stays.</li>
 *   <li>{@code who} works for any room, joined or not; for a room that does not exist the list is empty.</li>
 *   <li>The sender's own copy of its {@code message} and {@code direct} carries the request's
 *       {@code ref} and {@code id}; everyone else's copy has neither.</li>
 *   <li>{@code whisper} to oneself delivers one copy; {@code to} is matched like login names.</li>
 *   <li>Replies that belong to a room ({@code joined}, {@code left}, {@code message}) come in the
 *       room's order; other replies go straight to the client and may overtake room traffic that is
 *       still being fanned out.</li>
 * </ul>
 */
public final class ChatService implements ClientHandler {

    private static final System.Logger LOG = System.getLogger(ChatService.class.getName());

    /** Close code and reason of a connection whose name another login took over. */
    public static final int CLOSE_REPLACED = 4000;
    /** Close code of a connection closed by {@link #kick}. */
    public static final int CLOSE_KICKED = 4001;
    /**
     * Close code (1012, service restart) of the members of a room whose history the broker lost: they reconnect
     * and rejoin with {@code since}, and learn of the gap from {@code recovered:false} and the new epoch.
     */
    private static final int CLOSE_ROOM_RESET = ApplicationClose.SERVICE_RESTART;
    /** How often, by the service's clock, expired rooms, tokens and ids are looked for. */
    private static final long SWEEP_INTERVAL_MILLIS = 1_000;

    private final Hub hub;
    private final ChatConfig config;
    private final ChatHooks hooks;
    private final InstantSource clock;
    private final ChatBroker broker;
    private final RequestDecoder decoder;
    private final ChatRooms rooms;
    private final ChatMetrics metrics;
    /** Every connection's state, by client (identity). */
    private final ConcurrentHashMap<Client, Session> sessions = new ConcurrentHashMap<>();
    /** This node's logged-in users, by name key. */
    private final ConcurrentHashMap<String, Session> online = new ConcurrentHashMap<>();
    /** Messages published from here whose sender waits for its own copy (with ref or id), by publication id. */
    private final ConcurrentHashMap<String, SenderCopy> pending = new ConcurrentHashMap<>();
    /** Whisper buckets per recipient key (every sender on this node together). */
    private final ConcurrentHashMap<String, RateLimiter> inboxes = new ConcurrentHashMap<>();
    private final AtomicLong publications = new AtomicLong();
    private final ResumeTokens resumeTokens;
    private final RecentSends recentSends;
    private volatile long nextSweepMillis;

    private record SenderCopy(Client client, String ref, String id, long sinceMillis) {
    }

    /** A sender copy whose echo never came (the broker lost it) is forgotten after this long. */
    private static final long PENDING_COPY_MILLIS = 60_000;

    /** A service with the default settings and the system clock. */
    public ChatService(Hub hub) {
        this(hub, ChatConfig.defaults(), InstantSource.system());
    }

    public ChatService(Hub hub, ChatConfig config) {
        this(hub, config, InstantSource.system());
    }

    /**
     * A service with the default hooks and the in-process broker.
     *
     * @param clock gives each message's {@code ts} and drives the rate limiters and expiry; tests pass a
     *              fixed or stepped one (a {@link java.time.Clock} is an {@link InstantSource})
     */
    public ChatService(Hub hub, ChatConfig config, InstantSource clock) {
        this(builder(hub).config(config).clock(clock));
    }

    private ChatService(Builder b) {
        this.hub = Objects.requireNonNull(b.hub, "hub");
        this.config = Objects.requireNonNull(b.config, "config");
        this.hooks = Objects.requireNonNull(b.hooks, "hooks");
        this.clock = Objects.requireNonNull(b.clock, "clock");
        this.broker = b.broker != null ? b.broker : new LocalBroker();
        this.decoder = new RequestDecoder(config);
        this.rooms = new ChatRooms(hub, config, broker);
        this.metrics = new ChatMetrics(online::size, rooms::count);
        this.resumeTokens = new ResumeTokens(config.resumeWindow().toMillis());
        this.recentSends = new RecentSends(config.idempotencyWindow().toMillis());
        this.broker.start(new Deliveries());
    }

    /** A builder for a service on {@code hub}: default settings, hooks, system clock and the in-process broker. */
    public static Builder builder(Hub hub) {
        return new Builder(hub);
    }

    /** Builds a {@link ChatService}; every setter is optional. Not thread-safe. */
    public static final class Builder {
        private final Hub hub;
        private ChatConfig config = ChatConfig.defaults();
        private ChatHooks hooks = ChatHooks.defaults();
        private InstantSource clock = InstantSource.system();
        private ChatBroker broker;

        private Builder(Hub hub) {
            this.hub = Objects.requireNonNull(hub, "hub");
        }

        public Builder config(ChatConfig config) {
            this.config = config;
            return this;
        }

        public Builder hooks(ChatHooks hooks) {
            this.hooks = hooks;
            return this;
        }

        public Builder clock(InstantSource clock) {
            this.clock = clock;
            return this;
        }

        /** The broker to share rooms through (for example a Redis one); the service starts it. Default: {@link LocalBroker}. */
        public Builder broker(ChatBroker broker) {
            this.broker = broker;
            return this;
        }

        public ChatService build() {
            return new ChatService(this);
        }
    }

    public ChatConfig config() {
        return config;
    }

    /** Live counters: users online here, rooms here, messages, errors by code. */
    public ChatMetrics metrics() {
        return metrics;
    }

    // ---- the server-side API ----

    /**
     * Posts {@code text} into {@code room} as {@code from}, like a {@code say} (a {@code message} with the
     * next seq, kept in the history, delivered in the room's order), without a connection: for
     * announcements and bots that should not appear in member lists. Makes the room if it does not exist
     * (subject to {@link ChatConfig#maxRooms()} only). Not given to the {@link MessageFilter}; given to
     * the {@link MessageListener}.
     *
     * @param from any valid user name (it need not be online), for example {@code "system"}
     * @return the message with its epoch and seq
     * @throws IllegalArgumentException  for an invalid room, name or text
     * @throws IllegalStateException     when there are too many rooms
     * @throws BrokerUnavailableException when the cluster broker is unreachable
     */
    public SequencedMessage announce(String room, String from, String text) {
        if (room == null || !Names.isValidRoom(room)) {
            throw new IllegalArgumentException("not a valid room name: " + room);
        }
        String name = from == null ? null : Names.validUserName(from, config.maxNameChars());
        if (name == null) {
            throw new IllegalArgumentException("not a valid user name: " + from);
        }
        if (text == null || text.isEmpty() || Names.codePointsUpTo(text, config.maxTextChars()) > config.maxTextChars()) {
            throw new IllegalArgumentException("a text is 1 to " + config.maxTextChars() + " code points");
        }
        long now = clock.millis();
        ChatRooms.Opened opened;
        try {
            opened = rooms.getOrCreate(room, null, now, null);
        } catch (ChatError e) {
            throw new IllegalStateException(e.getMessage());
        }
        seedIfNew(opened);
        ChatMessage message = new ChatMessage(room, name, text, now);
        Published p = broker.publish(message, null);
        SequencedMessage sequenced = new SequencedMessage(p.epoch(), p.seq(), message);
        metrics.messageAccepted();
        tellListener(sequenced);
        return sequenced;
    }

    /**
     * Closes the connection of the user named {@code name} (anywhere in the cluster) with close code
     * {@value #CLOSE_KICKED} and {@code reason}; it leaves its rooms (the others see it leave) and its name is
     * free at once. No ban: a kicked user may log in again (refuse it with the identity or room policy).
     *
     * @param reason at most 123 UTF-8 bytes; null means {@code "kicked"}
     * @return false if nobody of that name is online
     */
    public boolean kick(String name, String reason) {
        String why = reason == null ? "kicked" : reason;
        if (why.getBytes(StandardCharsets.UTF_8).length > 123) {
            throw new IllegalArgumentException("a close reason is at most 123 UTF-8 bytes");
        }
        String key = name == null || name.length() > config.maxNameChars() * 4 ? null : Names.key(name);
        return key != null && broker.kick(key, CLOSE_KICKED, why);
    }

    /** The names of the users online (anywhere in the cluster), as they logged in. */
    public List<String> online() {
        return broker.onlineNames(Integer.MAX_VALUE);
    }

    /** The names of {@code room}'s members (anywhere in the cluster) in the order they joined; empty for no such room. */
    public List<String> members(String room) {
        return broker.members(room, Integer.MAX_VALUE).names();
    }

    // ---- ClientHandler ----

    @Override
    public void onOpen(Client client) {
        session(client);
    }

    @Override
    public void onText(Client client, Inbound.Text message) {
        Session session = session(client);
        if (session.hasDeparted()) {
            return; // replaced or kicked: what it still sends is not the user's any more
        }
        long now = clock.millis();
        maybeSweep(now);
        RequestDecoder.Envelope envelope = null;
        ChatError unreadable = null;
        try {
            envelope = decoder.envelope(message.utf8());
        } catch (ChatError e) {
            unreadable = e;
        }
        String ref = envelope != null ? envelope.ref() : unreadable.ref();
        boolean typing = envelope != null && envelope.type() == RequestType.TYPING;
        if (!typing && !session.rateLimiter().tryAcquire(now)) {
            sendError(client, new ChatError(ErrorCode.RATE_LIMITED, ErrorCode.RATE_LIMITED.wire(),
                    "too many requests: at most " + config.messagesPerSecond() + " a second (bursts of " + config.burst() + ")",
                    ref, session.rateLimiter().millisUntilToken()));
            return;
        }
        try {
            if (unreadable != null) {
                throw unreadable;
            }
            if (!session.isLoggedIn() && envelope.type() != RequestType.LOGIN) {
                throw new ChatError(ErrorCode.NOT_LOGGED_IN, "log in first: {\"type\":\"login\",\"name\":\"...\"}", ref);
            }
            handle(session, decoder.decode(envelope), ref, now);
        } catch (ChatError e) {
            sendError(client, e.ref() != null || ref == null ? e : withRef(e, ref));
        } catch (BrokerUnavailableException e) {
            LOG.log(System.Logger.Level.WARNING, () -> "chat broker unavailable: " + e.getMessage());
            sendError(client, new ChatError(ErrorCode.UNAVAILABLE, "the chat is unavailable for a moment (nothing was done); "
                    + "try again", ref));
        }
    }

    /** A binary frame is not a request: {@code bad_json}, and the connection stays open. */
    @Override
    public void onBinary(Client client, Inbound.Binary message) {
        Session session = session(client);
        if (!session.rateLimiter().tryAcquire(clock.millis())) {
            sendError(client, new ChatError(ErrorCode.RATE_LIMITED, ErrorCode.RATE_LIMITED.wire(), "too many requests", null,
                    session.rateLimiter().millisUntilToken()));
            return;
        }
        sendError(client, new ChatError(ErrorCode.BAD_JSON, "binary frames are not part of the protocol: send JSON in text frames"));
    }

    /** Tells each room the client was in that it left, then frees its name (unless that happened when it began closing). */
    @Override
    public void onClose(Client client, DisconnectReason reason) {
        Session session = sessions.remove(client);
        if (session == null) {
            return;
        }
        depart(session);
        for (ChatRoom chatRoom : session.rooms()) { // joined while a departure on another thread ran
            leave(session, chatRoom, null);
        }
        if (session.isLoggedIn()) {
            LOG.log(System.Logger.Level.DEBUG, () -> session.name() + " left the chat (" + reason + ")");
        }
    }

    private void handle(Session session, Request request, String ref, long now) {
        Client client = session.client();
        switch (request) {
            case Request.Login login -> login(session, login, ref, now);
            case Request.Join(String room, OptionalLong since, String epoch) -> join(session, room, since, epoch, ref, now);
            case Request.Leave(String room) -> {
                ChatRoom chatRoom = rooms.find(room);
                if (chatRoom == null || !leave(session, chatRoom, ref)) {
                    throw notInRoom(room, ref);
                }
            }
            case Request.Say say -> say(session, say, ref, now);
            case Request.Whisper whisper -> whisper(session, whisper, ref, now);
            case Request.Who(String room) -> {
                MemberList members = broker.members(room, config.maxListedMembers());
                client.send(encode(Replies.members(room, members.names(), members.total(), ref)));
            }
            case Request.ListRooms(int limit, String cursor) -> client.send(encode(Replies.rooms(broker.rooms(limit, cursor), ref)));
            case Request.Typing(String room) -> typing(session, room, ref, now);
            case Request.Online(List<String> names) -> {
                List<String> keys = new ArrayList<>(names.size());
                for (String n : names) {
                    if (n.length() <= config.maxNameChars() * 4) {
                        keys.add(Names.key(n));
                    }
                }
                client.send(encode(Replies.online(broker.online(keys), ref)));
            }
        }
    }

    // ---- login, identity and takeover ----

    private void login(Session session, Request.Login login, String ref, long now) {
        Client client = session.client();
        if (session.isLoggedIn()) {
            throw new ChatError(ErrorCode.BAD_REQUEST, "already logged in as \"" + session.name() + "\"", ref);
        }
        ResumeTokens.Entry resumed = login.resume() == null ? null : resumeTokens.take(login.resume(), now);
        String name = login.name();
        boolean takeOver = false;
        switch (hooks.identity()) {
            case IdentityPolicy.Anonymous a -> {
                if (name == null && resumed != null) {
                    name = resumed.name();
                }
                if (name == null) {
                    throw new ChatError(ErrorCode.BAD_REQUEST, "field \"name\" is missing", ref);
                }
            }
            case IdentityPolicy.FromPrincipal(boolean newestTakesOver) -> {
                Optional<Principal> principal = client.principal();
                if (principal.isEmpty()) {
                    throw new ChatError(ErrorCode.FORBIDDEN, "this connection is not authenticated", ref);
                }
                String own = Names.validUserName(principal.get().getName(), config.maxNameChars());
                if (own == null) {
                    throw new ChatError(ErrorCode.FORBIDDEN, "the authenticated identity is not a valid chat name", ref);
                }
                if (name != null && !Names.key(name).equals(Names.key(own))) {
                    throw new ChatError(ErrorCode.FORBIDDEN, "you may log in only as \"" + own + "\"", ref);
                }
                name = own;
                takeOver = newestTakesOver;
            }
        }
        String key = Names.key(name);
        if (resumed != null && resumed.key().equals(key)) {
            takeOver = true;
        }
        Session holder = online.get(key);
        if (holder != null && holder != session && (takeOver || !holder.client().isOpen())) {
            // The old connection may not have noticed it is dead; its name and rooms are freed now, before we join,
            // and before it closes, so that it is still in its rooms to be seen leaving them.
            depart(holder);
            holder.client().close(CLOSE_REPLACED, "replaced");
        } else if (holder == null && takeOver && broker.lookupName(key).isPresent()) {
            broker.kick(key, CLOSE_REPLACED, "replaced"); // held on another node
        }
        Member member = new Member(key, name, client.id());
        if (!broker.claimName(member)) {
            throw new ChatError(ErrorCode.NAME_TAKEN, "the name \"" + name + "\" is taken; choose another", ref);
        }
        session.loggedIn(member);
        online.put(key, session);
        if (session.hasDeparted() || !client.isOpen()) { // closed meanwhile: onClose may have run before the name was ours
            departName(session);
            return;
        }
        String finalName = name;
        client.send(encode(Replies.welcome(name, resumeTokens.issue(session), ref)));
        LOG.log(System.Logger.Level.DEBUG, () -> finalName + " logged in from " + client.remoteAddress());
        join(session, config.defaultRoom(), OptionalLong.empty(), null, ref, now);
    }

    /** Takes the client out of its rooms (the others see it leave) and frees its name; once, from any thread. */
    private void depart(Session session) {
        if (!session.depart()) {
            return;
        }
        if (!session.isLoggedIn()) {
            return;
        }
        for (ChatRoom chatRoom : session.rooms()) { // its own list: the hub may be emptying the client's already
            leave(session, chatRoom, null);
        }
        departName(session);
    }

    private void departName(Session session) {
        online.remove(session.key(), session);
        broker.releaseName(session.member());
        resumeTokens.ended(session, clock.millis());
    }

    // ---- rooms ----

    private enum JoinOutcome { JOINED, ALREADY_IN, RETRY, CLOSED, CLOSED_AND_REMOVED }

    private void join(Session session, String room, OptionalLong since, String epoch, String ref, long now) {
        Client client = session.client();
        ChatRoom existing = rooms.find(room);
        boolean alreadyIn = existing != null && existing.room().contains(client);
        if (!alreadyIn) {
            if (client.rooms().size() >= config.maxRoomsPerClient()) {
                throw new ChatError(ErrorCode.BAD_ROOM, "you are in " + config.maxRoomsPerClient()
                        + " rooms, the most one may be in; leave one first", ref);
            }
            if (!hooks.roomPolicy().mayJoin(client, session.name(), room, existing == null)) {
                throw new ChatError(ErrorCode.FORBIDDEN, "you may not join room \"" + room + "\"", ref);
            }
        }
        Member member = session.member();
        boolean announced = false;
        JoinOutcome outcome;
        ChatRoom chatRoom;
        do {
            ChatRooms.Opened opened = rooms.getOrCreate(room, session.host(), now, ref);
            seedIfNew(opened);
            chatRoom = opened.room();
            // Presence first: once the joiner has its joined reply, every other member has been told.
            if (broker.addMember(room, member) && broker.memberCount(room) <= config.presenceMaxMembers()) {
                broker.publishEphemeral(new Ephemeral.Presence(room, session.name(), true));
                announced = true;
            }
            MemberList members = broker.members(room, config.maxListedMembers());
            ChatRoom r = chatRoom;
            outcome = r.room().atomically(tx -> {
                if (r.isRemoved()) {
                    return JoinOutcome.RETRY; // emptied and forgotten since we looked it up
                }
                boolean added = !session.hasDeparted() && tx.join(client); // kicked or replaced meanwhile: no join
                if (!added && !r.room().contains(client)) {
                    // the client is closing; don't leave an empty room behind
                    return rooms.removeIfAbandoned(r, now) ? JoinOutcome.CLOSED_AND_REMOVED : JoinOutcome.CLOSED;
                }
                // A repeated join answers only what it asks for: the messages after its since, or none.
                ChatRoom.Recovery recovery = added || since.isPresent()
                        ? r.historySince(epoch, since) : new ChatRoom.Recovery(List.of(), null);
                tx.send(client, encode(Replies.joined(room, r.epoch(), members.names(), members.total(), recovery.history(),
                        recovery.recovered(), ref)));
                if (added) {
                    session.joined(r);
                }
                return added ? JoinOutcome.JOINED : JoinOutcome.ALREADY_IN;
            });
        } while (outcome == JoinOutcome.RETRY);
        if (outcome == JoinOutcome.CLOSED || outcome == JoinOutcome.CLOSED_AND_REMOVED) {
            if (broker.removeMember(room, member) && announced) {
                broker.publishEphemeral(new Ephemeral.Presence(room, session.name(), false));
            }
            if (outcome == JoinOutcome.CLOSED_AND_REMOVED) {
                rooms.closeInBroker(chatRoom);
            }
        }
    }

    /**
     * Leaves {@code chatRoom}, telling the others (before the leaver's {@code left}, so that whatever the leaver
     * does next, they heard it leave first); replies {@code left} unless the client is closing. False if it was not in.
     */
    private boolean leave(Session session, ChatRoom chatRoom, String ref) {
        Client client = session.client();
        // The presence record is the chat's own: a closing client may be out of the hub's room already.
        boolean present = broker.removeMember(chatRoom.name(), session.member());
        if (!present && !chatRoom.room().contains(client)) {
            return false;
        }
        boolean reply = client.isOpen() && !session.hasDeparted();
        session.forgetTyping(chatRoom.name());
        session.left(chatRoom);
        if (present && broker.memberCount(chatRoom.name()) < config.presenceMaxMembers()) {
            broker.publishEphemeral(new Ephemeral.Presence(chatRoom.name(), session.name(), false));
        }
        long now = clock.millis();
        boolean removed = chatRoom.room().atomically(tx -> {
            if (tx.leave(client) && reply) {
                tx.send(client, encode(Replies.left(chatRoom.name(), ref)));
            }
            if (tx.members().isEmpty()) {
                chatRoom.touch(now); // an empty room's expiry counts from its last message or its last member
            }
            return rooms.removeIfAbandoned(chatRoom, now);
        });
        if (removed) {
            rooms.closeInBroker(chatRoom);
        }
        return true;
    }

    /** A room this call brought to life gets its past from the application's history source. */
    private void seedIfNew(ChatRooms.Opened opened) {
        if (opened.state() == null || !opened.state().created() || hooks.history() == HistorySource.NONE) {
            return;
        }
        String room = opened.room().name();
        List<HistorySource.Past> past;
        try {
            past = hooks.history().history(room);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "history source failed for room " + room, e);
            return;
        }
        int from = Math.max(0, past.size() - config.historySize());
        for (HistorySource.Past p : past.subList(from, past.size())) {
            broker.publish(new ChatMessage(room, p.from(), p.text(), p.ts()), null);
        }
    }

    /** Forgets the rooms, resume tokens and ids whose time is up; at most once a {@link #SWEEP_INTERVAL_MILLIS}. */
    private void maybeSweep(long now) {
        if (now < nextSweepMillis) {
            return;
        }
        nextSweepMillis = now + SWEEP_INTERVAL_MILLIS;
        long expiry = config.roomExpiry().toMillis();
        for (ChatRoom chatRoom : rooms.all()) {
            if (chatRoom.room().size() == 0 && now - chatRoom.lastActivityMillis() >= expiry
                    && chatRoom.room().atomically(tx -> rooms.removeIfAbandoned(chatRoom, now))) {
                rooms.closeInBroker(chatRoom);
            }
        }
        pending.values().removeIf(copy -> now - copy.sinceMillis() > PENDING_COPY_MILLIS);
        resumeTokens.sweep(now);
        recentSends.sweep(now);
        inboxes.values().removeIf(limiter -> {
            synchronized (limiter) {
                return limiter.isFull(now);
            }
        });
    }

    // ---- messages ----

    private void say(Session session, Request.Say say, String ref, long now) {
        Client client = session.client();
        ChatRoom chatRoom = rooms.find(say.room());
        if (chatRoom == null || !chatRoom.room().contains(client)) {
            throw notInRoom(say.room(), ref);
        }
        if (say.id() != null && recentSends.find(session.key(), say.id(), now) instanceof RecentSends.Said(SequencedMessage m, long at)) {
            client.send(encode(Replies.message(m, say.id(), ref))); // a repeat: the original, to the sender only
            return;
        }
        String text = filtered(session, say.room(), null, say.text(), ref);
        ChatMessage message = new ChatMessage(say.room(), session.name(), text, now);
        String publicationId = null;
        if (ref != null || say.id() != null) {
            publicationId = Long.toString(publications.incrementAndGet(), 36);
            pending.put(publicationId, new SenderCopy(client, ref, say.id(), now));
        }
        Published published;
        try {
            published = broker.publish(message, publicationId);
        } catch (RuntimeException e) {
            if (publicationId != null) {
                pending.remove(publicationId);
            }
            throw e;
        }
        // The in-process broker has delivered (and taken the sender's copy) already; a cluster broker's echo may come later.
        SequencedMessage sequenced = new SequencedMessage(published.epoch(), published.seq(), message);
        if (say.id() != null) {
            recentSends.remember(session.key(), say.id(), new RecentSends.Said(sequenced, now));
        }
        metrics.messageAccepted();
        tellListener(sequenced);
    }

    private void whisper(Session session, Request.Whisper whisper, String ref, long now) {
        Client client = session.client();
        String to = whisper.to();
        String toKey = to.length() > config.maxNameChars() * 4 ? null : Names.key(to);
        Optional<String> toName = toKey == null ? Optional.empty() : broker.lookupName(toKey);
        if (toName.isEmpty()) {
            throw new ChatError(ErrorCode.NO_SUCH_USER, "nobody named \"" + abbreviate(to) + "\" is online", ref);
        }
        if (whisper.id() != null
                && recentSends.find(session.key(), whisper.id(), now) instanceof RecentSends.Whispered(Direct d, long at)) {
            client.send(encode(Replies.direct(d, whisper.id(), ref)));
            return;
        }
        boolean self = toKey.equals(session.key());
        if (!self) {
            whisperBudget(session, toKey, toName.get(), ref, now);
        }
        String text = filtered(session, null, toName.get(), whisper.text(), ref);
        Direct direct = new Direct(session.name(), toName.get(), text, now);
        if (!self && !broker.sendDirect(toKey, direct)) {
            throw new ChatError(ErrorCode.NO_SUCH_USER, "nobody named \"" + abbreviate(to) + "\" is online", ref);
        }
        client.send(encode(Replies.direct(direct, whisper.id(), ref)));
        if (whisper.id() != null) {
            recentSends.remember(session.key(), whisper.id(), new RecentSends.Whispered(direct, now));
        }
        metrics.whisperDelivered();
    }

    /** Takes a token from the sender's bucket for this recipient and from the recipient's, or refuses with {@code rate_limited}. */
    private void whisperBudget(Session session, String toKey, String toName, String ref, long now) {
        RateLimiter pair = session.pairLimiter(toKey, config.whispersPerSecondPerPair(), now);
        RateLimiter inbox = inboxes.computeIfAbsent(toKey, k -> new RateLimiter(config.whispersPerSecondPerRecipient(),
                config.whispersPerSecondPerRecipient() * 2, now));
        synchronized (inbox) {
            if (!pair.hasToken(now)) {
                throw new ChatError(ErrorCode.RATE_LIMITED, ErrorCode.RATE_LIMITED.wire(), "too many whispers to " + toName
                        + ": at most " + config.whispersPerSecondPerPair() + " a second", ref, pair.millisUntilToken());
            }
            if (!inbox.tryAcquire(now)) {
                throw new ChatError(ErrorCode.RATE_LIMITED, ErrorCode.RATE_LIMITED.wire(), toName
                        + " is receiving too many whispers; try again shortly", ref, inbox.millisUntilToken());
            }
            pair.tryAcquire(now);
        }
    }

    /** The text after the application's filter; a refusal becomes the filter's error. */
    private String filtered(Session session, String room, String to, String text, String ref) {
        if (hooks.filter() == MessageFilter.ACCEPT_ALL) {
            return text;
        }
        MessageFilter.Verdict verdict = hooks.filter().check(new MessageFilter.Outgoing(session.client(), session.name(), room, to, text));
        return switch (verdict) {
            case MessageFilter.Verdict.Accept a -> text;
            case MessageFilter.Verdict.Replace(String replacement) -> cut(replacement);
            case MessageFilter.Verdict.Reject(String code, String message) -> throw new ChatError(null, code, message, ref, -1);
        };
    }

    private String cut(String text) {
        if (Names.codePointsUpTo(text, config.maxTextChars()) <= config.maxTextChars()) {
            return text;
        }
        return text.substring(0, text.offsetByCodePoints(0, config.maxTextChars()));
    }

    private void typing(Session session, String room, String ref, long now) {
        ChatRoom chatRoom = rooms.find(room);
        if (chatRoom == null || !chatRoom.room().contains(session.client())) {
            throw notInRoom(room, ref);
        }
        if (session.mayType(room, now, config.typingInterval().toMillis())) {
            broker.publishEphemeral(new Ephemeral.Typing(room, session.name()));
        }
    }

    private void tellListener(SequencedMessage message) {
        if (hooks.listener() == MessageListener.NONE) {
            return;
        }
        try {
            hooks.listener().onMessage(message);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "message listener failed", e);
        }
    }

    // ---- deliveries from the broker ----

    /** Where the broker delivers: this node's clients. Never blocks (sends only queue). */
    private final class Deliveries implements dev.chatengine.engine.chat.spi.BrokerListener {

        @Override
        public void onMessage(SequencedMessage m, String publicationId) {
            SenderCopy copy = publicationId == null ? null : pending.remove(publicationId);
            ChatRoom chatRoom = rooms.find(m.message().room());
            if (chatRoom == null) {
                return;
            }
            byte[] json = Replies.message(m, null, null);
            long now = clock.millis();
            chatRoom.room().atomically(tx -> {
                if (!chatRoom.isOpened()) {
                    chatRoom.early(m.seq(), json); // openRoom has not returned yet: nobody here can be in the room
                    return null;
                }
                if (!m.epoch().equals(chatRoom.epoch())) {
                    chatRoom.reset(m.epoch(), m.seq() - 1);
                }
                chatRoom.remember(m.seq(), json);
                chatRoom.touch(now);
                EncodedMessage message = encode(json);
                if (copy == null) {
                    tx.broadcast(message);
                } else {
                    tx.broadcastExcept(message, copy.client());
                    if (chatRoom.room().contains(copy.client())) {
                        tx.send(copy.client(), encode(Replies.message(m, copy.id(), copy.ref())));
                    }
                }
                return null;
            });
        }

        @Override
        public void onEphemeral(Ephemeral event) {
            ChatRoom chatRoom = rooms.find(event.room());
            if (chatRoom == null) {
                return;
            }
            String name = switch (event) {
                case Ephemeral.Presence p -> p.name();
                case Ephemeral.Typing t -> t.name();
            };
            EncodedMessage message = encode(switch (event) {
                case Ephemeral.Presence p -> Replies.presence(p.room(), p.name(), p.joined() ? "join" : "leave");
                case Ephemeral.Typing t -> Replies.typing(t.room(), t.name());
            });
            Session own = online.get(Names.key(name));
            chatRoom.room().atomically(tx -> {
                tx.broadcastExcept(message, own == null ? null : own.client()); // never one's own presence or typing
                return null;
            });
        }

        @Override
        public void onDirect(String toKey, Direct direct) {
            Session target = online.get(toKey);
            if (target != null) {
                target.client().send(encode(Replies.direct(direct, null, null)));
            }
        }

        @Override
        public void onKick(String key, int code, String reason) {
            Session target = online.get(key);
            if (target != null) {
                depart(target); // first, while it is still in its rooms: the others see it leave
                target.client().close(code, reason);
            }
        }

        @Override
        public void onRoomEvent(String room, boolean created) {
            EncodedMessage message = encode(Replies.roomEvent(room, created ? "created" : "gone"));
            for (Session s : online.values()) {
                s.client().send(message);
            }
        }

        @Override
        public void onRoomReset(String room, dev.chatengine.engine.chat.spi.RoomState state) {
            ChatRoom chatRoom = rooms.find(room);
            if (chatRoom == null) {
                return;
            }
            List<Client> members = chatRoom.room().atomically(tx -> {
                chatRoom.reset(state.epoch(), state.history().isEmpty() ? state.lastSeq() : state.history().getFirst().seq() - 1);
                for (SequencedMessage m : state.history()) {
                    chatRoom.remember(m.seq(), Replies.message(m, null, null));
                }
                return tx.members();
            });
            for (Client c : members) {
                c.close(CLOSE_ROOM_RESET, "room " + room + " was reset; rejoin");
            }
        }
    }

    // ---- helpers ----

    private void sendError(Client client, ChatError e) {
        if (e.code() != null) {
            metrics.errorSent(e.code());
        }
        client.send(encode(Replies.error(e.wireCode(), e.getMessage(), e.retryAfterMs(), e.ref())));
    }

    private static ChatError withRef(ChatError e, String ref) {
        return new ChatError(e.code(), e.wireCode(), e.getMessage(), ref, e.retryAfterMs());
    }

    private static ChatError notInRoom(String room, String ref) {
        return new ChatError(ErrorCode.NOT_IN_ROOM, "you are not in room \"" + room + "\"", ref);
    }

    private EncodedMessage encode(byte[] json) {
        return hub.encoder().text(json);
    }

    private Session session(Client client) {
        return sessions.computeIfAbsent(client, c -> new Session(c,
                new RateLimiter(config.messagesPerSecond(), config.burst(), clock.millis()), host(c.remoteAddress())));
    }

    /** The host part of an address such as {@code 127.0.0.1:53122} or {@code [::1]:53122}. */
    static String host(String address) {
        if (address == null) {
            return "";
        }
        if (address.startsWith("[")) {
            int end = address.indexOf(']');
            return end > 0 ? address.substring(1, end) : address;
        }
        int colon = address.lastIndexOf(':');
        return colon > 0 && address.indexOf(':') == colon ? address.substring(0, colon) : address;
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
