package dev.chatengine.demo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Clients of {@code /ws/raw} that chat throughout an attack: each sends a numbered message every
 * {@code period} and records, per sender, what it received; {@link #assertNothingLost} then checks
 * that every client got every message of every client, once and in order.
 */
final class HealthyClients implements AutoCloseable {

    private final List<WebSocket> sockets = new ArrayList<>();
    private final List<Map<Integer, List<Integer>>> received = new ArrayList<>();
    private final AtomicInteger[] sent;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> senders = new ArrayList<>();

    HealthyClients(URI rawEndpoint, int count, Duration period) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        sent = new AtomicInteger[count];
        for (int c = 0; c < count; c++) {
            sent[c] = new AtomicInteger();
            Map<Integer, List<Integer>> bySender = new ConcurrentHashMap<>();
            received.add(bySender);
            sockets.add(http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(30)).buildAsync(rawEndpoint,
                    new WebSocket.Listener() {
                        private final StringBuilder text = new StringBuilder();

                        @Override
                        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                            text.append(data);
                            if (last) {
                                String[] parts = text.toString().split("-");
                                text.setLength(0);
                                bySender.computeIfAbsent(Integer.parseInt(parts[0]), k -> new ArrayList<>())
                                        .add(Integer.parseInt(parts[1]));
                            }
                            webSocket.request(1);
                            return null;
                        }
                    }).get(30, TimeUnit.SECONDS));
        }
        for (int c = 0; c < count; c++) {
            int client = c;
            senders.add(Thread.ofVirtual().name("healthy-sender").start(() -> {
                while (running.get()) {
                    int n = sent[client].get();
                    try {
                        sockets.get(client).sendText(client + "-" + n, true).get(30, TimeUnit.SECONDS);
                        sent[client].incrementAndGet();
                        Thread.sleep(period);
                    } catch (Exception e) {
                        return; // the assertion below reports it as a loss
                    }
                }
            }));
        }
    }

    /** Stops sending and waits up to 60 s until every client received every message sent; fails otherwise. */
    int assertNothingLost() throws Exception {
        running.set(false);
        for (Thread sender : senders) {
            sender.join(TimeUnit.SECONDS.toMillis(60));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            String problem = problem();
            if (problem == null) {
                int total = 0;
                for (AtomicInteger count : sent) {
                    total += count.get();
                }
                return total;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(problem);
            }
            Thread.sleep(50);
        }
    }

    private String problem() {
        for (int r = 0; r < received.size(); r++) {
            for (int s = 0; s < sent.length; s++) {
                List<Integer> got = received.get(r).getOrDefault(s, List.of());
                int expected = sent[s].get();
                synchronized (got) {
                    if (got.size() != expected) {
                        return "client " + r + " has " + got.size() + " of the " + expected + " messages of client " + s;
                    }
                    for (int i = 0; i < expected; i++) {
                        if (got.get(i) != i) {
                            return "client " + r + " got client " + s + "'s messages out of order: " + got;
                        }
                    }
                }
            }
        }
        return null;
    }

    @Override
    public void close() {
        running.set(false);
        sockets.forEach(WebSocket::abort);
    }
}
