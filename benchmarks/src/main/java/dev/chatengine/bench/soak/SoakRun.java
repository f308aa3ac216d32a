package dev.chatengine.bench.soak;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The soak and fault run of issue 8 (not a test): a demo server in a child JVM ({@link ServerProcess})
 * gets, for {@code --duration} (10 minutes by default), at once:
 * <ul>
 *   <li>healthy raw traffic ({@link RawClients}): {@code --healthy} clients of {@code /ws/raw} (1,000 by
 *       default), of which {@code --senders} send numbered messages at {@code --rate} a second each;</li>
 *   <li>healthy chat ({@link ChatClients}): {@code --chat} users of {@code /ws} (200 by default) in
 *       {@code --chat-rooms} rooms, each saying numbered texts at {@code --chat-rate} a second;</li>
 *   <li>churn and slow readers on {@code /ws/raw} ({@link RawFaults}): {@code --churn} connections a
 *       second that upgrade and close, {@code --slow} clients that never read;</li>
 *   <li>attack waves every {@code --attack-every}: on HTTP ({@link HttpAttacks}: stalled and oversize
 *       heads, one address over its caps) and on the chat protocol ({@link ChatAttacks}: non-reading
 *       spammers, room fill up to the per-address cap, a whisper flood at one healthy user, lobby login
 *       bursts).</li>
 * </ul>
 * Every healthy client checks it receives every message meant for it exactly once and in order. The run
 * reports the server's heap after a full GC, threads, file descriptors and RSS at the start and at the
 * end, the healthy messages, deliveries and losses, and what the attacks saw. Run:
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar dev.chatengine.bench.soak.SoakRun --duration 10m
 * }</pre>
 * Exit code 0 when nothing was lost, no healthy client was dropped and the server is alive; 1 otherwise.
 */
public final class SoakRun {

    private static final Duration SETTLE = Duration.ofSeconds(2);
    private static final Duration DRAIN = Duration.ofSeconds(60);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(30);
    /** Long enough for the sessions of the churn and the attacks to end before the last snapshot. */
    private static final Duration AFTERMATH = Duration.ofSeconds(3);

