package dev.chatengine.cluster.redis;

import java.util.concurrent.atomic.LongAdder;

/** The broker's counters; thread-safe. Read through {@link RedisBroker#metrics()}. */
final class BrokerCounters {

    private final LongAdder publishes = new LongAdder();
    private final LongAdder publishFailures = new LongAdder();
    private final LongAdder receives = new LongAdder();
    private final LongAdder reconnects = new LongAdder();
    private final LongAdder gapFills = new LongAdder();
    private final LongAdder resets = new LongAdder();

    void published() { publishes.increment(); }
    void publishFailed() { publishFailures.increment(); }
    void received() { receives.increment(); }
    void reconnected() { reconnects.increment(); }
    void gapFilled() { gapFills.increment(); }
    void reset() { resets.increment(); }

    RedisBrokerMetrics snapshot(boolean ready) {
        return new RedisBrokerMetrics(ready, publishes.sum(), publishFailures.sum(), receives.sum(), reconnects.sum(),
                gapFills.sum(), resets.sum());
    }
}
