package dev.chatengine.demo;

import dev.chatengine.cluster.redis.RedisBrokerMetrics;

import dev.chatengine.engine.DisconnectReason;

import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * Writes the hubs' and the chat protocol's metrics in the Prometheus text exposition format,
 * version 0.0.4: for each metric a {@code # HELP} and a {@code # TYPE} line, then its samples, labelled
 * {@code endpoint="ws"} or {@code endpoint="raw"}. Pure and stateless; {@code /metrics} serves it.
 *
 * <pre>
 * # HELP chat_connections WebSocket clients connected now.
 * # TYPE chat_connections gauge
 * chat_connections{endpoint="ws"} 2
 * chat_connections{endpoint="raw"} 0
 * </pre>
 */
final class PrometheusText {

    /** The Content-Type of this format. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private PrometheusText() {
    }

    private record Metric(String name, String type, String help, ToLongFunction<MetricsSnapshot> value) {
    }

    private static final Metric[] SIMPLE_METRICS = {
        new Metric("chat_connections", "gauge", "WebSocket clients connected now.", MetricsSnapshot::connections),
        new Metric("chat_connections_total", "counter", "WebSocket clients ever connected.", MetricsSnapshot::connectionsTotal),
        new Metric("chat_rooms", "gauge", "Rooms that exist now.", MetricsSnapshot::rooms),
        new Metric("chat_messages_received_total", "counter", "Messages received from clients.", MetricsSnapshot::messagesReceived),
        new Metric("chat_deliveries_total", "counter",
                "Messages written to clients; one broadcast to 1000 members is 1000 deliveries.", MetricsSnapshot::deliveries),
        new Metric("chat_bytes_out_total", "counter", "Bytes written to clients, WebSocket framing included.", MetricsSnapshot::bytesOut),
        new Metric("chat_send_queue_high_water_mark", "gauge",
                "The most messages any client's send queue has held at once.", MetricsSnapshot::queueHighWaterMark),
    };

    /**
     * The exposition of {@code byEndpoint} (endpoint label to its hub's figures), endpoints in the
     * map's iteration order. Label values are written as given: callers pass fixed, safe names.
     */
    static String render(Map<String, MetricsSnapshot> byEndpoint, ChatSnapshot chat) {
        StringBuilder out = new StringBuilder(2048);
        for (Metric metric : SIMPLE_METRICS) {
            header(out, metric.name(), metric.type(), metric.help());
            byEndpoint.forEach((endpoint, snapshot) -> out.append(metric.name())
                    .append("{endpoint=\"").append(endpoint).append("\"} ")
                    .append(metric.value().applyAsLong(snapshot)).append('\n'));
        }
        String dropped = "chat_clients_dropped_total";
        header(out, dropped, "counter",
                "Clients the server dropped for its own health, by reason (slow_consumer: send queue full).");
        byEndpoint.forEach((endpoint, snapshot) -> {
            for (DisconnectReason reason : DisconnectReason.values()) {
                if (reason.isDrop()) {
                    out.append(dropped).append("{endpoint=\"").append(endpoint)
                            .append("\",reason=\"").append(label(reason)).append("\"} ")
                            .append(snapshot.dropped().getOrDefault(reason, 0L)).append('\n');
                }
            }
        });
        renderChat(out, chat);
        return out.toString();
    }

    /** The chat protocol's own figures; they exist only for {@code /ws}, so their endpoint is always {@code ws}. */
    private static void renderChat(StringBuilder out, ChatSnapshot chat) {
        simple(out, "chat_users_online", "gauge", "Users logged in to the chat protocol now.", chat.usersOnline());
        simple(out, "chat_protocol_rooms", "gauge", "Chat rooms that exist now (with members or history).", chat.rooms());
        simple(out, "chat_protocol_messages_total", "counter", "say messages accepted.", chat.messages());
        simple(out, "chat_protocol_whispers_total", "counter", "whispers delivered.", chat.whispers());
        String errors = "chat_protocol_errors_total";
        header(out, errors, "counter", "error replies sent, by code (rate_limited: over the per-connection rate).");
        chat.errors().forEach((code, count) -> out.append(errors).append("{endpoint=\"ws\",code=\"").append(code)
                .append("\"} ").append(count).append('\n'));
    }

    /** The cluster broker's figures ({@code --redis}): appended to {@link #render}'s text. */
    static String broker(RedisBrokerMetrics m) {
        StringBuilder out = new StringBuilder(1024);
        simple(out, "chat_broker_ready", "gauge", "1 while Redis answers and every pub/sub connection is subscribed.",
                m.ready() ? 1 : 0);
        simple(out, "chat_broker_publishes_total", "counter", "Messages this node published to Redis.", m.publishes());
        simple(out, "chat_broker_publish_failures_total", "counter",
                "Messages refused with unavailable because Redis was unreachable.", m.publishFailures());
        simple(out, "chat_broker_receives_total", "counter", "Publications received from Redis pub/sub.", m.receives());
        simple(out, "chat_broker_reconnects_total", "counter", "Pub/sub connections re-established.", m.reconnects());
        String resyncs = "chat_broker_resyncs_total";
        header(out, resyncs, "counter",
                "Re-syncs of a room: gap_fill (missed messages read from the stream), reset (clients closed to rejoin).");
        out.append(resyncs).append("{endpoint=\"ws\",kind=\"gap_fill\"} ").append(m.gapFills()).append('\n');
        out.append(resyncs).append("{endpoint=\"ws\",kind=\"reset\"} ").append(m.resets()).append('\n');
        return out.toString();
    }

    private static void simple(StringBuilder out, String name, String type, String help, long value) {
        header(out, name, type, help);
        out.append(name).append("{endpoint=\"ws\"} ").append(value).append('\n');
    }

    /** The label value of a reason: {@code SLOW_CONSUMER} is {@code slow_consumer}. */
    static String label(DisconnectReason reason) {
        return reason.name().toLowerCase(java.util.Locale.ROOT);
    }

    private static void header(StringBuilder out, String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }
}
