package dev.chatengine.engine.chat;

import java.time.Duration;

/**
 * The chat protocol's settings: immutable, made by {@link #builder()}, with the defaults of protocol v1.
 *
 * <pre>{@code
 * ChatConfig config = ChatConfig.builder().messagesPerSecond(5).burst(10).build();
 * ChatService chat = new ChatService(hub, config, Clock.systemUTC());
 * }</pre>
 *
 * @param maxTextChars      longest {@code say} or {@code whisper} text, in Unicode code points ({@code too_long} beyond)
 * @param historySize       messages a room keeps for {@code joined} and {@code since} recovery (0 keeps none)
 * @param maxHistoryBytes   bytes of messages a room keeps at most: fewer than {@code historySize} messages are kept when
 *                          they are long (the newest is always kept). Bounds the chat's memory at about
 *                          {@code maxRooms * maxHistoryBytes}
 * @param messagesPerSecond requests a connection may send per second, on average (the token bucket's refill rate)
 * @param burst             requests a connection may send at once (the bucket's size); at least 1
 * @param defaultRoom       the room a client joins right after {@code login}; a valid room name
 * @param maxRefChars       longest {@code ref} a request may carry
 * @param maxNameChars      longest user name, in code points; names are at least 1
 * @param maxRooms          most rooms that may exist at once besides the default room (which a login must always find);
 *                          joining a new room beyond it is {@code bad_room}
 * @param maxRequestBytes   longest request frame read as JSON; a longer one is {@code too_long}. It must leave room for
 *                          a text of {@code maxTextChars} written with escapes (up to 6 bytes per UTF-16 unit)
 * @param roomExpiry        a room with no members and no message for this long is forgotten with its history (its name's
 *                          next life has a new epoch); a room without history goes as soon as it is empty
 * @param maxRoomsPerClient most rooms one connection may be in at once (the default room included); beyond it {@code bad_room}
 * @param maxRoomsPerAddress most rooms that clients of one address (IP, without the port) may have made and that still
 *                          exist; beyond it a join of a new room is {@code bad_room}. The default room counts for nobody
 * @param maxListedMembers  most names a {@code joined} or {@code members} reply lists (both carry the {@code total})
 * @param presenceMaxMembers a room with more members than this does not announce each join and leave (so that N logins
 *                          into a big lobby cost O(N) frames, not O(N²)); its members ask {@code who} instead
 * @param whispersPerSecondPerPair whispers one sender may send one recipient per second (burst twice that)
 * @param whispersPerSecondPerRecipient whispers one recipient may receive per second from everyone (burst twice that)
 * @param typingInterval    at most one {@code typing} event per room and client is forwarded within this time
 * @param resumeWindow      how long a {@code welcome}'s resume token stays good after its connection ended
 * @param idempotencyWindow how long the server remembers a {@code say}/{@code whisper} {@code id} to answer a repeat
 */
