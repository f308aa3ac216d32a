package dev.chatengine.bench.soak;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The healthy clients of {@code /ws/raw} (the JDK's WebSocket client): the first {@code senders} of
 * them send numbered messages ({@code s<sender>-<seq>}) at {@code rate} a second each, and every one
 * checks it receives every message of every sender once and in order.
 *
 * <p>Thread contract: {@link #connect}, {@link #start}, {@link #stop}, {@link #awaitDelivered} and
 * {@link #abort} are called by the run's thread; the counters may be read from any thread.
 */
final class RawClients {

    private static final int CONNECTS_IN_FLIGHT = 64;
    private static final long CONNECT_TIMEOUT_MINUTES = 5;

    private final int clients;
    private final int senders;
    private final double rate;
    private final PrintStream log;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLongArray sent;
    private final List<Thread> threads = new ArrayList<>();
    private List<Receiver> receivers = List.of();

    RawClients(int clients, int senders, double rate, PrintStream log) {
        this.clients = clients;
        this.senders = Math.min(senders, clients);
        this.rate = rate;
        this.log = log;
        this.sent = new AtomicLongArray(this.senders);
    }

    /** Connects every client (at most 64 handshakes at a time). */
    void connect(int port) throws Exception {
        URI raw = URI.create("ws://127.0.0.1:" + port + "/ws/raw");
        HttpClient http = HttpClient.newHttpClient();
        List<Receiver> connected = new CopyOnWriteArrayList<>();
        Semaphore inFlight = new Semaphore(CONNECTS_IN_FLIGHT);
        List<CompletableFuture<WebSocket>> pending = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            Receiver receiver = new Receiver(senders);
            inFlight.acquire();
            CompletableFuture<WebSocket> connecting = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(60))
                    .buildAsync(raw, receiver).whenComplete((ws, e) -> inFlight.release());
            pending.add(connecting.thenApply(ws -> {
                receiver.socket = ws;
                connected.add(receiver);
                return ws;
            }));
        }
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(CONNECT_TIMEOUT_MINUTES, TimeUnit.MINUTES);
        receivers = List.copyOf(connected);
    }

    /** Starts the senders: receivers.get(s) sends as sender s. */
    void start() {
        for (int s = 0; s < senders; s++) {
            int sender = s;
            threads.add(Thread.ofVirtual().name("soak-raw-sender").start(() -> send(receivers.get(sender).socket, sender)));
        }
    }

    /** Stops the senders and waits for them. */
    void stop() throws InterruptedException {
        running.set(false);
        for (Thread thread : threads) {
            thread.join(TimeUnit.MINUTES.toMillis(2));
        }
    }

    int connected() {
        return receivers.size();
    }

    long sent() {
        long sum = 0;
        for (int i = 0; i < sent.length(); i++) {
            sum += sent.get(i);
        }
        return sum;
    }

    /** Healthy clients the server closed or that failed. */
    int dropped() {
        return (int) receivers.stream().filter(r -> r.closed.get()).count();
    }

    /** Waits up to {@code timeout} until every client has every message; returns how many deliveries are missing. */
    long awaitDelivered(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long missing = 0;
            for (Receiver receiver : receivers) {
                for (int s = 0; s < sent.length(); s++) {
                    missing += Math.max(0, sent.get(s) - receiver.next.get(s));
                }
                missing += receiver.outOfOrder.get();
            }
            if (missing == 0 || System.nanoTime() > deadline) {
                return missing;
            }
            Thread.sleep(100);
        }
    }

    void abort() {
        receivers.forEach(r -> r.socket.abort());
    }

    private void send(WebSocket socket, int sender) {
        long periodNanos = (long) (1e9 / rate);
        long next = System.nanoTime();
        while (running.get()) {
            try {
                socket.sendText("s" + sender + "-" + sent.get(sender), true).get(60, TimeUnit.SECONDS);
                sent.incrementAndGet(sender);
                next += periodNanos;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
            } catch (Exception e) {
                log.println("soak: raw sender " + sender + " failed: " + e);
                return;
            }
        }
    }

    /** A healthy client: counts, per sender, the next sequence number it expects. */
    private static final class Receiver implements WebSocket.Listener {
        final AtomicLongArray next;
        final AtomicLong outOfOrder = new AtomicLong();
        final AtomicBoolean closed = new AtomicBoolean();
        private final StringBuilder text = new StringBuilder();
        volatile WebSocket socket;

        Receiver(int senders) {
            next = new AtomicLongArray(senders);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                String message = text.toString();
                text.setLength(0);
                int dash = message.indexOf('-');
                if (message.startsWith("s") && dash > 0) {
                    int sender = Integer.parseInt(message.substring(1, dash));
                    long seq = Long.parseLong(message.substring(dash + 1));
                    if (next.get(sender) == seq) {
                        next.incrementAndGet(sender);
                    } else {
                        outOfOrder.incrementAndGet();
                        next.set(sender, seq + 1);
                    }
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.set(true);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.set(true);
        }
    }
}
