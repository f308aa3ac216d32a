package dev.chatengine.cluster.redis;

/**
 * The broker's counters at one moment ({@link RedisBroker#metrics()}), for {@code /metrics}.
 *
 * @param ready           Redis answered the last heartbeat and every pub/sub connection is subscribed
 * @param publishes       messages this node published (accepted by Redis)
 * @param publishFailures messages refused because Redis was unreachable (the sender got {@code unavailable})
 * @param receives        publications received from pub/sub (messages and ephemeral events)
 * @param reconnects      pub/sub connections re-established after a loss
 * @param gapFills        re-syncs that filled a gap from the stream
 * @param resets          re-syncs that could not (the room's local clients were closed to rejoin)
 */
public record RedisBrokerMetrics(boolean ready, long publishes, long publishFailures, long receives, long reconnects,
                                 long gapFills, long resets) {

    /** Re-syncs of either kind. */
    public long resyncs() {
        return gapFills + resets;
    }
}
