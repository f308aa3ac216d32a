package dev.chatengine.bench.codec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Chat traffic for the deflate benchmarks: {@code message} objects as chat protocol v1 sends them
 * (room, sender, a sentence of 2 to 200 characters, seq, ts), and a join's history reply of 50 of
 * them. Deterministic (seeded). Stateless.
 */
public final class ChatTraffic {
    private static final String[] SENTENCES = {
            "hi", "hello everyone", "ok", "lol", "brb, coffee", "anyone here?", "good morning!",
            "did you see the release notes for the new version?",
            "I think the deploy went fine, the dashboards look normal again",
            "can someone review my pull request when they have a minute? it's the one about the login page",
            "Meeting moved to 3pm, same room. Bring the numbers from last week if you have them.",
            "Thanks! That fixed it. The problem was the proxy timeout, not the server; I bumped it to 120 s "
                    + "and the connections stay up now. Will write it down in the wiki later today.",
    };
    private static final String[] NAMES = {"alice", "bob", "carol", "dave", "erin", "frank"};
    private static final String[] ROOMS = {"lobby", "dev", "random"};

    private ChatTraffic() {
    }

    /** {@code count} different {@code message} objects, as UTF-8 JSON. */
    public static List<byte[]> messages(int count) {
        Random random = new Random(42);
        List<byte[]> messages = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            messages.add(message(random, 1000 + i).getBytes(StandardCharsets.UTF_8));
        }
        return messages;
    }

    /** A typical {@code message} object over the default deflate threshold: the first of 140 to 200 bytes. */
    public static byte[] typical() {
        return messages(100).stream().filter(m -> m.length >= 140 && m.length <= 200).findFirst().orElseThrow();
    }

    /** A {@code history} reply carrying {@code count} messages of one room, as UTF-8 JSON. */
    public static byte[] history(int count) {
        Random random = new Random(7);
        StringBuilder json = new StringBuilder("{\"type\":\"history\",\"room\":\"lobby\",\"messages\":[");
        for (int i = 0; i < count; i++) {
            json.append(i == 0 ? "" : ",").append(message(random, 500 + i));
        }
        return json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String message(Random random, int seq) {
        return "{\"type\":\"message\",\"room\":\"" + ROOMS[random.nextInt(ROOMS.length)]
                + "\",\"from\":\"" + NAMES[random.nextInt(NAMES.length)]
                + "\",\"text\":\"" + SENTENCES[random.nextInt(SENTENCES.length)]
                + "\",\"seq\":" + seq + ",\"ts\":" + (1_764_690_000_000L + 1000L * seq) + "}";
    }
}
