/**
 * The chat engine: a {@link dev.chatengine.engine.Hub} of {@link dev.chatengine.engine.Room}s and
 * {@link dev.chatengine.engine.Client}s, each client with a read pump and a write pump on virtual
 * threads (the write pump's only while it has something to write) and a bounded send queue. Transports plug in through {@link dev.chatengine.engine.transport}.
 *
 * <h2>Using it</h2>
 * Create a hub with {@link dev.chatengine.engine.Hub#create}, give every new connection to
 * {@link dev.chatengine.engine.Hub#serve} on the transport's per-connection virtual thread with
 * your {@link dev.chatengine.engine.ClientHandler}, put clients in rooms, encode a message once with
 * {@link dev.chatengine.engine.Hub#encoder()} and broadcast it. Shut down with
 * {@link dev.chatengine.engine.Hub#shutdown}.
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li>Nobody waits for a slow client: sending only queues; a client whose queue is full is dropped
 *       ({@link dev.chatengine.engine.DisconnectReason#SLOW_CONSUMER}); one whose write blocks longer
 *       than the write timeout too ({@link dev.chatengine.engine.DisconnectReason#WRITE_TIMEOUT}).</li>
 *   <li>Every client that is not dropped receives every broadcast of each of its rooms exactly once,
 *       in the order the room accepted them.</li>
 *   <li>No lock is held while a broadcast reaches the members; rooms do not stall each other.</li>
 * </ul>
 *
 * <h2>Defaults ({@link dev.chatengine.engine.HubConfig})</h2>
 * Send queue 256 messages, write timeout 10 s, ping every 54 s, pong wait 60 s, close timeout 5 s,
 * at most 64 messages per write: gorilla/websocket's chat example's proven figures, with the
 * reasons given on each constant.
 */
package dev.chatengine.engine;
