package dev.chatengine.engine.chat.spi;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Where the chat service keeps what several nodes must agree on: each room's order (its epoch and seqs),
 * its presence, the names online and the routes of whispers and kicks, ephemeral events, and the room
 * list. {@link LocalBroker} (the default) keeps it all in this process, which is the single-node chat; a
 * cluster broker (the {@code cluster-redis} module) keeps it in Redis so that nodes share rooms.
 *
 * <h2>How the service uses it</h2>
 * <ul>
 *   <li>{@link #start} once, with the service's {@link BrokerListener}, before any other call; {@link #close}
 *       when the service is done.</li>
 *   <li>A room this node has clients in (or keeps history for) is open: {@link #openRoom} on its first use
 *       here, {@link #closeRoom} when this node forgets it. While it is open the listener gets its messages
 *       and ephemeral events. The node keeps its own mirror of the room's recent history, fed by
 *       {@link RoomState#history()} and then by {@link BrokerListener#onMessage}, and answers {@code join}
 *       and {@code since} from it, so a join never waits for the broker under the room's lock.</li>
 *   <li>{@link #publish} gives a message its seq; delivery, to this node as to every other, comes through
 *       {@link BrokerListener#onMessage}.</li>
 *   <li>Presence: {@link #addMember}/{@link #removeMember} as a client joins and leaves a room;
 *       {@link #members} and {@link #memberCount} for {@code joined}, {@code who} and the room list.</li>
 *   <li>Names: {@link #claimName} at login, {@link #releaseName} (compare and delete: only the owner's
 *       release frees it) when the client starts closing; {@link #lookupName} and {@link #online}.</li>
 *   <li>{@link #sendDirect} and {@link #kick} reach the node that holds a name.</li>
 * </ul>
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Threads:</b> every method is thread-safe and may block (virtual threads call it), but the
 *       service never calls the broker while it holds a room's lock, so a broker may call the listener
 *       while holding its own.</li>
 *   <li><b>Order:</b> for one room, messages reach every node's listener exactly once, in seq order, with
 *       consecutive seqs from 1 within an epoch; ephemeral events of a room published from one thread
 *       arrive in that order, and a client's presence events are not reordered with its messages.</li>
 *   <li><b>Epochs:</b> an epoch is an opaque string, different for every life of a room: whenever seqs
 *       would restart (the room forgotten, the backend's history lost), the epoch changes.</li>
 *   <li><b>Failure:</b> a call that needs the backend and cannot reach it throws
 *       {@link BrokerUnavailableException} having done nothing; the service answers {@code unavailable}.
 *       Calls that tidy up ({@link #closeRoom}, {@link #removeMember}, {@link #releaseName}) never throw:
 *       a cluster broker retries them or lets their entries expire.</li>
 * </ul>
 */
public interface ChatBroker extends AutoCloseable {

    /** Called once, before any other method: where to deliver what concerns this node. */
    void start(BrokerListener listener);

    /**
     * Opens {@code room} on this node: from now on the listener gets its messages and ephemeral events.
     * Begins a new life of the room (new epoch, {@link RoomState#created()} true, a {@code created} room
     * event to every node) if it has none.
     */
    RoomState openRoom(String room);

    /**
     * This node forgets {@code room}: no more deliveries for it. The in-process broker ends the room's
     * life (the next {@link #openRoom} begins a new epoch, and every node hears {@code gone}); a cluster
     * broker ends it when no node has it open and its history has expired.
     */
    void closeRoom(String room);

    /**
     * Gives {@code message} the next seq of its room and delivers it to every node that has the room open,
     * this one included (through {@link BrokerListener#onMessage}, with {@code publicationId}). The room must
     * be open on this node.
     */
    Published publish(ChatMessage message, String publicationId);

    /** Delivers {@code event} to the members of its room on every node (no seq, not stored). */
    void publishEphemeral(Ephemeral event);

    /** Adds {@code member} to {@code room}'s presence; false if it was there already. */
    boolean addMember(String room, Member member);

    /** Removes {@code member} from {@code room}'s presence; false if it was not there. */
    boolean removeMember(String room, Member member);

    /** Up to {@code limit} of {@code room}'s members (oldest first) and their number. */
    MemberList members(String room, int limit);

    /** How many members {@code room} has (0 for a room that does not exist). */
    int memberCount(String room);

    /**
     * One page of the rooms that exist anywhere, sorted by members (most first) then name, starting after
     * {@code cursor} (null for the first page), at most {@code limit} rooms.
     */
    RoomPage rooms(int limit, String cursor);

    /** Claims {@code member.key()} for {@code member}; false if someone else holds it. */
    boolean claimName(Member member);

    /** Frees {@code member.key()} if (and only if) {@code member} holds it. */
    void releaseName(Member member);

    /** The name, as its holder logged in, of whoever holds {@code key} anywhere. */
    Optional<String> lookupName(String key);

    /** Of {@code keys}, the names held anywhere, as their holders logged in, in the order of {@code keys}. */
    List<String> online(Collection<String> keys);

    /** Every name held anywhere (at most {@code limit}), as their holders logged in. */
    List<String> onlineNames(int limit);

    /** Delivers {@code direct} to the node holding {@code toKey}; false if nobody holds it. */
    boolean sendDirect(String toKey, Direct direct);

    /** Has the node holding {@code key} close that client ({@link BrokerListener#onKick}); false if nobody holds it. */
    boolean kick(String key, int code, String reason);

    /** Stops deliveries and releases the backend. The in-process broker has nothing to release. */
    @Override
    void close();
}
