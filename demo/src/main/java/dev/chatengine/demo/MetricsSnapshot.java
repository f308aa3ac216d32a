package dev.chatengine.demo;

import dev.chatengine.engine.DisconnectReason;
import dev.chatengine.engine.HubMetrics;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * One hub's metrics read at one moment, as plain values, so that {@link PrometheusText} is a pure
 * function that tests can feed by hand. Immutable; {@code dropped} is copied on construction.
 *
 * @param dropped clients dropped so far, for each reason that is a drop ({@link DisconnectReason#isDrop()})
 */
record MetricsSnapshot(long connections, long connectionsTotal, long rooms, long messagesReceived,
                       long deliveries, long bytesOut, Map<DisconnectReason, Long> dropped,
                       long queueHighWaterMark) {

    MetricsSnapshot {
        Objects.requireNonNull(dropped, "dropped");
        dropped = Map.copyOf(dropped);
    }

    /** Reads every figure of {@code metrics} once. */
    static MetricsSnapshot of(HubMetrics metrics) {
        Map<DisconnectReason, Long> dropped = new EnumMap<>(DisconnectReason.class);
        for (DisconnectReason reason : DisconnectReason.values()) {
            if (reason.isDrop()) {
                dropped.put(reason, metrics.dropped(reason));
            }
        }
        return new MetricsSnapshot(metrics.connections(), metrics.connectionsTotal(), metrics.rooms(),
                metrics.messagesReceived(), metrics.deliveries(), metrics.bytesOut(), dropped,
                metrics.queueHighWaterMark());
    }
}
