package dev.chatengine.bench.soak;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The soak and fault run of issue 8 (not a test): a demo server in a child JVM ({@code -Xmx512m},
 * its default limits, {@code --trusted-proxy 127.0.0.1}) gets, for {@code --duration} (10 minutes by
 * default), at once:
 * <ul>
 *   <li>healthy chat: {@code --healthy} clients of {@code /ws/raw} (1,000 by default), of which
 *       {@code --senders} send numbered messages at {@code --rate} a second each; every healthy
 *       client checks it receives every message of every sender once and in order;</li>
 *   <li>churn: connections that upgrade and close, {@code --churn} a second;</li>
 *   <li>slow readers: {@code --slow} clients that upgrade and never read (the server drops them as
 *       slow consumers; they are replaced as they go);</li>
 *   <li>attacks, one wave every {@code --attack-every}: 300 handshakes stalling after a 388 KB
 *       header line, 500 slowloris heads, an oversize header (431), a head past the hard cap, and
 *       one client address behind the trusted proxy over its caps (429).</li>
 * </ul>
 * It reports the server's heap after a full GC, threads, file descriptors and RSS at the start and
 * at the end, the attack answers seen, and the healthy messages lost. Run:
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar dev.chatengine.bench.soak.SoakRun --duration 10m
 * }</pre>
 * Exit code 0 when nothing was lost, no healthy client was dropped and the server is alive; 1 otherwise.
 */
public final class SoakRun {

    private static final Pattern LISTENING = Pattern.compile("listening on [^ ]+:(\\d+);");
    private static final Pattern HEAP_USED = Pattern.compile("garbage-first heap\\s+total (?:reserved )?\\d+K, (?:committed \\d+K, )?used (\\d+)K");
    private static final int SOCKET_TIMEOUT_MILLIS = 60_000;

