package dev.chatengine.bench.load;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The connections of one load-generator process, spread over its {@link IoLoop}s: dials them,
 * answers how many are open, have seen the probe and what they have received, and finally stops
 * the loops and adds up their counts.
 *
 * <p>Thread contract: {@link #dial}, {@link #stop} and {@link #sender} are for the process's main
 * thread; the counters may be read from any thread.
 */
final class ClientPool {

    /** What the loops of a process share with its main thread and its senders. Thread-safe. */
    static final class Shared {
        final LoadOptions options;
        final Dialect dialect;
        /** Handshakes (and logins) under way at once; a loop releases a permit when one ends. */
        final Semaphore dialPermits;
        /** Deliveries of messages sent before this (warm-up, probes) are stale: not measured. */
        volatile long measureFromNanos = Long.MAX_VALUE;
        /** Set before the connections are closed on purpose, so that their end is not a drop. */
        volatile boolean closing;
        private final Thread[] ackWaiters;

        Shared(LoadOptions options) {
            this.options = options;
            this.dialect = new Dialect(options.protocol(), options.room());
            this.dialPermits = new Semaphore(options.dialParallel());
            this.ackWaiters = new Thread[Math.max(1, options.senders())];
        }

        /** The thread to wake when sender {@code sender}'s completed seq moves; null if none. */
        Thread ackWaiter(int sender) {
            return ackWaiters[sender];
        }

        void ackWaiter(int sender, Thread thread) {
            ackWaiters[sender] = thread;
        }
    }

    /** What a pool received, added up over its loops (and, in the parent, over the children). */
    record Totals(long delivered, long stale, long rejected, long errors, long unknown, long protocolErrors,
                  int dropped, long minReceived, long maxReceived, long lastReceiveNanos, LatencyHistogram histogram) {

        /** One line of {@code key=value} words, the histogram last, for a child to hand its totals up. */
        String encode() {
            return "delivered=" + delivered + " stale=" + stale + " rejected=" + rejected + " errors=" + errors
                    + " unknown=" + unknown + " protocol_errors=" + protocolErrors + " dropped=" + dropped
                    + " min_received=" + minReceived + " max_received=" + maxReceived
                    + " last_receive=" + lastReceiveNanos + " hist=" + histogram.encode();
        }

        static Totals decode(String line) {
            java.util.Map<String, String> f = new java.util.HashMap<>();
            for (String word : line.trim().split(" ")) {
                int eq = word.indexOf('=');
                if (eq > 0) {
                    f.put(word.substring(0, eq), word.substring(eq + 1));
                }
            }
            LatencyHistogram h = new LatencyHistogram();
            h.addEncoded(f.get("hist"));
            return new Totals(Long.parseLong(f.get("delivered")), Long.parseLong(f.get("stale")),
                    Long.parseLong(f.get("rejected")), Long.parseLong(f.get("errors")), Long.parseLong(f.get("unknown")),
                    Long.parseLong(f.get("protocol_errors")), Integer.parseInt(f.get("dropped")),
                    Long.parseLong(f.get("min_received")), Long.parseLong(f.get("max_received")),
                    Long.parseLong(f.get("last_receive")), h);
        }

        /** This plus {@code o}. */
        Totals plus(Totals o) {
            LatencyHistogram h = new LatencyHistogram();
            h.add(histogram);
            h.add(o.histogram);
            return new Totals(delivered + o.delivered, stale + o.stale, rejected + o.rejected, errors + o.errors,
                    unknown + o.unknown, protocolErrors + o.protocolErrors, dropped + o.dropped,
                    Math.min(minReceived, o.minReceived), Math.max(maxReceived, o.maxReceived),
                    Math.max(lastReceiveNanos, o.lastReceiveNanos), h);
        }
    }

    final Shared shared;
    private final int firstIndex;
    private final int count;
    private final String namePrefix;
    private final List<IoLoop> loops = new ArrayList<>();
    private final List<ClientConnection> all = new ArrayList<>();

    /**
     * A pool for the connections with global indices {@code [firstIndex, firstIndex + count)};
     * chat login names are {@code namePrefix} + index, unique within the run.
     */
    ClientPool(Shared shared, int firstIndex, int count, String namePrefix) throws IOException {
        this.shared = shared;
        this.firstIndex = firstIndex;
        this.count = count;
        this.namePrefix = namePrefix;
        int threads = Math.max(1, Math.min(shared.options.ioThreads(), count));
        for (int i = 0; i < threads; i++) {
            IoLoop loop = new IoLoop(shared, i);
            loops.add(loop);
            loop.start();
        }
    }

    /**
     * Opens every connection, {@code dialParallel} handshakes at a time, and waits until each is
     * open or has failed, or until {@code deadlineNanos} ({@link System#nanoTime()}).
     */
    void dial(long deadlineNanos) throws InterruptedException {
        for (int i = 0; i < count; i++) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0 || !shared.dialPermits.tryAcquire(left, TimeUnit.NANOSECONDS)) {
                break;
            }
            int index = firstIndex + i;
            ClientConnection c = new ClientConnection(index, namePrefix + index);
            all.add(c);
            loops.get(i % loops.size()).connect(c);
        }
        while (open() + failed() < count && System.nanoTime() - deadlineNanos < 0) {
            Thread.sleep(10);
        }
    }

    int count() {
        return count;
    }

    int open() {
        int n = 0;
        for (IoLoop l : loops) {
            n += l.open();
        }
        return n;
    }

    int failed() {
        int n = 0;
        for (IoLoop l : loops) {
            n += l.failed();
        }
        return n;
    }

    int probed() {
        int n = 0;
        for (IoLoop l : loops) {
            n += l.probed();
        }
        return n;
    }

    int dropped() {
        int n = 0;
        for (IoLoop l : loops) {
            n += l.dropped();
        }
        return n;
    }

    long delivered() {
        long n = 0;
        for (IoLoop l : loops) {
            n += l.delivered();
        }
        return n;
    }

    /** Deliveries measured or not: what a drain after the warm-up waits for. */
    long seen() {
        long n = 0;
        for (IoLoop l : loops) {
            n += l.delivered() + l.stale();
        }
        return n;
    }

    long rejected() {
        long n = 0;
        for (IoLoop l : loops) {
            n += l.rejected();
        }
        return n;
    }

    long lastReceiveNanos() {
        long t = 0;
        for (IoLoop l : loops) {
            t = Math.max(t, l.lastReceiveNanos());
        }
        return t;
    }

    String firstFailure() {
        for (IoLoop l : loops) {
            String f = l.firstFailure();
            if (f != null) {
                return f;
            }
        }
        return null;
    }

    /** The highest seq of {@code sender} that every open connection of this process has received; -1 if none. */
    long completed(int sender) {
        long min = Long.MAX_VALUE;
        for (IoLoop l : loops) {
            min = Math.min(min, l.completed.getAcquire(sender));
        }
        return min;
    }

    /** The connection sender {@code k} of {@code senders} sends on: spread over the open connections. */
    ClientConnection sender(int k, int senders) {
        List<ClientConnection> open = all.stream().filter(c -> c.state == ClientConnection.State.OPEN).toList();
        if (open.isEmpty()) {
            throw new IllegalStateException("no open connection to send on");
        }
        return open.get((int) ((long) k * open.size() / senders));
    }

    /** Stops the loops (which close the connections) and adds up what they counted. */
    Totals stop() throws InterruptedException {
        shared.closing = true;
        for (IoLoop l : loops) {
            l.stop();
        }
        LatencyHistogram h = new LatencyHistogram();
        long minReceived = Long.MAX_VALUE;
        long maxReceived = 0;
        for (IoLoop l : loops) {
            h.add(l.histogram());
            for (ClientConnection c : l.connections()) {
                if (c.decoder != null) {
                    minReceived = Math.min(minReceived, c.received);
                    maxReceived = Math.max(maxReceived, c.received);
                }
            }
        }
        long stale = 0;
        long rejected = 0;
        long errors = 0;
        long unknown = 0;
        long protocolErrors = 0;
        for (IoLoop l : loops) {
            stale += l.stale();
            rejected += l.rejected();
            errors += l.errors();
            unknown += l.unknownCount();
            protocolErrors += l.protocolErrors();
        }
        return new Totals(delivered(), stale, rejected, errors, unknown, protocolErrors, dropped(),
                minReceived == Long.MAX_VALUE ? 0 : minReceived, maxReceived, lastReceiveNanos(), h);
    }
}
