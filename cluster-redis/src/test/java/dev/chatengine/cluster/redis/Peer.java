package dev.chatengine.cluster.redis;

import dev.chatengine.testing.ChatTestClient.Reply;
import dev.chatengine.testing.InMemoryConnection;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A chat client of a {@link Node} over an {@link InMemoryConnection}: send requests, take replies by
 * type (what it skips stays available to {@link #all(String)}), with generous deadlines.
 */
final class Peer implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(20);

    final InMemoryConnection connection = new InMemoryConnection();
    private final List<Reply> seen = new ArrayList<>();
    private int cursor;

    Peer(Node node) {
        Thread.ofVirtual().start(() -> node.hub.serve(connection, node.chat));
    }

    void send(String json) {
        connection.feed(json);
    }

    Reply login(String name) {
        send("{\"type\":\"login\",\"name\":\"" + name + "\"}");
        Reply r = next("welcome");
        next("joined");
        return r;
    }

    Reply join(String room) {
        send("{\"type\":\"join\",\"room\":\"" + room + "\"}");
        return next("joined");
    }

    void say(String room, String text) {
        send("{\"type\":\"say\",\"room\":\"" + room + "\",\"text\":\"" + text + "\"}");
    }

    private void pull() {
        List<String> texts = connection.received();
        for (int i = seen.size(); i < texts.size(); i++) {
            seen.add(Reply.parse(texts.get(i)));
        }
    }

    /** The next reply of {@code type} after the last one taken, waiting for it. */
    Reply next(String type) {
        while (true) {
            pull();
            while (cursor < seen.size()) {
                Reply r = seen.get(cursor++);
                if (r.type().equals(type)) {
                    return r;
                }
            }
            int have = seen.size();
            connection.await("a \"" + type + "\" reply after " + seen, WAIT, c -> c.received().size() > have);
        }
    }

    /** Every reply of {@code type} received so far, taken or not. */
    List<Reply> all(String type) {
        pull();
        List<Reply> out = new ArrayList<>();
        for (Reply r : seen) {
            if (r.type().equals(type)) {
                out.add(r);
            }
        }
        return out;
    }

    /** Waits until {@code count} replies of {@code type} arrived in all. */
    List<Reply> awaitAll(String type, int count) {
        connection.await(count + " \"" + type + "\" replies", WAIT, c -> {
            int n = 0;
            for (String t : c.received()) {
                if (t.contains("\"type\":\"" + type + "\"")) {
                    n++;
                }
            }
            return n >= count;
        });
        return all(type);
    }

    @Override
    public void close() {
        connection.peerClose();
    }
}
