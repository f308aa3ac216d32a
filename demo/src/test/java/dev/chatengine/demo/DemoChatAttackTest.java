package dev.chatengine.demo;

import dev.chatengine.engine.HubConfig;
import dev.chatengine.engine.chat.ChatConfig;
import dev.chatengine.testing.ChatTestClient;
import dev.chatengine.testing.ChatTestClient.Reply;
import dev.chatengine.testing.WebSocketTestClient;
import org.junit.jupiter.api.Test;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 8's chat-level attacks against a demo in a child JVM with {@code -Xmx256m}, over real sockets,
 * while 5 healthy users chat in room {@code healthy} (a numbered line each every 100 ms; at the end each
 * must have every other's lines exactly once and in order):
 * <ol>
 *   <li>clients that never read spam large replies ({@code rooms} with 243 rooms, a rejoin of a 64 KiB
 *       history with {@code since:0}) at their rate limit: the heap stays within their send queues' bound
 *       and returns near its baseline once they are gone;</li>
 *   <li>20 senders whisper 20 texts of 4,096 characters each at one user: they get {@code rate_limited},
 *       and the user stays connected and gets exactly the whispers that were accepted;</li>
 *   <li>a {@code /ws/raw} client floods as fast as TCP takes it while 20 clients read: none is dropped, and
 *       each gets every flooded line once and in order (the server reads the flooder slower instead);</li>
 *   <li>one address fills its room quota ({@code bad_room} past 100) and leaves; after the room expiry
 *       ({@code --room-expiry 2s}) new rooms are accepted again, and an old name made again is a new
 *       epoch that answers a recovery with {@code recovered:false};</li>
 *   <li>the {@code rooms} reply is one page of at most 100 with {@code total} and a cursor that gives the
 *       rest, and a rejoin without {@code since} answers no history.</li>
 * </ol>
 * One child for all five, in turn (the room list first, while the room table holds still), so the heap
 * and the healthy users see each. Numbered as in the issue; each prints what it measured.
 * Loopback only; every wait is a generous deadline on a condition, never a sleep that correctness
 * depends on. About 20 s.
 */
class DemoChatAttackTest {

    private static final String HEALTHY_ROOM = "healthy";
    /** Client addresses named by the trusted proxy (TEST-NET-3), for the per-address room quota. */
    private static final String HOLDERS_ADDRESS = "203.0.113.";
    private static final String MAKERS_ADDRESS = "203.0.113.40";
    private static final int HOLDERS = 6;
    private static final int ROOMS_PER_HOLDER = 40;
    /** The holders' rooms, lobby, healthy and big: three pages of the room list. */
    private static final int ROOMS = HOLDERS * ROOMS_PER_HOLDER + 3;
    private static final Duration ROOM_EXPIRY = Duration.ofSeconds(2);
    private static final String TEXT_4096 = "x".repeat(ChatConfig.DEFAULT_MAX_TEXT_CHARS);
    /**
     * What the heap may hold under attack beyond the baseline and the non-readers' send queues (each at most
     * {@link HubConfig#DEFAULT_SEND_QUEUE_BYTES}): their sessions and the healthy users' traffic.
     */
    private static final long UNDER_ATTACK_SLACK_BYTES = 8L * 1024 * 1024;
    private static final String SLOW_DROPS = "chat_clients_dropped_total{endpoint=\"%s\",reason=\"slow_consumer\"}";

    private DemoProcess demo;
    private URI ws;
    private Clients clients;

    @Test
    void chatAttacksLeaveTheProcessAliveTheHealthyUsersWholeAndTheHeapNearItsBaseline() throws Exception {
        long start = System.nanoTime();
        try (DemoProcess demo = DemoProcess.start(List.of("-Xmx256m"),
                List.of("--trusted-proxy", "127.0.0.1", "--room-expiry", ROOM_EXPIRY.toSeconds() + "s"), 0);
             Clients clients = new Clients()) {
            this.demo = demo;
            this.clients = clients;
            ws = URI.create("ws://127.0.0.1:" + demo.port() + "/ws");
            try (HealthyClients healthy = HealthyClients.chat(ws, HEALTHY_ROOM, 5, Duration.ofMillis(100))) {
                Chatter filler = makeManyRooms();
                roomListIsPagedAndARejoinAsksForNothing(filler);
                nonReadersStayWithinTheirQueues();
                aWhisperFloodIsRateLimited();
                aRawFlooderIsPacedAndNoReaderDropped();
                aRoomQuotaComesBackAfterTheExpiry();
                int lines = healthy.assertNothingLost();
                System.out.printf("DemoChatAttackTest: the 5 healthy users sent %d lines, each got every other's once and "
                                + "in order; %.1f s in all; threads %d, descriptors %d%n",
                        lines, (System.nanoTime() - start) / 1e9, demo.threads(), demo.fileDescriptors());
            }
            demo.assertAnswers();
        }
    }

    /**
     * {@value #ROOMS} rooms: 6 holders in 40 each (two holders an address, under its quota of 100), and
     * {@code big}, whose history 16 texts of 4,096 characters fill to its 64 KiB; returns big's filler.
     */
    private Chatter makeManyRooms() throws InterruptedException {
        List<Chatter> holders = new ArrayList<>();
        for (int h = 0; h < HOLDERS; h++) {
            holders.add(clients.login(ws, HOLDERS_ADDRESS + (1 + h / 2), "holder" + h));
        }
        Chatter filler = clients.login(ws, null, "filler");
        inParallel(HOLDERS + 1, h -> {
            if (h == HOLDERS) {
                filler.expect("joined", "\"type\":\"join\",\"room\":\"big\"");
                for (int i = 0; i < 16; i++) {
                    filler.expect("message", "\"type\":\"say\",\"room\":\"big\",\"text\":\"" + TEXT_4096 + "\"");
                }
                return;
            }
            for (int i = 0; i < ROOMS_PER_HOLDER; i++) {
                holders.get(h).expect("joined", "\"type\":\"join\",\"room\":\"hold-" + h + "-" + i + "\"");
            }
        });
        return filler;
    }

    /** 5. The room list comes in pages of at most 100 with {@code total} and a cursor; a rejoin without {@code since} answers no history. */
    private void roomListIsPagedAndARejoinAsksForNothing(Chatter filler) throws IOException {
        List<String> listed = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Reply page = filler.expect("rooms", "\"type\":\"rooms\"" + (cursor == null ? "" : ",\"cursor\":\"" + cursor + "\""));
            assertThat(page.number("total")).isEqualTo(ROOMS);
            assertThat(page.list("rooms")).hasSizeBetween(1, 100);
            page.list("rooms").forEach(room -> listed.add((String) ((Map<?, ?>) room).get("name")));
            cursor = page.string("next");
            pages++;
        } while (cursor != null);
        assertThat(pages).isEqualTo(3);
        assertThat(listed).hasSize(ROOMS).doesNotHaveDuplicates().contains("lobby", HEALTHY_ROOM, "big", "hold-5-39");
        Reply rejoin = filler.expect("joined", "\"type\":\"join\",\"room\":\"big\"");
        assertThat(rejoin.list("history")).isEmpty();
        assertThat(rejoin.has("recovered")).isFalse();
        assertThat(filler.expect("joined", "\"type\":\"join\",\"room\":\"big\",\"since\":0").list("history"))
                .hasSizeBetween(14, 16);
        demo.assertAnswers();
        System.out.printf("DemoChatAttackTest 5: %d rooms listed in %d pages of at most 100; a rejoin without since "
                + "answered no history%n", ROOMS, pages);
    }

    /** 1. Clients that never read, spamming large replies at their rate limit for 3 s. */
    private void nonReadersStayWithinTheirQueues() throws Exception {
        long baseline = demo.heapUsedAfterGc();
        int nonReaders = 20;
        long slowBefore = demo.metric(SLOW_DROPS.formatted("ws"));
        long attackStart = System.nanoTime();
        NonReaders spam = new NonReaders(demo.port(), nonReaders);
        Thread.sleep(2_000); // into the attack, not a wait for a result
        long during = demo.heapUsedAfterGc();
        Thread.sleep(Math.max(0, TimeUnit.NANOSECONDS.toMillis(attackStart - System.nanoTime()) + 3_000));
        spam.stop();
        demo.assertAnswers();
        assertThat(during).as("heap after GC under attack")
                .isLessThanOrEqualTo(baseline + nonReaders * HubConfig.DEFAULT_SEND_QUEUE_BYTES + UNDER_ATTACK_SLACK_BYTES);
        long after = demo.awaitHeapNear(baseline, DemoAttackTest.HEAP_SLACK_BYTES);
        long slowDropped = demo.metric(SLOW_DROPS.formatted("ws")) - slowBefore;
        System.out.printf("DemoChatAttackTest 1: %d non-readers sent %d requests, %d of them cut (%d dropped as "
                        + "slow consumers); heap after GC %.1f MiB before, %.1f MiB during, %.1f MiB after%n",
                nonReaders, spam.requests.get(), spam.cut.get(), slowDropped, baseline / 1048576.0,
                during / 1048576.0, after / 1048576.0);
    }

    /** 2. 20 senders whisper 20 texts of 4,096 characters each at one user. */
    private void aWhisperFloodIsRateLimited() throws InterruptedException {
        Chatter target = clients.login(ws, null, "target");
        WhisperFlood flood = WhisperFlood.at(clients, ws, "target", 20, 20);
        int perSecond = ChatConfig.DEFAULT_WHISPERS_PER_SECOND_PER_RECIPIENT;
        assertThat(flood.rateLimited()).as("whispers refused").isPositive();
        assertThat(flood.accepted()).as("whispers accepted in %.1f s: a burst of %d, then %d a second",
                        flood.seconds(), 2 * perSecond, perSecond)
                .isBetween(1, 2 * perSecond + (int) Math.ceil(perSecond * flood.seconds()));
        int directs = 0;
        while (directs < flood.accepted()) {
            Reply reply = target.chat().next();
            assertThat(reply.type()).as(reply.json()).isIn("direct", "presence");
            if (reply.type().equals("direct")) {
                assertThat(reply.string("text")).hasSize(TEXT_4096.length());
                directs++;
            }
        }
        assertThat(target.expect("online", "\"type\":\"online\",\"names\":[\"target\"]").list("names"))
                .containsExactly("target");
        assertThat(target.chat().socket().isClosed()).isFalse();
        System.out.printf("DemoChatAttackTest 2: 20 senders x 20 whispers of 4,096 characters in %.1f s: %d accepted "
                        + "and delivered, %d rate_limited; the recipient stayed connected%n",
                flood.seconds(), flood.accepted(), flood.rateLimited());
    }

    /** 3. A {@code /ws/raw} flooder as fast as TCP allows for 2 s while 20 clients read (and chat). */
    private void aRawFlooderIsPacedAndNoReaderDropped() throws Exception {
        URI raw = URI.create("ws://127.0.0.1:" + demo.port() + "/ws/raw");
        long rawSlowBefore = demo.metric(SLOW_DROPS.formatted("raw"));
        // They chat too, if slower than the healthy users: a paced flooder still gets 50 lines a second
        // through (RawBroadcastHandler.MAX_PAUSE_NANOS), and their own lines come on top of those.
        try (HealthyClients readers = HealthyClients.raw(raw, 20, Duration.ofMillis(500))) {
            long floodStart = System.nanoTime();
            int flooded = flood(demo.port(), Duration.ofSeconds(2));
            assertThat(flooded).as("lines the flooder sent before the server cut it (raw clients dropped: %d)",
                    demo.metric(SLOW_DROPS.formatted("raw")) - rawSlowBefore).isPositive();
            double floodSeconds = (System.nanoTime() - floodStart) / 1e9;
            readers.assertEveryoneGot("flood", flooded);
            int readerLines = readers.assertNothingLost();
            assertThat(demo.metric(SLOW_DROPS.formatted("raw")) - rawSlowBefore).as("raw clients dropped").isZero();
            System.out.printf("DemoChatAttackTest 3: flooded %d lines in %.1f s (%.0f/s); each of 20 readers got "
                            + "all, in order, and their own %d lines; none dropped; longest send queue %d%n",
                    flooded, floodSeconds, flooded / floodSeconds, readerLines,
                    demo.metric("chat_send_queue_high_water_mark{endpoint=\"raw\"}"));
        }
    }

    /**
     * 4. One address makes rooms up to its quota (each with a message, so that it outlives its members) and
     * leaves; after the expiry a new room is accepted again, and an old name made again is a new epoch.
     */
    private void aRoomQuotaComesBackAfterTheExpiry() throws InterruptedException {
        int makers = 10;
        int each = ChatConfig.DEFAULT_MAX_ROOMS_PER_ADDRESS / makers;
        List<Chatter> made = new ArrayList<>();
        for (int m = 0; m < makers; m++) {
            made.add(clients.login(ws, MAKERS_ADDRESS, "maker" + m));
        }
        String[] oldEpoch = new String[1];
        inParallel(makers, m -> {
            for (int i = 0; i < each; i++) {
                String room = "made-" + m + "-" + i;
                Reply joined = made.get(m).expect("joined", "\"type\":\"join\",\"room\":\"" + room + "\"");
                if (m == 0 && i == 0) {
                    oldEpoch[0] = joined.string("epoch");
                }
                made.get(m).expect("message", "\"type\":\"say\",\"room\":\"" + room + "\",\"text\":\"kept\"");
            }
        });
        Reply refused = made.getLast().expect("error", "\"type\":\"join\",\"room\":\"one-more\"");
        assertThat(refused.string("code")).isEqualTo("bad_room");
        assertThat(refused.string("message")).contains("too many rooms (" + ChatConfig.DEFAULT_MAX_ROOMS_PER_ADDRESS + ")");
        for (Chatter c : made) {
            c.chat().closeAndAwait();
        }
        long left = System.nanoTime();
        Chatter returning = clients.login(ws, MAKERS_ADDRESS, "returning");
        int refusals = 0;
        while (true) {
            Reply reply = returning.call("\"type\":\"join\",\"room\":\"fresh\"");
            if (reply.type().equals("joined")) {
                break;
            }
            assertThat(reply.string("code")).as(reply.json()).isEqualTo("bad_room");
            refusals++;
            if (System.nanoTime() - left > TimeUnit.SECONDS.toNanos(30)) {
                throw new AssertionError("a new room is still refused 30 s after its address's rooms were left "
                        + "(room expiry " + ROOM_EXPIRY.toSeconds() + " s): " + reply.json());
            }
            Thread.sleep(200); // polling interval
        }
        double expiredAfter = (System.nanoTime() - left) / 1e9;
        Reply again = returning.expect("joined", "\"type\":\"join\",\"room\":\"made-0-0\"");
        assertThat(again.string("epoch")).isNotEqualTo(oldEpoch[0]);
        assertThat(again.list("history")).isEmpty();
        Reply recovery = returning.expect("joined",
                "\"type\":\"join\",\"room\":\"made-0-0\",\"since\":1,\"epoch\":\"" + oldEpoch[0] + "\"");
        assertThat(recovery.fields()).containsEntry("recovered", false);
        assertThat(recovery.list("history")).isEmpty();
        System.out.printf("DemoChatAttackTest 4: one address made %d rooms, the next was bad_room; after they left "
                        + "a new room was refused %d times, then accepted %.1f s later; 'made-0-0' came back "
                        + "with epoch %s (was %s), recovered:false%n",
                ChatConfig.DEFAULT_MAX_ROOMS_PER_ADDRESS, refusals, expiredAfter, again.string("epoch"), oldEpoch[0]);
    }

    /** Runs {@code task(0)} to {@code task(count - 1)} on virtual threads at once; fails with the first failure. */
    private static void inParallel(int count, java.util.function.IntConsumer task) throws InterruptedException {
        java.util.Queue<Throwable> failures = new java.util.concurrent.ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int index = i;
            threads.add(Thread.ofVirtual().uncaughtExceptionHandler((t, e) -> failures.add(e)).start(() -> task.accept(index)));
        }
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(120));
        }
        if (!failures.isEmpty()) {
            throw new AssertionError(failures.size() + " of " + count + " tasks failed", failures.peek());
        }
    }

    /** Every chat client the test opens, closed at the end. */
    private static final class Clients implements AutoCloseable {
        private final List<ChatTestClient> open = new ArrayList<>();

        /** A client logged in as {@code name}, from {@code forwardedFor} as the trusted proxy says (null: loopback). */
        synchronized Chatter login(URI ws, String forwardedFor, String name) {
            WebSocketTestClient.Builder builder = WebSocketTestClient.builder(ws);
            if (forwardedFor != null) {
                builder.header("X-Forwarded-For", forwardedFor);
            }
            ChatTestClient chat = ChatTestClient.over(builder.connect());
            open.add(chat);
            Chatter chatter = new Chatter(chat);
            String ref = chatter.expect("welcome", "\"type\":\"login\",\"name\":\"" + name + "\"").string("ref");
            Reply lobby = chat.next(); // the default room's joined comes next, with the login's ref
            if (!"joined".equals(lobby.type()) || !ref.equals(lobby.string("ref"))) {
                throw new AssertionError("expected the lobby's joined after the welcome, got " + lobby.json());
            }
            return chatter;
        }

        @Override
        public synchronized void close() {
            open.forEach(ChatTestClient::close);
        }
    }

    /**
     * A chat client whose requests carry a ref: {@link #call} returns the reply with that ref, skipping the
     * traffic of the rooms it is in, and sends the request again after a {@code rate_limited}.
     */
    private record Chatter(ChatTestClient chat) {
        private static final AtomicLong REFS = new AtomicLong();

        /** Sends {@code {FIELDS,"ref":...}} and returns its reply (an error too, except {@code rate_limited}). */
        Reply call(String fields) {
            while (true) {
                String ref = "r" + REFS.incrementAndGet();
                chat.send("{" + fields + ",\"ref\":\"" + ref + "\"}");
                Reply reply = chat.next();
                while (!ref.equals(reply.string("ref"))) {
                    reply = chat.next();
                }
                if (!"rate_limited".equals(reply.string("code"))) {
                    return reply;
                }
                try {
                    Thread.sleep(Math.max(10, reply.number("retryAfterMs")));
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }
        }

        /** {@link #call}, and the reply must be of {@code type}. */
        Reply expect(String type, String fields) {
            Reply reply = call(fields);
            if (!type.equals(reply.type())) {
                throw new AssertionError("expected a '" + type + "' reply to {" + fields + "}, got " + reply.json());
            }
            return reply;
        }
    }

    /**
     * Clients on plain sockets that log in, join {@code big} and never read another byte: the even ones ask
     * for the room list, the odd ones rejoin {@code big} with {@code since:0} (its whole 64 KiB history),
     * at their rate limit (a burst of 40, then one every 50 ms), until the server cuts them or {@link #stop}.
     */
    private static final class NonReaders {
        final AtomicInteger requests = new AtomicInteger();
        final AtomicInteger cut = new AtomicInteger();
        private final AtomicBoolean stopping = new AtomicBoolean();
        private final List<Thread> threads = new ArrayList<>();
        private final List<Socket> sockets = new ArrayList<>();

        NonReaders(int port, int count) throws IOException {
            for (int n = 0; n < count; n++) {
                Socket socket = AttackSockets.upgraded(port, "/ws", "", 4096);
                sockets.add(socket);
                byte[] request = AttackSockets.maskedText(n % 2 == 0 ? "{\"type\":\"rooms\"}"
                        : "{\"type\":\"join\",\"room\":\"big\",\"since\":0}");
                String name = "silent" + n;
                threads.add(Thread.ofVirtual().name("non-reader").start(() -> {
                    try {
                        OutputStream out = socket.getOutputStream();
                        out.write(AttackSockets.maskedText("{\"type\":\"login\",\"name\":\"" + name + "\"}"));
                        out.write(AttackSockets.maskedText("{\"type\":\"join\",\"room\":\"big\"}"));
                        for (int i = 0; !stopping.get(); i++) {
                            out.write(request);
                            requests.incrementAndGet();
                            if (i >= ChatConfig.DEFAULT_BURST - 2) {
                                Thread.sleep(1000 / ChatConfig.DEFAULT_MESSAGES_PER_SECOND);
                            }
                        }
                    } catch (IOException e) {
                        cut.incrementAndGet();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }));
            }
        }

        void stop() throws Exception {
            stopping.set(true);
            for (Thread thread : threads) {
                thread.join(TimeUnit.SECONDS.toMillis(30));
            }
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }

    /**
     * What {@code senders} senders whispering {@code each} texts of 4,096 characters at one user were answered,
     * and how long it took from the first whisper to the last answer.
     */
    private record WhisperFlood(int accepted, int rateLimited, double seconds) {

        static WhisperFlood at(Clients clients, URI ws, String to, int senders, int each) throws InterruptedException {
            List<Chatter> whisperers = new ArrayList<>();
            for (int s = 0; s < senders; s++) {
                whisperers.add(clients.login(ws, null, "whisperer" + s));
            }
            Map<String, AtomicInteger> answers = new ConcurrentHashMap<>();
            long start = System.nanoTime();
            inParallel(senders, s -> {
                ChatTestClient chat = whisperers.get(s).chat();
                String prefix = "w" + s + "-";
                for (int i = 0; i < each; i++) {
                    chat.send("{\"type\":\"whisper\",\"to\":\"" + to + "\",\"text\":\"" + TEXT_4096 + "\",\"ref\":\""
                            + prefix + i + "\"}");
                }
                Set<String> answered = new HashSet<>();
                while (answered.size() < each) {
                    Reply reply = chat.next();
                    String ref = reply.string("ref");
                    if (ref != null && ref.startsWith(prefix) && answered.add(ref)) {
                        String answer = reply.type().equals("error") ? reply.string("code") : reply.type();
                        answers.computeIfAbsent(answer, k -> new AtomicInteger()).incrementAndGet();
                    }
                }
            });
            double seconds = (System.nanoTime() - start) / 1e9;
            assertThat(answers.keySet()).as("answers to whispers").isSubsetOf("direct", "rate_limited");
            assertThat(answers.values().stream().mapToInt(AtomicInteger::get).sum()).isEqualTo(senders * each);
            return new WhisperFlood(answers.getOrDefault("direct", new AtomicInteger()).get(),
                    answers.getOrDefault("rate_limited", new AtomicInteger()).get(), seconds);
        }
    }

    /**
     * Sends the lines {@code flood-0}, {@code flood-1}, ... to {@code /ws/raw} as fast as TCP takes them for
     * {@code duration}, reading (and discarding) the echoes on another thread so that only the server's
     * own pacing slows it; returns how many it sent, negated if the server cut it (it was dropped, not paced).
     */
    private static int flood(int port, Duration duration) throws Exception {
        try (Socket socket = AttackSockets.upgraded(port, "/ws/raw", "", 1 << 16)) {
            // A small send buffer: the lines wait here, where the server's pace is felt, not in the kernel.
            socket.setSendBufferSize(1 << 14);
            Thread drain = Thread.ofVirtual().name("flood-drain").start(() -> {
                byte[] buffer = new byte[1 << 16];
                try (InputStream in = socket.getInputStream()) {
                    while (in.read(buffer) >= 0) {
                        // discard
                    }
                } catch (IOException e) {
                    // closed below
                }
            });
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
            long end = System.nanoTime() + duration.toNanos();
            int sent = 0;
            try {
                while (System.nanoTime() < end) {
                    for (int i = 0; i < 64; i++) {
                        out.write(AttackSockets.maskedText("flood-" + sent));
                        sent++;
                    }
                }
                out.flush();
                socket.shutdownOutput();
            } catch (IOException cut) {
                return -sent;
            }
            drain.join(TimeUnit.SECONDS.toMillis(60));
            return sent;
        }
    }
}
