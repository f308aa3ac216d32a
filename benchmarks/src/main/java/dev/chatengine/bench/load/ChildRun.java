package dev.chatengine.bench.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A child process of the load generator: holds its share of the connections and answers the
 * parent in the line protocol that {@link ChildProcesses} describes. It sends nothing but pongs:
 * the senders are all in the parent.
 *
 * <p>Thread contract: {@link #run} on the main thread, which reads the parent's commands; one
 * reporter thread writes progress and completions; both write to standard output under its lock.
 */
final class ChildRun {

    private static final long PROGRESS_PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final LoadOptions options;
    private final int index;
    private final String runTag;
    private final PrintStream out = new PrintStream(System.out, false, StandardCharsets.US_ASCII);

    ChildRun(LoadOptions options, int index, String runTag) {
        this.options = options;
        this.index = index;
        this.runTag = runTag;
    }

    void run() throws IOException, InterruptedException {
        ClientPool.Shared shared = new ClientPool.Shared(options);
        int first = LoadOptions.firstIndex(options.connections(), options.processes(), index);
        int count = LoadOptions.share(options.connections(), options.processes(), index);
        ClientPool pool = new ClientPool(shared, first, count, runTag);
        Thread reporter = Thread.ofPlatform().daemon().name("child-reporter").unstarted(() -> report(pool));
        for (int k = 0; k < Math.max(1, options.senders()); k++) {
            shared.ackWaiter(k, reporter);
        }
        reporter.start();
        pool.dial(System.nanoTime() + options.connectTimeout().toNanos());
        String failure = pool.firstFailure();
        say("CONNECTED " + pool.open() + " " + pool.failed() + " " + (failure == null ? "-" : failure.replace('\n', ' ')));
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        String line;
        while ((line = in.readLine()) != null) {
            if (line.startsWith("MEASURE ")) {
                shared.measureFromNanos = Long.parseLong(line.substring("MEASURE ".length()).trim());
                say("MEASURING");
            } else if (line.equals("STOP")) {
                break;
            }
        }
        ClientPool.Totals totals = pool.stop();
        say("TOTALS " + totals.encode());
    }

    /** Reports completions as they move and progress every 20 ms while anything changes. */
    private void report(ClientPool pool) {
        int senders = Math.max(1, options.senders());
        long[] reported = new long[senders];
        Arrays.fill(reported, -1);
        String lastProgress = "";
        long nextProgress = 0;
        while (true) {
            LockSupport.parkNanos(PROGRESS_PERIOD_NANOS);
            if (options.mode() == LoadOptions.Mode.MAX) {
                for (int k = 0; k < senders; k++) {
                    long done = pool.completed(k);
                    if (done > reported[k]) {
                        reported[k] = done;
                        say("W " + k + " " + done);
                    }
                }
            }
            long now = System.nanoTime();
            if (now - nextProgress >= 0) {
                nextProgress = now + PROGRESS_PERIOD_NANOS;
                String progress = "PROGRESS " + pool.open() + " " + pool.failed() + " " + pool.probed() + " "
                        + pool.delivered() + " " + pool.seen() + " " + pool.dropped() + " " + pool.rejected();
                if (!progress.equals(lastProgress)) {
                    lastProgress = progress;
                    say(progress);
                }
            }
        }
    }

    private void say(String line) {
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }
}