    /** The run's settings; see the class comment. */
    record Options(Duration duration, int healthy, int senders, double rate, int chat, int chatRooms, double chatRate,
                   int churn, int slow, Duration attackEvery, String heap) {

        static final String USAGE = "--duration 10m --healthy 1000 --senders 10 --rate 2 --chat 200 --chat-rooms 4"
                + " --chat-rate 0.5 --churn 10 --slow 20 --attack-every 60s --heap 512m";

        static Options parse(String... args) {
            if (args.length % 2 != 0) {
                throw new IllegalArgumentException(args[args.length - 1] + " needs a value (" + USAGE + ")");
            }
            Duration duration = Duration.ofMinutes(10);
            int healthy = 1000;
            int senders = 10;
            double rate = 2;
            int chat = 200;
            int chatRooms = 4;
            double chatRate = 0.5;
            int churn = 10;
            int slow = 20;
            Duration attackEvery = Duration.ofSeconds(60);
            String heap = "512m";
            for (int i = 0; i < args.length; i += 2) {
                String value = args[i + 1];
                switch (args[i]) {
                    case "--duration" -> duration = duration(value);
                    case "--healthy" -> healthy = Integer.parseInt(value);
                    case "--senders" -> senders = Integer.parseInt(value);
                    case "--rate" -> rate = Double.parseDouble(value);
                    case "--chat" -> chat = Integer.parseInt(value);
                    case "--chat-rooms" -> chatRooms = Integer.parseInt(value);
                    case "--chat-rate" -> chatRate = Double.parseDouble(value);
                    case "--churn" -> churn = Integer.parseInt(value);
                    case "--slow" -> slow = Integer.parseInt(value);
                    case "--attack-every" -> attackEvery = duration(value);
                    case "--heap" -> heap = value;
                    default -> throw new IllegalArgumentException("unknown option " + args[i] + " (" + USAGE + ")");
                }
            }
            if (chat < 1 || healthy < 1) {
                throw new IllegalArgumentException("--chat and --healthy need at least 1 client");
            }
            return new Options(duration, healthy, Math.min(senders, healthy), rate, chat, chatRooms, chatRate, churn,
                    slow, attackEvery, heap);
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

    /** What the healthy clients of one endpoint saw. */
    record Healthy(int clients, long sent, long expected, long lost, int dropped) {
    }

    /** The outcome, for the smoke test and the exit code. */
    record Result(ServerProcess.Snapshot start, ServerProcess.Snapshot end, boolean alive, Healthy raw, Healthy chat,
                  long chatDelivered, long chatErrors, boolean whisperTargetConnected, long attackConnections,
                  long attacksCut, long answered431, long answered429, long churned, long slowOpened,
                  ChatAttacks chatAttacks) {
        boolean ok() {
            return raw.lost() == 0 && raw.dropped() == 0 && chat.lost() == 0 && chat.dropped() == 0 && alive
                    && chatAttacks.roomCapHeld();
        }
    }

    private final Options options;
    private final PrintStream out;

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
        try (ServerProcess server = ServerProcess.start(options.heap(), out)) {
            int port = server.port();
            RawClients raw = new RawClients(options.healthy(), options.senders(), options.rate(), out);
            raw.connect(port);
            ChatClients chat = new ChatClients(options.chat(), options.chatRooms(), options.chatRate(), out);
            chat.connect(port);
            Thread.sleep(SETTLE.toMillis());
            ServerProcess.Snapshot start = server.snapshot();
            out.println("soak: start: " + start + "; " + raw.connected() + " healthy raw clients, " + chat.connected()
                    + " healthy chat users");

            RawFaults faults = new RawFaults(port, options.churn(), options.slow());
            HttpAttacks httpAttacks = new HttpAttacks(port, options.attackEvery());
            int target = 0;
            ChatAttacks chatAttacks = new ChatAttacks(port, options.attackEvery(), ChatClients.name(target), out);
            raw.start();
            chat.start();
            faults.start();
            httpAttacks.start();
            chatAttacks.start();

            long startNanos = System.nanoTime();
            long deadline = startNanos + options.duration().toNanos();
            long nextProgress = startNanos + PROGRESS_EVERY.toNanos();
            while (System.nanoTime() < deadline && server.isAlive()) {
                Thread.sleep(200);
                if (System.nanoTime() > nextProgress) {
                    nextProgress += PROGRESS_EVERY.toNanos();
                    out.printf("soak: %ds: raw sent %d, chat sent %d (delivered %d), attack connections %d (cut %d),"
                                    + " chat attack waves %d, churned %d, slow %d, RSS %.0f MiB%n",
                            TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNanos), raw.sent(), chat.sent(),
                            chat.delivered(), httpAttacks.connections(), httpAttacks.cut(), chatAttacks.waves(),
                            faults.churned(), faults.slowOpened(), server.rssKib() / 1024.0);
                }
            }
            raw.stop();
            chat.stop();
            faults.stop();
            httpAttacks.stop();
            chatAttacks.stop();
            long rawLost = raw.awaitDelivered(DRAIN);
            long chatLost = chat.awaitDelivered(DRAIN);
            Healthy rawHealthy = new Healthy(raw.connected(), raw.sent(), raw.sent() * raw.connected(), rawLost,
                    raw.dropped());
            Healthy chatHealthy = new Healthy(chat.connected(), chat.sent(), chat.expectedDeliveries(), chatLost,
                    chat.dropped());
            boolean targetConnected = chat.isConnected(target);
            boolean alive = server.isAlive();
            Thread.sleep(AFTERMATH.toMillis());
            ServerProcess.Snapshot end = server.snapshot();
            Result result = new Result(start, end, alive, rawHealthy, chatHealthy, chat.delivered(), chat.errors(),
                    targetConnected, httpAttacks.connections(), httpAttacks.cut(), httpAttacks.answered431(),
                    httpAttacks.answered429(), faults.churned(), faults.slowOpened(), chatAttacks);
            report(result, chat.directs());
            raw.abort();
            chat.close();
            return result;
        }
    }

    private void report(Result r, long targetDirects) {
        ChatAttacks c = r.chatAttacks();
        out.println("soak: end:   " + r.end());
        out.printf("soak: raw: %d messages sent to %d clients (%d deliveries expected), %d lost, %d clients dropped%n",
                r.raw().sent(), r.raw().clients(), r.raw().expected(), r.raw().lost(), r.raw().dropped());
        out.printf("soak: chat: %d messages said by %d users (%d deliveries expected, %d delivered), %d lost,"
                        + " %d users dropped, %d error replies%n", r.chat().sent(), r.chat().clients(),
                r.chat().expected(), r.chatDelivered(), r.chat().lost(), r.chat().dropped(), r.chatErrors());
        out.printf("soak: http attacks: connections %d (cut by the server %d), 431 answers %d, 429 answers %d;"
                        + " churned %d, slow readers %d%n", r.attackConnections(), r.attacksCut(), r.answered431(),
                r.answered429(), r.churned(), r.slowOpened());
        out.printf("soak: chat attacks: %d waves; spam: %d frames from %d clients, %d cut by the server;"
                        + " room fill: %s (rooms made per wave %s, in parallel %s)%n", c.waves(), c.spamFrames(),
                c.spammers(), c.spammersCut(), c.fillAnswer(), c.fillMade(), c.parallelFillMade());
        out.printf("soak: whisper flood: %d whispers, %d accepted, %d rate_limited, %d flooders dropped; target"
                        + " received %d, still connected: %s; login bursts: %d logged in, %d failed%n", c.whispers(),
                c.whispersAccepted(), c.whispersRateLimited(), c.floodersDropped(), targetDirects,
                r.whisperTargetConnected(), c.burstLogins(), c.burstFailed());
        out.println("soak: server alive: " + r.alive() + "; " + (r.ok() ? "PASS" : "FAIL"));
    }
}
