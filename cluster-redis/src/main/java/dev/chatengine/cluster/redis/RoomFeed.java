package dev.chatengine.cluster.redis;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One room's live feed on this node: turns what pub/sub brings (at most once, possibly after a gap) into
 * what the chat service needs (exactly once, in seq order, no gap within an epoch).
 *
 * <ul>
 *   <li>While it syncs (subscribing, or re-subscribing after a reconnect) publications are buffered, then
 *       merged with the room's state from Redis by seq: nothing missed, nothing twice.</li>
 *   <li>A seq already seen is dropped; a seq beyond {@code last+1} is filled from the stream
 *       ({@code XRANGE} exclusive); a gap the stream no longer covers, or a new epoch, is a reset: the
 *       room's local members are closed by the service and rejoin with {@code recovered:false}.</li>
 *   <li>A new feed is <em>held</em>: after its first sync it goes on buffering until {@link #release()}, so
 *       that nothing is delivered before the service has registered the room that {@code openRoom} made
 *       (it would find no room and drop the message, leaving a hole in its mirror).</li>
 *   <li>It keeps the last {@code historySize} messages so that a second open of the room on this node
 *       gets a state consistent with what is delivered after it.</li>
 * </ul>
 *
 * <p>Thread contract: thread-safe; every method takes the feed's lock, and the sink is called under it,
 * so calls to the sink for one room are one at a time in the room's order. The source may block (Redis).
 */
final class RoomFeed {

    /** Where a feed reads what pub/sub did not bring. */
    interface Source {
        List<RoomLog.Entry> range(long after, long before);

        RoomLog.Snapshot snapshot();

        /** Starts a new epoch if {@code expected} is still the room's. */
        void rotate(String expected);
    }

    /** What a feed delivers. */
    interface Sink {
        void message(String epoch, RoomLog.Entry entry, String publicationId);

        /** The room's continuity was lost: it now stands at {@code epoch}, {@code lastSeq}, {@code recent}. */
        void reset(String epoch, long lastSeq, List<RoomLog.Entry> recent);
    }

    /** One publication as it came from pub/sub. */
    record Pub(String epoch, long seq, String publicationId, String data) {
    }

    /** A consistent view of the feed: epoch, last seq delivered and the recent messages, oldest first. */
    record State(String epoch, long lastSeq, List<RoomLog.Entry> recent) {
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Source source;
    private final Sink sink;
    private final int historySize;
    private final BrokerCounters counters;
    private final ArrayDeque<RoomLog.Entry> recent = new ArrayDeque<>();
    private final List<Pub> buffer = new ArrayList<>();
    private String epoch;
    private long lastSeq;
    private boolean syncing = true;
    private boolean stale;
    private boolean held = true;
    private final long createdNanos = System.nanoTime();

    RoomFeed(Source source, Sink sink, int historySize, BrokerCounters counters) {
        this.source = source;
        this.sink = sink;
        this.historySize = historySize;
        this.counters = counters;
    }

    /** From now on publications are buffered until {@link #synced} (the pub/sub connection was lost). */
    void beginSync() {
        lock.lock();
        try {
            syncing = true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The subscription is confirmed: read the room's state and merge the buffer. The first time it is
     * taken as is; after a reconnect what was missed is delivered (or the room is reset).
     *
     * @throws dev.chatengine.engine.chat.spi.BrokerUnavailableException if Redis cannot be read (the feed
     *         stays syncing and is retried by {@link #resyncIfStale})
     */
    State synced() {
        lock.lock();
        try {
            RoomLog.Snapshot snap;
            try {
                snap = source.snapshot();
            } catch (RuntimeException e) {
                stale = true;
                throw e;
            }
            if (epoch == null) {
                adopt(snap);
            } else {
                catchUp(snap);
            }
            stale = false;
            if (!held) {
                syncing = false;
                drain();
            }
            return state();
        } finally {
            lock.unlock();
        }
    }

    /** Ends the hold of a new feed: what was buffered since its sync is delivered now. Idempotent. */
    void release() {
        lock.lock();
        try {
            if (!held) {
                return;
            }
            held = false;
            if (epoch != null && !stale) {
                syncing = false;
                drain();
            }
        } catch (RuntimeException e) {
            stale = true;
            syncing = true;
        } finally {
            lock.unlock();
        }
    }

    /** True while held longer than {@code nanos} (the ticker then releases it). */
    boolean heldLongerThan(long nanos) {
        lock.lock();
        try {
            return held && System.nanoTime() - createdNanos > nanos;
        } finally {
            lock.unlock();
        }
    }

    /** A publication from pub/sub. */
    void onPub(Pub pub) {
        lock.lock();
        try {
            if (syncing) {
                buffer.add(pub);
                return;
            }
            apply(pub);
        } catch (RuntimeException e) {
            // Redis could not fill a gap: hold everything until a resync succeeds, never skip.
            stale = true;
            syncing = true;
            buffer.add(pub);
        } finally {
            lock.unlock();
        }
    }

    /** Runs {@code event} under the feed's lock, so that it keeps its place among the room's messages. */
    void inOrder(Runnable event) {
        lock.lock();
        try {
            event.run();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The periodic position check (design: every 30 s): Redis says the room stands at {@code epoch},
     * {@code seq}. Messages this node never heard of are read from the stream; another epoch, or a counter
     * below what was delivered (the tail lost to a failover: the epoch is rotated), is a reset. Catches a
     * subscription that silently delivers nothing.
     *
     * @param before the feed's {@link #state()} taken before Redis was read: messages delivered since then
     *               are newer than the reading, so only a counter below {@code before}'s seq went back
     */
    void check(String redisEpoch, long redisSeq, State before) {
        lock.lock();
        try {
            if (syncing || held || epoch == null || !epoch.equals(before.epoch())) {
                return;
            }
            if (!redisEpoch.equals(epoch) || redisSeq < before.lastSeq()) {
                if (redisEpoch != null && redisEpoch.equals(epoch)) {
                    source.rotate(epoch);
                }
                reset(source.snapshot());
            } else if (redisSeq > lastSeq) {
                fill(redisSeq + 1, null);
            }
        } catch (RuntimeException e) {
            // Redis away: the reconnect or the next check does it
        } finally {
            lock.unlock();
        }
    }

    /** Retries a sync that failed (called from the node's ticker). */
    void resyncIfStale() {
        lock.lock();
        try {
            if (stale) {
                synced();
            }
        } catch (RuntimeException stillDown) {
            // next tick
        } finally {
            lock.unlock();
        }
    }

    State state() {
        lock.lock();
        try {
            return new State(epoch, lastSeq, List.copyOf(recent));
        } finally {
            lock.unlock();
        }
    }

    // ---- under the lock ----

    private void adopt(RoomLog.Snapshot snap) {
        epoch = snap.epoch();
        lastSeq = snap.lastSeq();
        recent.clear();
        List<RoomLog.Entry> entries = contiguousEndingAt(snap.entries(), snap.lastSeq());
        recent.addAll(entries);
    }

    /** After a reconnect: deliver what was missed, or reset when it cannot be. */
    private void catchUp(RoomLog.Snapshot snap) {
        if (!snap.epoch().equals(epoch) || snap.lastSeq() < lastSeq) {
            reset(snap);
            return;
        }
        if (snap.lastSeq() > lastSeq) {
            fill(snap.lastSeq() + 1, snap);
        }
    }

    private void drain() {
        buffer.sort(Comparator.comparingLong(Pub::seq));
        List<Pub> pending = new ArrayList<>(buffer);
        buffer.clear();
        for (Pub p : pending) {
            apply(p);
        }
    }

    private void apply(Pub pub) {
        if (!pub.epoch().equals(epoch)) {
            RoomLog.Snapshot snap = source.snapshot();
            if (!snap.epoch().equals(pub.epoch())) {
                return; // a publication of an epoch already gone: what it said is lost with it
            }
            reset(snap); // a new life of the room (Redis lost the old one): the snapshot includes this pub
            return;
        }
        if (pub.seq() <= lastSeq) {
            return; // seen already (buffered and also read from the stream)
        }
        if (pub.seq() > lastSeq + 1 && !fill(pub.seq(), null)) {
            return;
        }
        deliver(new RoomLog.Entry(pub.seq(), pub.data()), pub.publicationId());
    }

    /**
     * Delivers the stored messages between {@code lastSeq} and {@code before} (exclusive). False, after a
     * reset, when the stream does not have them all.
     */
    private boolean fill(long before, RoomLog.Snapshot known) {
        List<RoomLog.Entry> missed = source.range(lastSeq, before);
        boolean covered = missed.size() == before - lastSeq - 1
                && (missed.isEmpty() || missed.getFirst().seq() == lastSeq + 1);
        if (!covered) {
            reset(known != null ? known : source.snapshot());
            return false;
        }
        counters.gapFilled();
        for (RoomLog.Entry e : missed) {
            deliver(e, null);
        }
        return true;
    }

    private void reset(RoomLog.Snapshot snap) {
        adopt(snap);
        counters.reset();
        sink.reset(epoch, lastSeq, List.copyOf(recent));
    }

    private void deliver(RoomLog.Entry entry, String publicationId) {
        lastSeq = entry.seq();
        recent.addLast(entry);
        while (recent.size() > historySize) {
            recent.removeFirst();
        }
        sink.message(epoch, entry, publicationId);
    }

    /** The longest run of {@code entries} with consecutive seqs ending at {@code last} (the stream may have expired). */
    private static List<RoomLog.Entry> contiguousEndingAt(List<RoomLog.Entry> entries, long last) {
        int end = entries.size();
        if (end == 0 || entries.get(end - 1).seq() != last) {
            return List.of();
        }
        int start = end - 1;
        while (start > 0 && entries.get(start - 1).seq() == entries.get(start).seq() - 1) {
            start--;
        }
        return entries.subList(start, end);
    }
}