    /** The run's settings; see the class comment. */
    record Options(Duration duration, int healthy, int senders, double rate, int churn, int slow, Duration attackEvery,
                   String heap) {

        static Options parse(String... args) {
            Duration duration = Duration.ofMinutes(10);
            int healthy = 1000;
            int senders = 10;
            double rate = 2;
            int churn = 10;
            int slow = 20;
            Duration attackEvery = Duration.ofSeconds(60);
            String heap = "512m";
            for (int i = 0; i + 1 < args.length; i += 2) {
                String value = args[i + 1];
                switch (args[i]) {
                    case "--duration" -> duration = duration(value);
                    case "--healthy" -> healthy = Integer.parseInt(value);
                    case "--senders" -> senders = Integer.parseInt(value);
                    case "--rate" -> rate = Double.parseDouble(value);
                    case "--churn" -> churn = Integer.parseInt(value);
                    case "--slow" -> slow = Integer.parseInt(value);
                    case "--attack-every" -> attackEvery = duration(value);
                    case "--heap" -> heap = value;
                    default -> throw new IllegalArgumentException("unknown option " + args[i]
                            + " (--duration 10m --healthy N --senders N --rate R --churn N --slow N --attack-every 60s --heap 512m)");
                }
            }
            if (args.length % 2 != 0) {
                throw new IllegalArgumentException(args[args.length - 1] + " needs a value");
            }
            return new Options(duration, healthy, Math.min(senders, healthy), rate, churn, slow, attackEvery, heap);
        }

        private static Duration duration(String text) {
            char unit = text.charAt(text.length() - 1);
            long amount = Long.parseLong(text.substring(0, text.length() - 1));
            return switch (unit) {
                case 's' -> Duration.ofSeconds(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                default -> throw new IllegalArgumentException("a duration is like 30s, 10m or 1h: " + text);
            };
        }
    }

    /** What one end of the run measured of the server. */
    record Snapshot(long heapAfterGcBytes, long threads, long fileDescriptors, long rssKib) {
        @Override
        public String toString() {
            return String.format("heap after GC %.1f MiB, threads %d, file descriptors %d, RSS %.1f MiB",
                    heapAfterGcBytes / 1048576.0, threads, fileDescriptors, rssKib / 1024.0);
        }
    }

    /** The outcome, for the smoke test and the exit code. */
    record Result(Snapshot start, Snapshot end, long sent, long lost, int healthyDropped, boolean alive,
                  long attackConnections, long attacksCut, long answered431, long answered429, long churned,
                  long slowOpened) {
        boolean ok() {
            return lost == 0 && healthyDropped == 0 && alive;
        }
    }

    private final Options options;
    private final PrintStream out;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong attackConnections = new AtomicLong();
    private final AtomicLong attacksCut = new AtomicLong();
    private final AtomicLong answered431 = new AtomicLong();
    private final AtomicLong answered429 = new AtomicLong();
    private final AtomicLong churned = new AtomicLong();
    private final AtomicLong slowOpened = new AtomicLong();

    SoakRun(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        Result result = new SoakRun(Options.parse(args), System.out).run();
        System.exit(result.ok() ? 0 : 1);
    }

    Result run() throws Exception {
        out.println("soak: " + options);
        Process server = startServer();
        try {
            int port = awaitPort(server);
            URI raw = URI.create("ws://127.0.0.1:" + port + "/ws/raw");
            HttpClient http = HttpClient.newHttpClient();
            List<Receiver> receivers = connectHealthy(http, raw);
            Thread.sleep(2000);
            Snapshot start = snapshot(server.pid());
            out.println("soak: start: " + start + "; " + receivers.size() + " healthy clients");

            AtomicLongArray sent = new AtomicLongArray(options.senders());
            List<Thread> load = new ArrayList<>();
            for (int s = 0; s < options.senders(); s++) {
                int sender = s;
                load.add(Thread.ofVirtual().name("soak-sender").start(() -> send(receivers.get(sender).socket, sender, sent)));
            }
            load.add(Thread.ofVirtual().name("soak-churn").start(() -> churn(port)));
            load.add(Thread.ofVirtual().name("soak-slow").start(() -> slowReaders(port)));
            load.add(Thread.ofVirtual().name("soak-attacks").start(() -> attacks(port)));

            long deadline = System.nanoTime() + options.duration().toNanos();
            long nextReport = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline && server.isAlive()) {
                Thread.sleep(200);
                if (System.nanoTime() > nextReport) {
                    nextReport += TimeUnit.SECONDS.toNanos(30);
                    out.printf("soak: %ds: sent %d, attack connections %d (cut %d), 431 %d, 429 %d, churned %d, slow %d, RSS %.0f MiB%n",
                            (int) ((options.duration().toNanos() - (deadline - System.nanoTime())) / 1_000_000_000L),
                            total(sent), attackConnections.get(), attacksCut.get(), answered431.get(), answered429.get(),
                            churned.get(), slowOpened.get(), rssKib(server.pid()) / 1024.0);
                }
            }
            running.set(false);
            for (Thread thread : load) {
                thread.join(TimeUnit.MINUTES.toMillis(2));
            }
            long lost = awaitDelivered(receivers, sent);
            int dropped = (int) receivers.stream().filter(r -> r.closed.get()).count();
            boolean alive = server.isAlive();
            Thread.sleep(3000); // sessions of the churn and the attacks end
            Snapshot end = alive ? snapshot(server.pid()) : new Snapshot(-1, -1, -1, -1);
            Result result = new Result(start, end, total(sent), lost, dropped, alive, attackConnections.get(),
                    attacksCut.get(), answered431.get(), answered429.get(), churned.get(), slowOpened.get());
            out.println("soak: end:   " + end);
            out.printf("soak: %d healthy messages sent to %d clients (%d deliveries expected), %d lost, %d healthy clients dropped; "
                            + "server alive: %s%n", result.sent(), receivers.size(), result.sent() * receivers.size(), lost,
                    dropped, alive);
            out.printf("soak: attack connections %d (cut by the server %d), 431 answers %d, 429 answers %d, churned %d, "
                    + "slow readers %d%n", result.attackConnections(), result.attacksCut(), result.answered431(),
                    result.answered429(), result.churned(), result.slowOpened());
            receivers.forEach(r -> r.socket.abort());
            return result;
        } finally {
            server.destroy();
            if (!server.waitFor(30, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    private Process startServer() throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java, "-Xmx" + options.heap(), "-XX:+ExitOnOutOfMemoryError",
                "--add-opens", "jdk.httpserver/sun.net.httpserver=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "dev.chatengine.demo.ChatDemo", "--port", "0", "--trusted-proxy", "127.0.0.1");
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    /** Reads the server's output, echoing WARNING and worse lines, and returns its port. */
    private int awaitPort(Process server) throws Exception {
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("soak-server-output").start(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    Matcher matcher = LISTENING.matcher(line);
                    if (matcher.find()) {
                        port.complete(Integer.parseInt(matcher.group(1)));
                    }
                    if (line.contains("WARNING") || line.contains("SEVERE") || line.contains("ERROR") || line.contains("fatal")) {
                        out.println("server: " + line);
                    }
                }
            } catch (IOException e) {
                // ended
            }
            port.completeExceptionally(new IOException("the server ended before it listened"));
        });
        return port.get(120, TimeUnit.SECONDS);
    }

    /** A healthy client: counts, per sender, the next sequence number it expects. */
    private static final class Receiver implements WebSocket.Listener {
        final AtomicLongArray next;
        final AtomicLong outOfOrder = new AtomicLong();
        final AtomicBoolean closed = new AtomicBoolean();
        private final StringBuilder text = new StringBuilder();
        WebSocket socket;

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

    private List<Receiver> connectHealthy(HttpClient http, URI raw) throws Exception {
        List<Receiver> receivers = new CopyOnWriteArrayList<>();
        Semaphore inFlight = new Semaphore(64);
        List<CompletableFuture<WebSocket>> pending = new ArrayList<>();
        for (int i = 0; i < options.healthy(); i++) {
            Receiver receiver = new Receiver(options.senders());
            inFlight.acquire();
            CompletableFuture<WebSocket> connecting = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(60))
                    .buildAsync(raw, receiver).whenComplete((ws, e) -> inFlight.release());
            pending.add(connecting.thenApply(ws -> {
                receiver.socket = ws;
                receivers.add(receiver);
                return ws;
            }));
        }
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
        // Senders are the first clients: receivers.get(s) sends as sender s.
        return List.copyOf(receivers);
    }

    private void send(WebSocket socket, int sender, AtomicLongArray sent) {
        long periodNanos = (long) (1e9 / options.rate());
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
                out.println("soak: sender " + sender + " failed: " + e);
                return;
            }
        }
    }

    /** Waits up to 60 s until every healthy client has every message; returns how many deliveries are missing. */
    private long awaitDelivered(List<Receiver> receivers, AtomicLongArray sent) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
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

    private void churn(int port) {
        long periodNanos = options.churn() > 0 ? 1_000_000_000L / options.churn() : Long.MAX_VALUE;
        while (running.get()) {
            try (Socket socket = socket(port)) {
                if (head(socket, handshake("")).startsWith("HTTP/1.1 101 ")) {
                    churned.incrementAndGet();
                }
                socket.getOutputStream().write(new byte[] {(byte) 0x88, (byte) 0x82, 1, 2, 3, 4, 0x03 ^ 1, (byte) (0xE8 ^ 2)});
            } catch (IOException e) {
                // the next one
            }
            sleepNanos(periodNanos);
        }
    }

    /**
     * Keeps {@code --slow} clients that upgrade and never read, a new batch every 30 s (the server
     * drops those whose queue fills: that is the point), the old batch closed.
     */
    private void slowReaders(int port) {
        List<Socket> open = new ArrayList<>();
        while (running.get()) {
            List<Socket> batch = new ArrayList<>();
            for (int i = 0; i < options.slow() && running.get(); i++) {
                try {
                    Socket socket = socket(port);
                    socket.setReceiveBufferSize(4096);
                    batch.add(socket);
                    if (head(socket, handshake("")).startsWith("HTTP/1.1 101 ")) {
                        slowOpened.incrementAndGet();
                    }
                } catch (IOException e) {
                    break;
                }
            }
            open.forEach(SoakRun::closeQuietly);
            open = batch;
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (running.get() && System.nanoTime() < until) {
                sleepNanos(TimeUnit.MILLISECONDS.toNanos(200));
            }
        }
        open.forEach(SoakRun::closeQuietly);
    }

    private void attacks(int port) {
        while (running.get()) {
            List<Thread> wave = new ArrayList<>();
            String hugeHeader = "GET /ws HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(388 * 1024);
            for (int i = 0; i < 300; i++) {
                wave.add(stalled(port, hugeHeader));
            }
            for (int i = 0; i < 500; i++) {
                wave.add(stalled(port, "GET / HTTP/1.1\r\nHost: x\r\nX-a: b\r\n"));
            }
            try (Socket socket = socket(port)) {
                if (head(socket, handshake("X-Big: " + "a".repeat(40 * 1024) + "\r\n")).startsWith("HTTP/1.1 431 ")) {
                    answered431.incrementAndGet();
                }
            } catch (IOException e) {
                // counted by its absence
            }
            wave.add(stalled(port, handshake("X-Big: " + "a".repeat(100 * 1024) + "\r\n")));
            List<Socket> sameAddress = new ArrayList<>();
            for (int i = 0; i < 80; i++) {
                try {
                    Socket socket = socket(port);
                    sameAddress.add(socket);
                    if (head(socket, handshake("X-Forwarded-For: 203.0.113.9\r\n")).startsWith("HTTP/1.1 429 ")) {
                        answered429.incrementAndGet();
                        break;
                    }
                } catch (IOException e) {
                    break;
                }
            }
            sameAddress.forEach(SoakRun::closeQuietly);
            for (Thread thread : wave) {
                try {
                    thread.join(TimeUnit.MINUTES.toMillis(2));
                } catch (InterruptedException e) {
                    return;
                }
            }
            long waveEnd = System.nanoTime() + options.attackEvery().toNanos();
            while (running.get() && System.nanoTime() < waveEnd) {
                sleepNanos(TimeUnit.MILLISECONDS.toNanos(200));
            }
        }
    }

    /** One attacking connection: sends {@code bytes}, stalls, and counts whether the server cut it. */
    private Thread stalled(int port, String bytes) {
        attackConnections.incrementAndGet();
        return Thread.ofVirtual().name("soak-attacker").start(() -> {
            try (Socket socket = socket(port)) {
                Thread writer = Thread.ofVirtual().start(() -> {
                    try {
                        socket.getOutputStream().write(bytes.getBytes(StandardCharsets.ISO_8859_1));
                    } catch (IOException e) {
                        // cut while writing
                    }
                });
                try {
                    if (socket.getInputStream().read() < 0) {
                        attacksCut.incrementAndGet();
                    }
                } catch (SocketException reset) {
                    attacksCut.incrementAndGet();
                }
                writer.join();
            } catch (IOException | InterruptedException e) {
                // not counted as cut
            }
        });
    }

    private static String handshake(String extraHeaders) {
        return "GET /ws/raw HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n" + extraHeaders + "\r\n";
    }

    private static Socket socket(int port) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(SOCKET_TIMEOUT_MILLIS);
        return socket;
    }

    private static String head(Socket socket, String request) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(request.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return head.toString();
            }
            head.append((char) b);
        }
        return head.toString();
    }

    private Snapshot snapshot(long pid) throws Exception {
        jcmd(pid, "GC.run");
        Matcher heap = HEAP_USED.matcher(jcmd(pid, "GC.heap_info"));
        long heapBytes = heap.find() ? Long.parseLong(heap.group(1)) * 1024 : -1;
        return new Snapshot(heapBytes, count(Path.of("/proc", Long.toString(pid), "task")),
                count(Path.of("/proc", Long.toString(pid), "fd")), rssKib(pid));
    }

    private static long count(Path directory) {
        try (var entries = Files.list(directory)) {
            return entries.count();
        } catch (IOException e) {
            return -1;
        }
    }

    private static long rssKib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // unknown
        }
        return -1;
    }

    private static String jcmd(long pid, String command) throws Exception {
        Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid), command).redirectErrorStream(true).start();
        String text = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        jcmd.waitFor(60, TimeUnit.SECONDS);
        return text;
    }

    private static long total(AtomicLongArray counts) {
        long sum = 0;
        for (int i = 0; i < counts.length(); i++) {
            sum += counts.get(i);
        }
        return sum;
    }

    private static void sleepNanos(long nanos) {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
