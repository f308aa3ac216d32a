package dev.chatengine.demo;

import dev.chatengine.testing.ChatTestClient;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Clients that chat throughout an attack, on {@code /ws/raw} ({@link #raw}) or in one room of the chat
 * protocol on {@code /ws} ({@link #chat}): client {@code c} sends the lines {@code c-0}, {@code c-1}, ...
 * one every {@code period}, and every client tallies, per sender, the lines it receives.
 * {@link #assertNothingLost} then checks that every client got every line of every client exactly once
 * and in order; {@link #assertEveryoneGot} does the same for another sender's lines (a flooder's).
 * Anything else that goes wrong (a close, a chat {@code error}, a line out of place) is reported too.
 *
 * <p>A tally is a counter, not a list, so a flood of millions of lines costs no memory here.
 * Thread-safe: the JDK's listener threads tally, any thread asserts.
 */
final class HealthyClients implements AutoCloseable {

    private static final Duration WAIT = Duration.ofSeconds(60);

    /** What a client received from one sender: the next number it expects, and the first thing that was wrong. */
    private static final class Tally {
        private int next;
        private String wrong;

        synchronized void add(int n) {
            if (n != next && wrong == null) {
                wrong = "line " + n + " where " + next + " was due";
            }
            next++;
        }

        synchronized String problem(int expected) {
            return wrong != null ? wrong : next != expected ? next + " of " + expected + " lines" : null;
        }
    }

    private final String room; // null on /ws/raw
    private final List<HttpClient> clients = new ArrayList<>();
    private final List<WebSocket> sockets = new ArrayList<>();
    private final List<Map<String, Tally>> received = new ArrayList<>();
    private final AtomicInteger[] sent;
    private final Queue<String> trouble = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> senders = new ArrayList<>();

    /** {@code count} clients of the broadcast endpoint {@code rawEndpoint}, chatting from now on. */
    static HealthyClients raw(URI rawEndpoint, int count, Duration period) throws Exception {
        return new HealthyClients(rawEndpoint, null, count, period);
    }

    /**
     * {@code count} clients of the chat endpoint {@code chatEndpoint}, logged in as {@code healthy0},
     * {@code healthy1}, ... and chatting in {@code room} from now on (every one has joined it by then).
     */
    static HealthyClients chat(URI chatEndpoint, String room, int count, Duration period) throws Exception {
        return new HealthyClients(chatEndpoint, room, count, period);
    }

    private HealthyClients(URI endpoint, String room, int count, Duration period) throws Exception {
        this.room = room;
        sent = new AtomicInteger[count];
        List<CompletableFuture<Void>> inRoom = new ArrayList<>();
        for (int c = 0; c < count; c++) {
            sent[c] = new AtomicInteger();
            Map<String, Tally> bySender = new ConcurrentHashMap<>();
            received.add(bySender);
            CompletableFuture<Void> joined = new CompletableFuture<>();
            inRoom.add(joined);
            String who = "client " + c;
            // A client each: its own selector thread, so that one listener's stall does not hold up the others.
            HttpClient http = HttpClient.newHttpClient();
            clients.add(http);
            sockets.add(http.newWebSocketBuilder().connectTimeout(WAIT).buildAsync(endpoint, new WebSocket.Listener() {
                private final StringBuilder text = new StringBuilder();

                @Override
                public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                    text.append(data);
                    if (last) {
                        receive(who, text.toString(), bySender, joined);
                        text.setLength(0);
                    }
                    webSocket.request(1);
                    return null;
                }

                @Override
                public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                    fail(who + " was closed: " + statusCode + " " + reason);
                    return null;
                }

                @Override
                public void onError(WebSocket webSocket, Throwable error) {
                    fail(who + " failed: " + error);
                }

                private void fail(String what) {
                    trouble.add(what);
                    joined.completeExceptionally(new AssertionError(what + " before it joined " + room));
                }
            }).get(WAIT.toSeconds(), TimeUnit.SECONDS));
        }
        if (room != null) {
            for (int c = 0; c < count; c++) {
                sockets.get(c).sendText("{\"type\":\"login\",\"name\":\"healthy" + c + "\"}", true).get(WAIT.toSeconds(), TimeUnit.SECONDS);
                sockets.get(c).sendText("{\"type\":\"join\",\"room\":\"" + room + "\"}", true).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            }
            CompletableFuture.allOf(inRoom.toArray(CompletableFuture[]::new)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
        for (int c = 0; c < count; c++) {
            int client = c;
            senders.add(Thread.ofVirtual().name("healthy-sender").start(() -> {
                while (running.get()) {
                    String line = client + "-" + sent[client].get();
                    String frame = room == null ? line
                            : "{\"type\":\"say\",\"room\":\"" + room + "\",\"text\":\"" + line + "\"}";
                    try {
                        sockets.get(client).sendText(frame, true).get(WAIT.toSeconds(), TimeUnit.SECONDS);
                        sent[client].incrementAndGet();
                        Thread.sleep(period);
                    } catch (Exception e) {
                        trouble.add("client " + client + " could not send: " + e);
                        return;
                    }
                }
            }));
        }
    }

    /** Tallies one frame: on {@code /ws/raw} it is a line; in the chat, a line is the text of a {@code message} in the room. */
    private void receive(String who, String frame, Map<String, Tally> bySender, CompletableFuture<Void> joined) {
        String line = frame;
        if (room != null) {
            ChatTestClient.Reply reply = ChatTestClient.Reply.parse(frame);
            switch (reply.type()) {
                case "joined" -> {
                    if (room.equals(reply.string("room"))) {
                        joined.complete(null);
                    }
                    return;
                }
                case "message" -> {
                    if (!room.equals(reply.string("room"))) {
                        return;
                    }
                    line = reply.string("text");
                }
                case "error" -> {
                    trouble.add(who + " got " + frame);
                    return;
                }
                default -> {
                    return; // welcome, presence, room events, typing: not lines
                }
            }
        }
        int dash = line.lastIndexOf('-');
        try {
            bySender.computeIfAbsent(line.substring(0, Math.max(dash, 0)), k -> new Tally())
                    .add(Integer.parseInt(line.substring(dash + 1)));
        } catch (NumberFormatException e) {
            trouble.add(who + " got a line that is none: " + line);
        }
    }

    /**
     * Stops sending and waits up to 60 s until every client received every line sent; fails otherwise.
     * Returns how many lines the clients sent.
     */
    int assertNothingLost() throws Exception {
        running.set(false);
        for (Thread sender : senders) {
            sender.join(WAIT.toMillis());
        }
        int total = 0;
        for (int s = 0; s < sent.length; s++) {
            assertEveryoneGot(Integer.toString(s), sent[s].get());
            total += sent[s].get();
        }
        return total;
    }

    /** Waits up to 60 s until every client received the lines {@code sender-0} to {@code sender-(count-1)}, once and in order. */
    void assertEveryoneGot(String sender, int count) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            String problem = problem(sender, count);
            if (problem == null) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(problem);
            }
            Thread.sleep(50);
        }
    }

    private String problem(String sender, int count) {
        if (!trouble.isEmpty()) {
            return String.join("; ", trouble);
        }
        for (int r = 0; r < received.size(); r++) {
            Tally tally = received.get(r).get(sender);
            String wrong = tally == null ? (count == 0 ? null : "nothing") : tally.problem(count);
            if (wrong != null) {
                return "client " + r + " has from " + sender + ": " + wrong;
            }
        }
        return null;
    }

    @Override
    public void close() {
        running.set(false);
        sockets.forEach(WebSocket::abort);
        clients.forEach(HttpClient::shutdownNow);
    }
}
