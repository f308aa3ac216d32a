package dev.chatengine.engine.chat;

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
 * @param maxRooms          most rooms that may exist at once; joining a new room beyond it is {@code bad_room}
 * @param maxRequestBytes   longest request frame read as JSON; a longer one is {@code too_long}. It must leave room for
 *                          a text of {@code maxTextChars} written with escapes (up to 6 bytes per UTF-16 unit)
 */
public record ChatConfig(int maxTextChars, int historySize, int maxHistoryBytes, int messagesPerSecond, int burst, String defaultRoom,
                         int maxRefChars, int maxNameChars, int maxRooms, int maxRequestBytes) {

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

    /** The defaults, as {@code builder().build()}. */
    public static ChatConfig defaults() {
        return builder().build();
    }

    /** A builder that starts from the defaults. */
    public static Builder builder() {
        return new Builder();
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

        public ChatConfig build() {
            return new ChatConfig(maxTextChars, historySize, maxHistoryBytes, messagesPerSecond, burst, defaultRoom, maxRefChars,
                    maxNameChars, maxRooms, maxRequestBytes);
        }
    }
}
