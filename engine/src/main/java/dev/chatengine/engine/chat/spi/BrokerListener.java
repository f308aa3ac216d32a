package dev.chatengine.engine.chat.spi;

/**
 * What a {@link ChatBroker} tells its node: the chat service implements this and gives it to
 * {@link ChatBroker#start}. Every method delivers to this node's local clients only.
 *
 * <p>Thread contract: a broker may call these methods from any thread, including the thread of the
 * broker call that caused them (the in-process broker calls them before {@code publish} returns), and
 * while holding its own locks. They never block and never throw. {@link #onMessage}, {@link #onEphemeral},
 * {@link #onDirect} and {@link #onRoomEvent} never call the broker back; {@link #onKick} does (the kicked
 * client leaves its rooms and frees its name), so a broker calls it without holding its own locks. For one
 * room, the broker calls {@link #onMessage} and {@link #onEphemeral} one at a time, in the room's order
 * (seq order for messages); calls for different rooms may run concurrently.
 */
public interface BrokerListener {

    /**
     * A message is in the room's order. Called on every node that has the room open, the accepting
     * node included (it delivers from here, not from its own publish, so that there is one order
     * everywhere), exactly once per message and in seq order with no gap within an epoch: a broker that
     * sees a gap it cannot fill calls {@link #onRoomReset} instead.
     *
     * @param publicationId the id the accepting node gave {@link ChatBroker#publish}, so that it can
     *                      recognise its own messages (and give the sender its copy with its {@code ref})
     */
    void onMessage(SequencedMessage message, String publicationId);

    /** An ephemeral event for the room's local members (presence, typing). */
    void onEphemeral(Ephemeral event);

    /** A whisper for the local client holding the name with key {@code toKey}, if any. */
    void onDirect(String toKey, Direct direct);

    /**
     * Close the local client holding the name with key {@code key}, if any, with WebSocket close code
     * {@code code} (4000 replaced, 4001 kicked) and {@code reason}. The name is free at once.
     */
    void onKick(String key, int code, String reason);

    /** A room's life began ({@code created} true) or ended anywhere; every logged-in local client hears of it. */
    void onRoomEvent(String room, boolean created);

    /**
     * The broker lost the room's continuity (its history is gone or a gap cannot be filled) and the room
     * now stands at {@code state}, under a new epoch. The service replaces its copy of the room with it
     * and closes the room's local members so that they rejoin and learn from {@code recovered:false}
     * what they missed; never a silent gap.
     */
    void onRoomReset(String room, RoomState state);
}