public record ChatConfig(int maxTextChars, int historySize, int maxHistoryBytes, int messagesPerSecond, int burst, String defaultRoom,
                         int maxRefChars, int maxNameChars, int maxRooms, int maxRequestBytes, Duration roomExpiry,
                         int maxRoomsPerClient, int maxRoomsPerAddress, int maxListedMembers, int presenceMaxMembers,
                         int whispersPerSecondPerPair, int whispersPerSecondPerRecipient, Duration typingInterval,
                         Duration resumeWindow, Duration idempotencyWindow) {

    public static final int DEFAULT_MAX_TEXT_CHARS = 4_096;
    public static final int DEFAULT_HISTORY_SIZE = 50;
    /**
     * 64 KiB a room: 50 messages of up to 1.3 KB each, and at most 640 MiB over {@link #DEFAULT_MAX_ROOMS} rooms
     * however hard someone fills them (without it, 50 texts of 4,096 escaped characters would be 1.2 MB a room).
     */
    public static final int DEFAULT_MAX_HISTORY_BYTES = 64 * 1024;
    public static final int DEFAULT_MESSAGES_PER_SECOND = 20;
    /** Twice the rate: a client may send a second's worth of backlog at once after a pause. */
    public static final int DEFAULT_BURST = 40;
    public static final String DEFAULT_ROOM = "lobby";
    public static final int DEFAULT_MAX_REF_CHARS = 64;
    public static final int DEFAULT_MAX_NAME_CHARS = 32;
    public static final int DEFAULT_MAX_ROOMS = 10_000;
    /** 64 KiB: a 4,096-code-point text of escaped astral characters (12 bytes each) is 48 KiB, plus the envelope. */
    public static final int DEFAULT_MAX_REQUEST_BYTES = 64 * 1024;

    /** 15 minutes: long enough for a conversation's pause, short enough that abandoned rooms free their history. */
    public static final Duration DEFAULT_ROOM_EXPIRY = Duration.ofMinutes(15);
    public static final int DEFAULT_MAX_ROOMS_PER_CLIENT = 50;
    /** 100 of the 10,000 rooms: a hundred addresses are needed to fill the table, and each room still expires. */
    public static final int DEFAULT_MAX_ROOMS_PER_ADDRESS = 100;
    /** 500 names: about 8 KB, what a member list on a page can show; the total says how many more. */
    public static final int DEFAULT_MAX_LISTED_MEMBERS = 500;
    /** Above 200 members a room stops announcing joins and leaves (a crowd's churn is noise, and O(N²) frames). */
    public static final int DEFAULT_PRESENCE_MAX_MEMBERS = 200;
    /** 2 a second from one sender to one recipient: a person typing fast; 40 such senders no longer flood the recipient. */
    public static final int DEFAULT_WHISPERS_PER_SECOND_PER_PAIR = 2;
    /** 10 a second to one recipient in all, burst 20: its send queue (256) is never filled by whispers alone. */
    public static final int DEFAULT_WHISPERS_PER_SECOND_PER_RECIPIENT = 10;
    /** The page shows "typing…" for 6 s, so one event every 2 s keeps it up while the user types. */
    public static final Duration DEFAULT_TYPING_INTERVAL = Duration.ofSeconds(2);
    public static final Duration DEFAULT_RESUME_WINDOW = Duration.ofMinutes(5);
    public static final Duration DEFAULT_IDEMPOTENCY_WINDOW = Duration.ofMinutes(5);

    public ChatConfig {
        requireAtLeast(maxTextChars, 1, "maxTextChars");
        requireAtLeast(historySize, 0, "historySize");
        requireAtLeast(maxHistoryBytes, 1, "maxHistoryBytes");
        requireAtLeast(messagesPerSecond, 1, "messagesPerSecond");
        requireAtLeast(burst, 1, "burst");
        requireAtLeast(maxRefChars, 1, "maxRefChars");
        requireAtLeast(maxNameChars, 1, "maxNameChars");
        requireAtLeast(maxRooms, 1, "maxRooms");
        requireAtLeast(maxRequestBytes, 64, "maxRequestBytes");
        requireAtLeast(maxRoomsPerClient, 1, "maxRoomsPerClient");
        requireAtLeast(maxRoomsPerAddress, 1, "maxRoomsPerAddress");
        requireAtLeast(maxListedMembers, 1, "maxListedMembers");
        requireAtLeast(presenceMaxMembers, 0, "presenceMaxMembers");
        requireAtLeast(whispersPerSecondPerPair, 1, "whispersPerSecondPerPair");
        requireAtLeast(whispersPerSecondPerRecipient, 1, "whispersPerSecondPerRecipient");
        requirePositive(roomExpiry, "roomExpiry");
        requirePositive(typingInterval, "typingInterval");
        requirePositive(resumeWindow, "resumeWindow");
        requirePositive(idempotencyWindow, "idempotencyWindow");
        if (defaultRoom == null || !Names.isValidRoom(defaultRoom)) {
            throw new IllegalArgumentException("defaultRoom must be a valid room name (1 to " + Names.MAX_ROOM_CHARS
                    + " of a-z 0-9 _ -): " + defaultRoom);
        }
    }

    private static void requireAtLeast(int value, int min, String name) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be at least " + min + ": " + value);
        }
    }

    private static void requirePositive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
    }

    /** The defaults, as {@code builder().build()}. */
    public static ChatConfig defaults() {
        return builder().build();
    }

    /** A builder that starts from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these settings, to change some and keep the rest. */
    public Builder toBuilder() {
        return new Builder().maxTextChars(maxTextChars).historySize(historySize).maxHistoryBytes(maxHistoryBytes)
                .messagesPerSecond(messagesPerSecond).burst(burst).defaultRoom(defaultRoom).maxRefChars(maxRefChars)
                .maxNameChars(maxNameChars).maxRooms(maxRooms).maxRequestBytes(maxRequestBytes).roomExpiry(roomExpiry)
                .maxRoomsPerClient(maxRoomsPerClient).maxRoomsPerAddress(maxRoomsPerAddress)
                .maxListedMembers(maxListedMembers).presenceMaxMembers(presenceMaxMembers)
                .whispersPerSecondPerPair(whispersPerSecondPerPair)
                .whispersPerSecondPerRecipient(whispersPerSecondPerRecipient).typingInterval(typingInterval)
                .resumeWindow(resumeWindow).idempotencyWindow(idempotencyWindow);
    }

    /** Builds a {@link ChatConfig}; every setter is optional. Not thread-safe. */
    public static final class Builder {
        private int maxTextChars = DEFAULT_MAX_TEXT_CHARS;
        private int historySize = DEFAULT_HISTORY_SIZE;
        private int maxHistoryBytes = DEFAULT_MAX_HISTORY_BYTES;
        private int messagesPerSecond = DEFAULT_MESSAGES_PER_SECOND;
        private int burst = DEFAULT_BURST;
        private String defaultRoom = DEFAULT_ROOM;
        private int maxRefChars = DEFAULT_MAX_REF_CHARS;
        private int maxNameChars = DEFAULT_MAX_NAME_CHARS;
        private int maxRooms = DEFAULT_MAX_ROOMS;
        private int maxRequestBytes = DEFAULT_MAX_REQUEST_BYTES;
        private Duration roomExpiry = DEFAULT_ROOM_EXPIRY;
        private int maxRoomsPerClient = DEFAULT_MAX_ROOMS_PER_CLIENT;
        private int maxRoomsPerAddress = DEFAULT_MAX_ROOMS_PER_ADDRESS;
        private int maxListedMembers = DEFAULT_MAX_LISTED_MEMBERS;
        private int presenceMaxMembers = DEFAULT_PRESENCE_MAX_MEMBERS;
        private int whispersPerSecondPerPair = DEFAULT_WHISPERS_PER_SECOND_PER_PAIR;
        private int whispersPerSecondPerRecipient = DEFAULT_WHISPERS_PER_SECOND_PER_RECIPIENT;
        private Duration typingInterval = DEFAULT_TYPING_INTERVAL;
        private Duration resumeWindow = DEFAULT_RESUME_WINDOW;
        private Duration idempotencyWindow = DEFAULT_IDEMPOTENCY_WINDOW;

        private Builder() {
        }

        public Builder maxTextChars(int codePoints) {
            this.maxTextChars = codePoints;
            return this;
        }

        public Builder historySize(int messages) {
            this.historySize = messages;
            return this;
        }

        public Builder maxHistoryBytes(int bytes) {
            this.maxHistoryBytes = bytes;
            return this;
        }

        public Builder messagesPerSecond(int requests) {
            this.messagesPerSecond = requests;
            return this;
        }

        public Builder burst(int requests) {
            this.burst = requests;
            return this;
        }

        public Builder defaultRoom(String room) {
            this.defaultRoom = room;
            return this;
        }

        public Builder maxRefChars(int chars) {
            this.maxRefChars = chars;
            return this;
        }

        public Builder maxNameChars(int codePoints) {
            this.maxNameChars = codePoints;
            return this;
        }

        public Builder maxRooms(int rooms) {
            this.maxRooms = rooms;
            return this;
        }

        public Builder maxRequestBytes(int bytes) {
            this.maxRequestBytes = bytes;
            return this;
        }

        public Builder roomExpiry(Duration idle) {
            this.roomExpiry = idle;
            return this;
        }

        public Builder maxRoomsPerClient(int rooms) {
            this.maxRoomsPerClient = rooms;
            return this;
        }

        public Builder maxRoomsPerAddress(int rooms) {
            this.maxRoomsPerAddress = rooms;
            return this;
        }

        public Builder maxListedMembers(int names) {
            this.maxListedMembers = names;
            return this;
        }

        public Builder presenceMaxMembers(int members) {
            this.presenceMaxMembers = members;
            return this;
        }

        public Builder whispersPerSecondPerPair(int whispers) {
            this.whispersPerSecondPerPair = whispers;
            return this;
        }

        public Builder whispersPerSecondPerRecipient(int whispers) {
            this.whispersPerSecondPerRecipient = whispers;
            return this;
        }

        public Builder typingInterval(Duration interval) {
            this.typingInterval = interval;
            return this;
        }

        public Builder resumeWindow(Duration window) {
            this.resumeWindow = window;
            return this;
        }

        public Builder idempotencyWindow(Duration window) {
            this.idempotencyWindow = window;
            return this;
        }

        public ChatConfig build() {
            return new ChatConfig(maxTextChars, historySize, maxHistoryBytes, messagesPerSecond, burst, defaultRoom, maxRefChars,
                    maxNameChars, maxRooms, maxRequestBytes, roomExpiry, maxRoomsPerClient, maxRoomsPerAddress, maxListedMembers,
                    presenceMaxMembers, whispersPerSecondPerPair, whispersPerSecondPerRecipient, typingInterval, resumeWindow,
                    idempotencyWindow);
        }
    }
}
