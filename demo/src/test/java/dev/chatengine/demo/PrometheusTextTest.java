package dev.chatengine.demo;

import dev.chatengine.engine.DisconnectReason;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class PrometheusTextTest {

    /** A sample line of the text format 0.0.4: name, optional labels, a value. */
    private static final Pattern SAMPLE = Pattern.compile(
            "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[a-zA-Z_][a-zA-Z0-9_]*=\"[^\"\\\\\\n]*\"(,[a-zA-Z_][a-zA-Z0-9_]*=\"[^\"\\\\\\n]*\")*\\})? (-?[0-9]+)");
    private static final Pattern HELP = Pattern.compile("# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) \\S.*");
    private static final Pattern TYPE = Pattern.compile("# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge)");

    private static MetricsSnapshot snapshot(long base) {
        return new MetricsSnapshot(base + 1, base + 2, base + 3, base + 4, base + 5, base + 6,
                Map.of(DisconnectReason.SLOW_CONSUMER, base + 7, DisconnectReason.IDLE_TIMEOUT, base + 8), base + 9);
    }

    private static String render() {
        Map<String, MetricsSnapshot> byEndpoint = new LinkedHashMap<>();
        byEndpoint.put("ws", snapshot(0));
        byEndpoint.put("raw", snapshot(100));
        return PrometheusText.render(byEndpoint,
                new ChatSnapshot(11, 12, 13, 14, new java.util.TreeMap<>(Map.of("rate_limited", 15L, "bad_json", 16L))));
    }

    @Test
    void everyLineIsHelpTypeOrSampleAndEverySampleFollowsItsHelpAndType() {
        String text = render();
        assertThat(text).endsWith("\n");
        String described = null;
        String typed = null;
        List<String> names = new ArrayList<>();
        for (String line : text.split("\n")) {
            Matcher help = HELP.matcher(line);
            Matcher type = TYPE.matcher(line);
            Matcher sample = SAMPLE.matcher(line);
            if (help.matches()) {
                described = help.group(1);
                names.add(described);
            } else if (type.matches()) {
                assertThat(type.group(1)).as("TYPE right after HELP").isEqualTo(described);
                typed = type.group(1);
            } else {
                assertThat(sample.matches()).as("a sample line: " + line).isTrue();
                assertThat(sample.group(1)).as("sample under its own HELP and TYPE").isEqualTo(described).isEqualTo(typed);
                assertThat(sample.group(2)).as("labelled with its endpoint").containsPattern("endpoint=\"(ws|raw)\"");
            }
        }
        assertThat(names).containsExactly("chat_connections", "chat_connections_total", "chat_rooms",
                "chat_messages_received_total", "chat_deliveries_total", "chat_bytes_out_total",
                "chat_send_queue_high_water_mark", "chat_clients_dropped_total", "chat_users_online",
                "chat_protocol_rooms", "chat_protocol_messages_total", "chat_protocol_whispers_total",
                "chat_protocol_errors_total");
    }

    @Test
    void valuesLandOnTheirMetricAndEndpoint() {
        assertThat(render()).contains(
                "# TYPE chat_connections gauge\n",
                "chat_connections{endpoint=\"ws\"} 1\n",
                "chat_connections{endpoint=\"raw\"} 101\n",
                "# TYPE chat_connections_total counter\n",
                "chat_connections_total{endpoint=\"ws\"} 2\n",
                "chat_rooms{endpoint=\"raw\"} 103\n",
                "chat_messages_received_total{endpoint=\"ws\"} 4\n",
                "chat_deliveries_total{endpoint=\"raw\"} 105\n",
                "chat_bytes_out_total{endpoint=\"ws\"} 6\n",
                "chat_send_queue_high_water_mark{endpoint=\"raw\"} 109\n",
                "chat_clients_dropped_total{endpoint=\"ws\",reason=\"slow_consumer\"} 7\n",
                "chat_clients_dropped_total{endpoint=\"ws\",reason=\"idle_timeout\"} 8\n",
                "chat_clients_dropped_total{endpoint=\"raw\",reason=\"slow_consumer\"} 107\n",
                "# TYPE chat_users_online gauge\n",
                "chat_users_online{endpoint=\"ws\"} 11\n",
                "chat_protocol_rooms{endpoint=\"ws\"} 12\n",
                "# TYPE chat_protocol_messages_total counter\n",
                "chat_protocol_messages_total{endpoint=\"ws\"} 13\n",
                "chat_protocol_whispers_total{endpoint=\"ws\"} 14\n",
                "chat_protocol_errors_total{endpoint=\"ws\",code=\"bad_json\"} 16\n"
                        + "chat_protocol_errors_total{endpoint=\"ws\",code=\"rate_limited\"} 15\n");
    }

    @Test
    void everyDropReasonHasASampleEvenAtZero() {
        String text = render();
        for (DisconnectReason reason : DisconnectReason.values()) {
            String line = "chat_clients_dropped_total{endpoint=\"ws\",reason=\"" + PrometheusText.label(reason) + "\"}";
            if (reason.isDrop()) {
                assertThat(text).contains(line);
            } else {
                assertThat(text).doesNotContain(line);
            }
        }
        assertThat(text).contains("chat_clients_dropped_total{endpoint=\"ws\",reason=\"write_timeout\"} 0\n");
    }
}
