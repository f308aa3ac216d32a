package dev.chatengine.bench.soak;

import dev.chatengine.engine.chat.ChatConfig;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Attacks on the chat protocol, one wave every {@code every}; every attacker is cut or leaves at the
 * end of its part of the wave:
 * <ol>
 *   <li>spam: 20 clients log in, then send {@code rooms} and a rejoin of the lobby as fast as the socket
 *       takes them, and never read (the server should rate-limit them and drop them as slow);</li>
 *   <li>room fill: clients of one address (behind the trusted proxy) make rooms one by one until the
 *       server's per-address cap answers, recording the answer and how many rooms were made; then 25
 *       clients of another address make rooms in parallel, all sending their joins at the same moment, to
 *       check that the cap holds under concurrency too (more rooms than the cap fail the run);</li>
 *   <li>whisper flood: 8 clients whisper to one healthy user at 50 a second each, reading the replies
 *       (counting {@code rate_limited}); the target must not be dropped;</li>
 *   <li>lobby login burst: 100 clients connect and log in at once, then leave.</li>
 * </ol>
 *
 * <p>Thread contract: {@link #start} and {@link #stop} are called by the run's thread; the counters may
 * be read from any thread.
 */
final class ChatAttacks {

    private static final int SPAMMERS = 20;
    private static final long SPAM_SECONDS = 4;
    private static final int SPAMMER_RECEIVE_BUFFER_BYTES = 4096;
    /** Per-client room cap (50, the lobby included) leaves 49 rooms a filling client can make. */
    private static final int ROOMS_PER_FILLER = 49;
    private static final int FILL_ATTEMPTS = 400;
    /**
     * Under the per-address caps on connections (64) and handshake bursts (30). With 25 connections
     * sending at once, a probe saw 101 to 103 rooms made in about one trial of six (a check-then-act
     * race in the engine's per-address count); with 4 it never did.
     */
    private static final int PARALLEL_FILLERS = 25;
    /** 200 joins in all, at twice the cap; well within each connection's burst of 40 requests. */
    private static final int PARALLEL_JOINS_EACH = 8;
    private static final long PARALLEL_START_TIMEOUT_SECONDS = 30;
    private static final int FLOODERS = 8;
    private static final int FLOOD_PER_SECOND_EACH = 50;
    private static final long FLOOD_SECONDS = 4;
    private static final int LOGIN_BURST = 100;
    private static final String PER_ADDRESS_CAP = "made too many rooms";
    /** The demo keeps the engine's default per-address room cap. */
    private static final int PER_ADDRESS_CAP_ROOMS = ChatConfig.DEFAULT_MAX_ROOMS_PER_ADDRESS;

    private final int port;
    private final Duration every;
    private final String target;
    private final PrintStream log;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private Thread thread;
    private int wave;

    private final AtomicLong spamFrames = new AtomicLong();
    private final AtomicLong spammers = new AtomicLong();
    private final AtomicLong spammersCut = new AtomicLong();
    private final List<Integer> fillMade = new CopyOnWriteArrayList<>();
    private final List<Integer> parallelFillMade = new CopyOnWriteArrayList<>();
    private volatile String fillAnswer = "none";
    private final AtomicLong whispers = new AtomicLong();
    private final AtomicLong whispersAccepted = new AtomicLong();
    private final AtomicLong whispersRateLimited = new AtomicLong();
    private final AtomicLong floodersDropped = new AtomicLong();
    private final AtomicLong burstLogins = new AtomicLong();
    private final AtomicLong burstFailed = new AtomicLong();
    private final AtomicInteger waves = new AtomicInteger();

    /** @param target the name of the healthy user the whisper flood aims at */
    ChatAttacks(int port, Duration every, String target, PrintStream log) {
        this.port = port;
        this.every = every;
        this.target = target;
        this.log = log;
    }

    void start() {
        thread = Thread.ofVirtual().name("soak-chat-attacks").start(this::runWaves);
    }

    void stop() throws InterruptedException {
        running.set(false);
        thread.join(TimeUnit.MINUTES.toMillis(3));
    }

    private void runWaves() {
        while (running.get()) {
            wave++;
            try {
                spam();
                roomFill();
                parallelRoomFill();
                whisperFlood();
                loginBurst();
            } catch (InterruptedException e) {
                return;
            }
            waves.incrementAndGet();
            Pause.whileRunning(running, every.toNanos());
        }
    }

    // ---- spam ----

    private void spam() throws InterruptedException {
        List<Wire> wires = new CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();
        AtomicBoolean spamming = new AtomicBoolean(true);
        for (int i = 0; i < SPAMMERS; i++) {
            String name = "s" + wave + "x" + i;
            threads.add(Thread.ofVirtual().name("soak-spammer").start(() -> {
                Wire wire;
                try {
                    wire = Wire.open(port, "/ws", "", SPAMMER_RECEIVE_BUFFER_BYTES);
                    wires.add(wire);
                    ChatClients.login(wire, name);
                } catch (IOException e) {
                    log.println("soak: spammer " + name + " could not log in: " + e.getMessage());
                    return;
                }
                spammers.incrementAndGet();
                String rooms = ChatJson.rooms();
                String rejoin = ChatJson.join("lobby", "again");
                try {
                    while (spamming.get()) {
                        wire.sendText(rooms);
                        wire.sendText(rejoin);
                        spamFrames.addAndGet(2);
                    }
                } catch (IOException e) {
                    if (spamming.get()) {
                        spammersCut.incrementAndGet(); // the server closed it before the wave ended
                    }
                }
            }));
        }
        Thread.sleep(TimeUnit.SECONDS.toMillis(SPAM_SECONDS));
        spamming.set(false);
        wires.forEach(Wire::abort);
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(30));
        }
    }

    // ---- room fill ----

    /** One address makes rooms, one at a time, until the per-address cap answers. */
    private void roomFill() {
        String address = "X-Forwarded-For: 198.51.100." + (1 + wave % 250) + "\r\n";
        List<Wire> fillers = new ArrayList<>();
        int made = 0;
        int inThisClient = ROOMS_PER_FILLER;
        Wire wire = null;
        try {
            for (int attempt = 0; attempt < FILL_ATTEMPTS; attempt++) { // a second or two: not cut short by stop
                if (inThisClient == ROOMS_PER_FILLER) {
                    wire = Wire.open(port, "/ws", address, 0);
                    fillers.add(wire);
                    ChatClients.login(wire, "f" + wave + "x" + fillers.size());
                    inThisClient = 0;
                }
                String room = "fill-" + wave + "-" + made;
                String ref = "f" + attempt;
                wire.sendText(ChatJson.join(room, ref));
                String reply = replyTo(wire, ref);
                switch (String.valueOf(ChatJson.field(reply, "type"))) {
                    case "joined" -> {
                        made++;
                        inThisClient++;
                    }
                    case "error" -> {
                        String code = ChatJson.field(reply, "code");
                        if ("rate_limited".equals(code)) {
                            Thread.sleep(ChatJson.retryAfterMillis(reply, 50));
                        } else {
                            fillAnswer = code + " \"" + ChatJson.errorMessage(reply) + "\" after " + made + " rooms";
                            if (!ChatJson.errorMessage(reply).contains(PER_ADDRESS_CAP)) {
                                log.println("soak: room fill got an unexpected answer: " + reply);
                            }
                            fillMade.add(made);
                            return;
                        }
                    }
                    default -> throw new IOException("unexpected reply to a join: " + reply);
                }
            }
            log.println("soak: room fill made " + made + " rooms without hearing the cap");
            fillMade.add(made);
        } catch (IOException | InterruptedException e) {
            log.println("soak: room fill failed after " + made + " rooms: " + e.getMessage());
            fillMade.add(-made - 1);
        } finally {
            fillers.forEach(Wire::close);
        }
    }

    /** Several connections of one address each send a burst of joins of new rooms at once. */
    private void parallelRoomFill() throws InterruptedException {
        String address = "X-Forwarded-For: 198.51.101." + (1 + wave % 250) + "\r\n";
        AtomicInteger made = new AtomicInteger();
        List<Wire> wires = new CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();
        CyclicBarrier ready = new CyclicBarrier(PARALLEL_FILLERS);
        for (int f = 0; f < PARALLEL_FILLERS; f++) {
            int filler = f;
            threads.add(Thread.ofVirtual().name("soak-parallel-filler").start(() -> {
                try {
                    Wire wire = Wire.open(port, "/ws", address, 0);
                    wires.add(wire);
                    ChatClients.login(wire, "p" + wave + "x" + filler);
                    ready.await(PARALLEL_START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    for (int i = 0; i < PARALLEL_JOINS_EACH; i++) {
                        wire.sendText(ChatJson.join("par-" + wave + "-" + filler + "-" + i, "p" + i));
                    }
                    for (int answered = 0; answered < PARALLEL_JOINS_EACH; ) {
                        String reply = wire.readText();
                        if (reply == null) {
                            throw new IOException("closed by the server, code " + wire.closeCode());
                        }
                        String ref = ChatJson.field(reply, "ref");
                        if (ref != null && ref.startsWith("p") || isUnreferencedError(reply)) {
                            answered++;
                            if ("joined".equals(ChatJson.field(reply, "type"))) {
                                made.incrementAndGet();
                            }
                        }
                    }
                } catch (IOException | BrokenBarrierException | TimeoutException e) {
                    log.println("soak: parallel room filler " + filler + " failed: " + e);
                    ready.reset(); // the others stop waiting
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(60));
        }
        parallelFillMade.add(made.get());
        wires.forEach(Wire::close);
        if (made.get() > PER_ADDRESS_CAP_ROOMS) {
            log.println("soak: the per-address room cap (" + PER_ADDRESS_CAP_ROOMS + ") let one address make "
                    + made.get() + " rooms in parallel");
        }
    }

    /** An error that carries no ref: the answer to a request that was not read (rate_limited, bad_json). */
    private static boolean isUnreferencedError(String reply) {
        return "error".equals(ChatJson.field(reply, "type")) && ChatJson.field(reply, "ref") == null;
    }

    /** Reads replies until the one that carries {@code ref} (or an error that carries none). */
    private static String replyTo(Wire wire, String ref) throws IOException {
        String reply;
        while ((reply = wire.readText()) != null) {
            if (ref.equals(ChatJson.field(reply, "ref")) || isUnreferencedError(reply)) {
                return reply;
            }
        }
        throw new IOException("closed by the server, code " + wire.closeCode());
    }

    // ---- whisper flood ----

    private void whisperFlood() throws InterruptedException {
        List<Wire> wires = new CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();
        AtomicBoolean flooding = new AtomicBoolean(true);
        for (int i = 0; i < FLOODERS; i++) {
            String name = "w" + wave + "x" + i;
            threads.add(Thread.ofVirtual().name("soak-flooder").start(() -> {
                Wire wire;
                try {
                    wire = Wire.open(port, "/ws", "", 0);
                    wires.add(wire);
                    ChatClients.login(wire, name);
                } catch (IOException e) {
                    log.println("soak: flooder " + name + " could not log in: " + e.getMessage());
                    return;
                }
                Thread reader = Thread.ofVirtual().name("soak-flooder-reader").start(() -> readFloodReplies(wire, flooding));
                String whisper = ChatJson.whisper(target, "flood");
                long periodNanos = TimeUnit.SECONDS.toNanos(1) / FLOOD_PER_SECOND_EACH;
                try {
                    while (flooding.get()) {
                        wire.sendText(whisper);
                        whispers.incrementAndGet();
                        Pause.nanos(periodNanos);
                    }
                } catch (IOException e) {
                    // counted by the reader
                }
                try {
                    reader.join(TimeUnit.SECONDS.toMillis(30));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        Thread.sleep(TimeUnit.SECONDS.toMillis(FLOOD_SECONDS));
        flooding.set(false);
        Thread.sleep(500); // the last replies
        wires.forEach(Wire::close);
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(30));
        }
    }

    private void readFloodReplies(Wire wire, AtomicBoolean flooding) {
        try {
            String reply;
            while ((reply = wire.readText()) != null) {
                switch (String.valueOf(ChatJson.field(reply, "type"))) {
                    case "direct" -> whispersAccepted.incrementAndGet();
                    case "error" -> {
                        if ("rate_limited".equals(ChatJson.field(reply, "code"))) {
                            whispersRateLimited.incrementAndGet();
                        } else {
                            log.println("soak: flooder got " + reply);
                        }
                    }
                    default -> {
                    }
                }
            }
            if (flooding.get()) {
                floodersDropped.incrementAndGet();
            }
        } catch (IOException e) {
            if (flooding.get()) {
                floodersDropped.incrementAndGet();
            }
        }
    }

    // ---- login burst ----

    private void loginBurst() throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < LOGIN_BURST; i++) {
            String name = "b" + wave + "x" + i;
            threads.add(Thread.ofVirtual().name("soak-login-burst").start(() -> {
                try (Wire wire = Wire.open(port, "/ws", "", 0)) {
                    ChatClients.login(wire, name);
                    burstLogins.incrementAndGet();
                } catch (IOException e) {
                    if (burstFailed.incrementAndGet() <= 3) {
                        log.println("soak: burst login " + name + " failed: " + e.getMessage());
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(60));
        }
    }

    // ---- what was seen ----

    int waves() {
        return waves.get();
    }

    long spamFrames() {
        return spamFrames.get();
    }

    long spammers() {
        return spammers.get();
    }

    /** Spammers the server closed while they were spamming. */
    long spammersCut() {
        return spammersCut.get();
    }

    /** The cap's answer to the sequential fill, as last seen ("none" before the first wave). */
    String fillAnswer() {
        return fillAnswer;
    }

    /** Rooms made before the cap answered, per wave (sequential fill; negative when the fill failed). */
    List<Integer> fillMade() {
        return List.copyOf(fillMade);
    }

    /** Whether no parallel fill made more rooms than the per-address cap. */
    boolean roomCapHeld() {
        return parallelFillMade.stream().allMatch(made -> made <= PER_ADDRESS_CAP_ROOMS);
    }

    /** Rooms made by the parallel fill, per wave. */
    List<Integer> parallelFillMade() {
        return List.copyOf(parallelFillMade);
    }

    long whispers() {
        return whispers.get();
    }

    long whispersAccepted() {
        return whispersAccepted.get();
    }

    long whispersRateLimited() {
        return whispersRateLimited.get();
    }

    long floodersDropped() {
        return floodersDropped.get();
    }

    long burstLogins() {
        return burstLogins.get();
    }

    long burstFailed() {
        return burstFailed.get();
    }
}
