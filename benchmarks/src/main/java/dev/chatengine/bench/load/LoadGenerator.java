package dev.chatengine.bench.load;

import java.util.Arrays;
import java.util.Locale;

/**
 * The end-to-end load generator: N real WebSocket connections over loopback to a running chat
 * demo, S senders at a fixed rate or as fast as the server allows, every connection reading
 * everything; it reports deliveries, loss, deliveries per second, latency percentiles and the
 * server's CPU and memory, then one {@code RESULT key=value ...} line. Run it with {@code --help}
 * for the options:
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.chatengine.bench.load.LoadGenerator \
 *     --url ws://127.0.0.1:8080/ws/raw -n 1000 -s 10 --mode max --window 8 --warmup 2s -t 8s --pid $(pgrep -f chat-demo)
 * </pre>
 *
 * <p>It is ../shared/bench/loadgen's load, written on this project's own codec (client frames
 * from {@code FrameEncoder.clientFrame}, received frames through {@code WebSocketDecoder} in the
 * client role) and on NIO selector threads, so that a million deliveries a second cost about a
 * core. It talks only to 127.0.0.0/8 and ends by itself at its hard deadline, whatever happens.
 *
 * <p>Exit status: 0 when the run completed (whatever it measured), 1 for a bad command line,
 * 2 when it could not run, 3 when the hard deadline stopped it.
 */
public final class LoadGenerator {

    private LoadGenerator() {
    }

    public static void main(String[] args) throws Exception {
        boolean child = args.length >= 3 && args[0].equals("--child");
        String[] optionArgs = child ? Arrays.copyOfRange(args, 3, args.length) : args;
        LoadOptions options;
        try {
            options = LoadOptions.parse(optionArgs);
        } catch (LoadOptions.UsageException e) {
            if (e.getMessage().isEmpty()) {
                System.out.print(LoadOptions.USAGE);
                System.exit(0);
            }
            System.err.println("loadgen: " + e.getMessage() + " (see --help)");
            System.exit(1);
            return;
        }
        startWatchdog(options, child);
        if (child) {
            new ChildRun(options, Integer.parseInt(args[1]), args[2]).run();
            System.exit(0);
        }
        int status;
        try {
            status = new LoadRun(options, System.out).run();
        } catch (Exception e) {
            System.out.println("FATAL: " + e);
            e.printStackTrace();
            status = 2;
        }
        System.out.flush();
        System.exit(status);
    }

    private static void startWatchdog(LoadOptions options, boolean child) {
        long limitMillis = options.hardDeadline().toMillis() + (child ? 10_000 : 0);
        Thread.ofPlatform().daemon().name("watchdog").start(() -> {
            try {
                Thread.sleep(limitMillis);
            } catch (InterruptedException e) {
                return;
            }
            System.out.printf(Locale.ROOT, "FATAL: hard deadline of %d s reached%n", limitMillis / 1000);
            System.out.flush();
            Runtime.getRuntime().halt(3);
        });
    }
}
