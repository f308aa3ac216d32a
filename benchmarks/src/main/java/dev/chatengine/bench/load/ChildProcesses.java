package dev.chatengine.bench.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * The parent's side of the child processes that hold the rest of the connections when
 * {@code --processes K} is more than 1: starts K-1 JVMs of the same class path with
 * {@code --child}, and follows what each reports on its standard output.
 *
 * <p>The conversation is lines of text. A child says {@code CONNECTED open failed reason...} once
 * its connections are dialed, {@code PROGRESS open failed probed delivered seen dropped rejected}
 * every 20 ms while something changes, {@code W sender seq} when its connections have all received
 * a sender's message seq (closed loop), {@code MEASURING} to acknowledge {@code MEASURE nanos}, and
 * {@code TOTALS key=value...} after {@code STOP}, then it exits. A child whose standard input ends
 * (the parent is gone) exits too. Its standard error is the parent's.
 *
 * <p>Thread contract: the methods are called by the parent's main thread; one reader thread per
 * child updates the volatile fields; {@link #completed} may be called from any thread.
 */
final class ChildProcesses implements AutoCloseable {

    /** One child: its process and what it last said. */
    private static final class Child {
        final Process process;
        final Writer stdin;
        final AtomicLongArray completed;
        volatile boolean connectedReported;
        volatile int open;
        volatile int failed;
        volatile String failure;
        volatile int probed;
        volatile long delivered;
        volatile long seen;
        volatile int dropped;
        volatile long rejected;
        volatile boolean measuring;
        volatile String totals;
        volatile boolean ended;

        Child(Process process, int senders) {
            this.process = process;
            this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.US_ASCII);
            this.completed = new AtomicLongArray(senders);
            for (int i = 0; i < senders; i++) {
                completed.set(i, -1);
            }
        }

        synchronized void say(String line) throws IOException {
            stdin.write(line + "\n");
            stdin.flush();
        }
    }

    private final List<Child> children = new ArrayList<>();
    private final ClientPool.Shared shared;

    private ChildProcesses(ClientPool.Shared shared) {
        this.shared = shared;
    }

    /** Starts {@code options.processes() - 1} children; none when it is 1. */
    static ChildProcesses start(LoadOptions options, ClientPool.Shared shared, String runTag) throws IOException {
        ChildProcesses all = new ChildProcesses(shared);
        String java = ProcessHandle.current().info().command().orElse("java");
        String classPath = System.getProperty("java.class.path");
        for (int i = 1; i < options.processes(); i++) {
            List<String> command = new ArrayList<>(List.of(java, "-cp", classPath, LoadGenerator.class.getName(),
                    "--child", Integer.toString(i), runTag));
            command.addAll(options.toArgs());
            if (!options.spreadUrls().isEmpty()) {
                command.add("--url"); // the later --url wins: this child's node of the cluster
                command.add(options.spreadUrls().get(i % options.spreadUrls().size()));
            }
            Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            Child child = new Child(p, Math.max(1, options.senders()));
            all.children.add(child);
            Thread.ofPlatform().daemon().name("child-" + i + "-reader").start(() -> all.follow(child));
        }
        return all;
    }

    private void follow(Child child) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(child.process.getInputStream(),
                StandardCharsets.US_ASCII))) {
            String line;
            while ((line = in.readLine()) != null) {
                String[] w = line.split(" ", 4);
                switch (w[0]) {
                    case "W" -> {
                        int sender = Integer.parseInt(w[1]);
                        child.completed.setRelease(sender, Long.parseLong(w[2]));
                        Thread waiter = shared.ackWaiter(sender);
                        if (waiter != null) {
                            LockSupport.unpark(waiter);
                        }
                    }
                    case "PROGRESS" -> {
                        String[] f = line.split(" ");
                        child.open = Integer.parseInt(f[1]);
                        child.failed = Integer.parseInt(f[2]);
                        child.probed = Integer.parseInt(f[3]);
                        child.delivered = Long.parseLong(f[4]);
                        child.seen = Long.parseLong(f[5]);
                        child.dropped = Integer.parseInt(f[6]);
                        child.rejected = Long.parseLong(f[7]);
                    }
                    case "CONNECTED" -> {
                        child.open = Integer.parseInt(w[1]);
                        child.failed = Integer.parseInt(w[2]);
                        child.failure = w.length > 3 && !w[3].equals("-") ? w[3] : null;
                        child.connectedReported = true;
                    }
                    case "MEASURING" -> child.measuring = true;
                    case "TOTALS" -> child.totals = line.substring("TOTALS ".length());
                    default -> System.err.println("loadgen: child said: " + line);
                }
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("loadgen: lost a child's output: " + e);
        } finally {
            child.ended = true;
        }
    }

    /** Waits until every child has dialed its connections, or {@code deadlineNanos}. */
    void awaitConnected(long deadlineNanos) throws InterruptedException {
        for (Child c : children) {
            while (!c.connectedReported && !c.ended && System.nanoTime() - deadlineNanos < 0) {
                Thread.sleep(10);
            }
        }
    }

    int open() {
        return children.stream().mapToInt(c -> c.open).sum();
    }

    int failed() {
        return children.stream().mapToInt(c -> c.failed).sum();
    }

    int probed() {
        return children.stream().mapToInt(c -> c.probed).sum();
    }

    long delivered() {
        return children.stream().mapToLong(c -> c.delivered).sum();
    }

    long seen() {
        return children.stream().mapToLong(c -> c.seen).sum();
    }

    long rejected() {
        return children.stream().mapToLong(c -> c.rejected).sum();
    }

    String firstFailure() {
        return children.stream().map(c -> c.failure).filter(f -> f != null).findFirst().orElse(null);
    }

    /** The lowest seq of {@code sender} that every child reports complete; Long.MAX_VALUE with no children. */
    long completed(int sender) {
        long min = Long.MAX_VALUE;
        for (Child c : children) {
            min = Math.min(min, c.completed.getAcquire(sender));
        }
        return min;
    }

    /** Tells every child that deliveries of messages sent from {@code nanos} on are measured; waits for each to agree. */
    void measureFrom(long nanos, long deadlineNanos) throws IOException, InterruptedException {
        for (Child c : children) {
            c.measuring = false;
            c.say("MEASURE " + nanos);
        }
        for (Child c : children) {
            while (!c.measuring && !c.ended && System.nanoTime() - deadlineNanos < 0) {
                Thread.onSpinWait();
                Thread.sleep(0, 100_000);
            }
        }
    }

    /** The children's CPU time so far, in nanoseconds. */
    long cpuNanos() {
        long sum = 0;
        for (Child c : children) {
            sum += Math.max(0, ProcStats.cpuNanos(c.process.pid()));
        }
        return sum;
    }

    /** Stops every child and adds up their totals; a child that does not answer in 20 s adds nothing. */
    List<ClientPool.Totals> stop() throws InterruptedException {
        for (Child c : children) {
            try {
                c.say("STOP");
            } catch (IOException e) {
                // it is gone already; its totals are missing
            }
        }
        List<ClientPool.Totals> totals = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        for (Child c : children) {
            while (c.totals == null && !c.ended && System.nanoTime() - deadline < 0) {
                Thread.sleep(10);
            }
            if (c.totals != null) {
                totals.add(ClientPool.Totals.decode(c.totals));
            } else {
                System.err.println("loadgen: child " + c.process.pid() + " gave no totals");
            }
            c.process.waitFor(Math.max(1, (deadline - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
        }
        return totals;
    }

    @Override
    public void close() {
        for (Child c : children) {
            c.process.destroy();
        }
    }
}
