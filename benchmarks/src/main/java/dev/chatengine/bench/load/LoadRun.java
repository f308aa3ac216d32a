package dev.chatengine.bench.load;

import java.io.IOException;
import java.io.PrintStream;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One run of the load generator, in the parent process: connect, probe, then the mode's phases,
 * then the report. What it prints is described in {@link LoadOptions#USAGE}; the figures mean what
 * ../shared/bench/loadgen's mean, so that the two can be compared.
 *
 * <p>Thread contract: confined to the thread that calls {@link #run}.
 */
final class LoadRun {

    /** Pause after the probe reached everyone, so that stray probes are read before the load. */
    private static final long SETTLE_MILLIS = 200;
    /** The drain ends early when nothing more has arrived for this long. */
    private static final long DRAIN_IDLE_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** Longest wait for the warm-up's deliveries before the measured phase starts. */
    private static final long WARMUP_DRAIN_NANOS = TimeUnit.SECONDS.toNanos(15);
    private static final long PROBE_INTERVAL_MILLIS = 500;
    /** Once mode's warm-up broadcasts go out at most this often. */
    private static final long ONCE_WARMUP_SPACING_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    private final LoadOptions options;
    private final PrintStream out;

    LoadRun(LoadOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    /** Runs and reports; returns the process exit status (0 when the run completed, whatever it measured). */
    int run() throws IOException, InterruptedException {
        long pid = options.serverPid();
        long rss0 = pid > 0 ? ProcStats.rssKib(pid) : -1;
        // A tag unique to this run: chat names must be unique among the users online.
        String runTag = "lg" + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt()) + "_";
        ClientPool.Shared shared = new ClientPool.Shared(options);
        try (ChildProcesses children = ChildProcesses.start(options, shared, runTag)) {
            long t0 = System.nanoTime();
            long connectDeadline = t0 + options.connectTimeout().toNanos();
            ClientPool pool = new ClientPool(shared, 0, LoadOptions.share(options.connections(), options.processes(), 0), runTag);
            pool.dial(connectDeadline);
            children.awaitConnected(connectDeadline);
            int live = pool.open() + children.open();
            int failed = pool.failed() + children.failed();
            String failure = pool.firstFailure() != null ? pool.firstFailure() : children.firstFailure();
            out.printf(Locale.ROOT, "connected %d/%d in %d ms over %d process(es) (failed %d%s)%n", live,
                    options.connections(), millisSince(t0), options.processes(), failed,
                    failure == null ? "" : ": " + failure);
            if (pool.open() == 0) {
                out.println("FATAL: no connection of the first process is open; nothing to send on");
                pool.stop();
                children.stop();
                return 2;
            }
            int ready = probe(pool, children, live, connectDeadline + TimeUnit.SECONDS.toNanos(5));
            out.printf(Locale.ROOT, "ready %d/%d after %d ms%n", ready, live, millisSince(t0));
            Thread.sleep(SETTLE_MILLIS);
            out.printf(Locale.ROOT, "pre-load: server RSS %s%n", pid > 0 ? kib(ProcStats.rssKib(pid)) : "(no --pid)");

            Report report = new Report(options, live, ready, rss0);
            switch (options.mode()) {
                case IDLE -> idle(report);
                case ONCE -> once(report, pool, children, shared, live);
                case RATE, MAX -> load(report, pool, children, shared, live);
            }
            report.cpuEnd(pid, children);
            ClientPool.Totals totals = pool.stop();
            for (ClientPool.Totals t : children.stop()) {
                totals = totals.plus(t);
            }
            report.print(out, totals);
            return 0;
        }
    }

    private int probe(ClientPool pool, ChildProcesses children, int live, long deadline) throws IOException,
            InterruptedException {
        ClientConnection prober = pool.sender(0, 1);
        byte[] probe = pool.shared.dialect.probe();
        while (pool.probed() + children.probed() < live && System.nanoTime() - deadline < 0) {
            prober.send(probe);
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PROBE_INTERVAL_MILLIS);
            while (pool.probed() + children.probed() < live && System.nanoTime() - until < 0) {
                Thread.sleep(5);
            }
        }
        int ready = pool.probed() + children.probed();
        if (ready < live) {
            out.printf(Locale.ROOT, "WARNING: only %d/%d connections saw the probe%n", ready, live);
        }
        return ready;
    }

    private void idle(Report report) throws InterruptedException {
        Thread.sleep(options.hold().toMillis());
        report.memory();
    }

    private void once(Report report, ClientPool pool, ChildProcesses children, ClientPool.Shared shared, int live)
            throws IOException, InterruptedException {
        Senders senders = new Senders(options, pool, k -> Long.MAX_VALUE);
        // Warm-up: broadcasts spaced out over the warm-up time, so that the server (and this tool)
        // has compiled its broadcast path before the one that is measured; each is waited for.
        long warmupEnd = System.nanoTime() + options.warmup().toNanos();
        int warmups = 0;
        while (System.nanoTime() - warmupEnd < 0) {
            senders.sendOne();
            warmups++;
            long until = Math.min(warmupEnd, System.nanoTime() + ONCE_WARMUP_SPACING_NANOS);
            while (pool.seen() + children.seen() < (long) warmups * live && System.nanoTime() - until < 0) {
                Thread.sleep(2);
            }
            Thread.sleep(Math.max(0, TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime())));
        }
        if (warmups > 0) {
            out.printf(Locale.ROOT, "warm-up: %d broadcasts, deliveries seen %d of %d (not measured)%n", warmups,
                    pool.seen() + children.seen(), (long) warmups * live);
        }
        senders.resetCounters();
        Thread.sleep(options.hold().toMillis());
        long from = System.nanoTime();
        children.measureFrom(from, from + TimeUnit.SECONDS.toNanos(10));
        shared.measureFromNanos = from;
        report.cpuStart(options.serverPid(), children);
        long sentAt = senders.sendOne();
        report.measuredFrom(sentAt);
        drain(pool, children, live);
        report.sent(senders.sent(), 0, senders.sendErrors(), 0, senders.firstError(), System.nanoTime());
        report.memory();
    }

    private void load(Report report, ClientPool pool, ChildProcesses children, ClientPool.Shared shared, int live)
            throws IOException, InterruptedException {
        Senders senders = new Senders(options, pool, k -> Math.min(pool.completed(k), children.completed(k)));
        if (!options.warmup().isZero()) {
            senders.run(options.warmup().toNanos());
            long expected = senders.sent() * live;
            long until = System.nanoTime() + WARMUP_DRAIN_NANOS;
            while (pool.seen() + children.seen() < expected && System.nanoTime() - until < 0) {
                Thread.sleep(20);
            }
            Thread.sleep(SETTLE_MILLIS);
            out.printf(Locale.ROOT, "warm-up %d ms done: sent %d, deliveries seen %d of %d (not measured)%n",
                    options.warmup().toMillis(), senders.sent(), pool.seen() + children.seen(), expected);
        }
        senders.resetCounters();
        long rejected0 = pool.rejected() + children.rejected();
        long from = System.nanoTime();
        children.measureFrom(from, from + TimeUnit.SECONDS.toNanos(10));
        shared.measureFromNanos = from;
        report.cpuStart(options.serverPid(), children);
        report.measuredFrom(from);
        senders.run(options.duration().toNanos());
        long sendEnd = System.nanoTime();
        long rejected = pool.rejected() + children.rejected() - rejected0;
        report.sent(senders.sent(), rejected, senders.sendErrors(), senders.stalls(), senders.firstError(), sendEnd);
        drain(pool, children, (senders.sent() - rejected) * live);
        report.memory();
    }

    /** Waits until {@code expected} measured deliveries arrived, nothing arrived for 2 s, or the drain time is up. */
    private void drain(ClientPool pool, ChildProcesses children, long expected) throws InterruptedException {
        long start = System.nanoTime();
        long last = -1;
        long lastChange = start;
        while (true) {
            long got = pool.delivered() + children.delivered();
            long now = System.nanoTime();
            if (got >= expected || now - start >= options.drain().toNanos()) {
                return;
            }
            if (got != last) {
                last = got;
                lastChange = now;
            } else if (now - lastChange > DRAIN_IDLE_NANOS) {
                return;
            }
            Thread.sleep(2);
        }
    }

    private static long millisSince(long t0) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }

    static String kib(long kib) {
        return kib < 0 ? "unknown" : String.format(Locale.ROOT, "%.1f MiB", kib / 1024.0);
    }

    /** The figures of one run as they are gathered, then printed. Confined to the run's thread. */
    private static final class Report {
        private final LoadOptions options;
        private final int live;
        private final int ready;
        private final long rss0;
        private long from;
        private long sendEnd;
        private long end;
        private long sent;
        private long rejected;
        private long sendErrors;
        private long stalls;
        private String sendError;
        private long srvCpu0 = -1;
        private long srvCpu1 = -1;
        private long genCpu0;
        private long genCpu1;
        private long rss = -1;
        private long hwm = -1;

        Report(LoadOptions options, int live, int ready, long rss0) {
            this.options = options;
            this.live = live;
            this.ready = ready;
            this.rss0 = rss0;
        }

        void cpuStart(long pid, ChildProcesses children) {
            srvCpu0 = pid > 0 ? ProcStats.cpuNanos(pid) : -1;
            genCpu0 = ProcStats.cpuNanos(ProcessHandle.current().pid()) + children.cpuNanos();
        }

        void measuredFrom(long nanos) {
            from = nanos;
        }

        void sent(long sent, long rejected, long errors, long stalls, String error, long sendEnd) {
            this.sent = sent;
            this.rejected = rejected;
            this.sendErrors = errors;
            this.stalls = stalls;
            this.sendError = error;
            this.sendEnd = sendEnd;
        }

        void cpuEnd(long pid, ChildProcesses children) {
            end = System.nanoTime();
            if (srvCpu0 >= 0) {
                srvCpu1 = ProcStats.cpuNanos(pid);
            }
            genCpu1 = ProcStats.cpuNanos(ProcessHandle.current().pid()) + children.cpuNanos();
        }

        void memory() {
            if (options.serverPid() > 0) {
                rss = ProcStats.rssKib(options.serverPid());
                hwm = ProcStats.hwmKib(options.serverPid());
            }
        }

        void print(PrintStream out, ClientPool.Totals t) {
            String mode = options.mode().name().toLowerCase(Locale.ROOT);
            double rssPerConn = rss >= 0 && rss0 >= 0 && live > 0 ? (rss - rss0) / (double) live : -1;
            StringBuilder result = new StringBuilder("RESULT label=").append(options.label()).append(" mode=").append(mode)
                    .append(" n=").append(options.connections()).append(" conn=").append(live).append(" ready=").append(ready);
            if (options.mode() == LoadOptions.Mode.IDLE) {
                out.printf(Locale.ROOT, "idle: %d connections held %d ms; server RSS %s (before connecting %s, peak %s): %.1f KiB per connection%n",
                        live, options.hold().toMillis(), kib(rss), kib(rss0), kib(hwm), rssPerConn);
                result.append(" dropped_conns=").append(t.dropped());
            } else {
                long expected = (sent - rejected) * live;
                long loss = expected - t.delivered();
                long window = (t.lastReceiveNanos() > from ? t.lastReceiveNanos() : end) - from;
                double sendSeconds = (sendEnd - from) / 1e9;
                double wall = (end - from) / 1e9;
                double delivPerS = t.delivered() / Math.max(1e-9, window / 1e9);
                LatencyHistogram h = t.histogram();
                out.printf(Locale.ROOT, "mode=%s protocol=%s n=%d connected=%d senders=%d rate=%.0f window=%d t=%dms size=%d processes=%d stalls(>1s)=%d%n",
                        mode, options.protocol().name().toLowerCase(Locale.ROOT), options.connections(), live,
                        options.senders(), options.rate(), options.window(), options.duration().toMillis(),
                        options.size(), options.processes(), stalls);
                out.printf(Locale.ROOT, "sent=%d (%.0f msg/s over %.2fs) rejected(rate_limited)=%d sendErrors=%d%s%n",
                        sent, sent / Math.max(1e-9, sendSeconds), sendSeconds, rejected, sendErrors,
                        sendError == null ? "" : " (" + sendError + ")");
                out.printf(Locale.ROOT, "expected=%d delivered=%d loss=%d (%.3f%%) perConnection[min=%d max=%d] droppedConns=%d protocolErrors=%d errorReplies=%d unknown=%d staleDeliveries=%d%n",
                        expected, t.delivered(), loss, 100.0 * loss / Math.max(1, expected), t.minReceived(),
                        t.maxReceived(), t.dropped(), t.protocolErrors(), t.errors(), t.unknown(), t.stale());
                out.printf(Locale.ROOT, "delivered/s=%.0f (first send -> last receive %.3fs)%n", delivPerS, window / 1e9);
                out.printf(Locale.ROOT, "latency p50=%s p90=%s p99=%s p99.9=%s max=%s%n", ms(h.percentileNanos(50)),
                        ms(h.percentileNanos(90)), ms(h.percentileNanos(99)), ms(h.percentileNanos(99.9)), ms(h.maxNanos()));
                double srvCpuPct = srvCpu1 >= 0 ? 100.0 * (srvCpu1 - srvCpu0) / (end - from) : -1;
                double genCpuPct = 100.0 * (genCpu1 - genCpu0) / (end - from);
                out.printf(Locale.ROOT, "cpu over %.2fs window: server=%.0f%% loadgen=%.0f%% (%% of one core); server RSS %s, peak %s%n",
                        wall, srvCpuPct, genCpuPct, kib(rss), kib(hwm));
                if (options.mode() == LoadOptions.Mode.ONCE) {
                    out.printf(Locale.ROOT, "one broadcast: %d of %d connections reached; the last after %s%n",
                            t.delivered(), live, ms(h.maxNanos()));
                    result.append(" reach_ms=").append(fmt(h.maxNanos() / 1e6));
                }
                result.append(" S=").append(options.senders()).append(" sent=").append(sent)
                        .append(" rejected=").append(rejected).append(" expected=").append(expected)
                        .append(" delivered=").append(t.delivered()).append(" loss=").append(loss)
                        .append(" dropped_conns=").append(t.dropped())
                        .append(" deliv_per_s=").append(Math.round(delivPerS))
                        .append(" p50_ms=").append(fmt(h.percentileNanos(50) / 1e6))
                        .append(" p90_ms=").append(fmt(h.percentileNanos(90) / 1e6))
                        .append(" p99_ms=").append(fmt(h.percentileNanos(99) / 1e6))
                        .append(" p999_ms=").append(fmt(h.percentileNanos(99.9) / 1e6))
                        .append(" max_ms=").append(fmt(h.maxNanos() / 1e6))
                        .append(" srv_cpu_pct=").append(Math.round(srvCpuPct))
                        .append(" gen_cpu_pct=").append(Math.round(genCpuPct));
            }
            result.append(" srv_rss_kib=").append(rss).append(" srv_hwm_kib=").append(hwm)
                    .append(" srv_rss0_kib=").append(rss0)
                    .append(" rss_per_conn_kib=").append(fmt(rssPerConn));
            out.println(result);
        }

        private static String ms(long nanos) {
            return String.format(Locale.ROOT, "%.3fms", nanos / 1e6);
        }

        private static String fmt(double v) {
            return String.format(Locale.ROOT, "%.3f", v);
        }
    }
}
