package dev.chatengine.bench.load;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The load generator's settings, parsed from its command line by {@link #parse(String[])}. Immutable.
 *
 * @param url            the WebSocket URL; its host must be in 127.0.0.0/8
 * @param target         the URL's resolved address
 * @param protocol       what is spoken on the connection: the raw echo room or chat protocol v1
 * @param room           the chat room the senders say to (chat protocol only)
 * @param connections    N, all processes together
 * @param senders        S, the connections that send (taken from the first process's share)
 * @param mode           rate, max, idle or once
 * @param rate           total messages per second over all senders (rate mode)
 * @param window         messages per sender not yet received by every connection (max mode)
 * @param size           bytes of each message's text
 * @param warmup         the unmeasured phase before the measured one (rate and max)
 * @param duration       the measured sending phase (rate and max)
 * @param drain          longest wait after sending for the deliveries still under way
 * @param hold           how long idle mode holds the connections; how long once mode waits before its broadcast
 * @param connectTimeout longest time to connect every connection and see the probe reach them all
 * @param dialParallel   handshakes under way at once, per process
 * @param processes      K: this process and K-1 child processes, each with about N/K connections
 * @param ioThreads      selector threads per process
 * @param sourceAddresses local addresses to bind, connection i to the (i mod size)th; empty: the kernel's choice
 * @param serverPid      the server's pid for its CPU and memory; 0 when not given
 * @param label          a word for the result line
 * @param spreadUrls     with {@code --url A,B,...}: every URL, for {@code --processes}: process k (this one is 0)
 *                       connects to URL k mod their number, so that clients split over the nodes of a cluster
 */
record LoadOptions(URI url, InetSocketAddress target, Protocol protocol, String room, int connections, int senders,
                   Mode mode, double rate, int window, int size, Duration warmup, Duration duration, Duration drain,
                   Duration hold, Duration connectTimeout, int dialParallel, int processes, int ioThreads,
                   List<InetAddress> sourceAddresses, long serverPid, String label, List<String> spreadUrls) {

    /** How the senders pace themselves, or what the run is for when nobody sends. */
    enum Mode {
        /** Open loop: a fixed total rate, spread evenly over the senders. */
        RATE,
        /** Closed loop: each sender keeps at most {@code window} messages that have not reached every connection. */
        MAX,
        /** Nothing is sent: connect, probe, hold, read the server's memory. */
        IDLE,
        /** Connect, probe, hold, then one broadcast: how long until the last connection has it. */
        ONCE
    }

    /** The dialect spoken on each connection. */
    enum Protocol {
        /** {@code /ws/raw}: every text message goes verbatim to every connection. */
        RAW,
        /** {@code /ws}: chat protocol v1, JSON; log in, then {@code say} to a room, receive {@code message}s. */
        CHAT
    }

    static final String USAGE = """
            Usage: java -cp benchmarks/target/benchmarks.jar dev.chatengine.bench.load.LoadGenerator [options]

            Opens N WebSocket connections over loopback to a running chat demo, waits until a probe message
            has reached every one of them (so all are in the room), then S of them send messages of SIZE
            bytes that carry their send time; every connection reads everything. Reports deliveries,
            loss, deliveries/s, latency percentiles, the server's CPU and memory (with --pid), and ends
            with one line "RESULT key=value ..." for scripts. Talks only to 127.0.0.0/8; ends by itself.

              --url URL[,URL...]     ws://127.0.0.1:8080/ws/raw (default) or ws://127.0.0.1:8080/ws; the
                         several URLs (nodes of one cluster): process k of --processes connects
                         to URL k mod their number, so the connections split over the nodes;
                                     path picks the protocol: /ws/raw verbatim, anything else chat v1
                                     (each connection logs in with a unique name and says to --room)
              --protocol raw|chat    override the protocol the path implies
              --room NAME            chat room to say to (default lobby, where login puts everyone)
              -n, --connections N    connections in all (default 100)
              -s, --senders S        connections that send (default 10)
              --mode MODE            rate: open loop at --rate messages/s in all (default)
                                     max:  closed loop, each sender keeps at most --window messages that
                                           have not yet reached every connection
                                     idle: send nothing; hold the connections for --hold, read server RSS
                                     once: warm up, hold for --hold, then one broadcast: the time until
                                           the last connection has it (reach_ms)
              --rate R               messages per second in all, rate mode (default 100)
              --window W             messages in flight per sender, max mode (default 8)
              --size B               bytes of message text (default 64)
              --warmup D             unmeasured warm-up with the same load (default 2s); once mode: one
                                     broadcast every 250 ms during it (then --hold, then the measured one)
              -t, --duration D       measured sending time (default 10s)
              --drain D              longest wait for outstanding deliveries after sending (default 5s)
              --hold D               idle: how long to hold (default 5s); once: wait before the broadcast (default 1s)
              --connect-timeout D    to connect all and see the probe everywhere (default 60s)
              --dial-parallel P      handshakes under way at once per process (default 64)
              --processes K          spread the connections over K processes: this one and K-1 children
                                     started from the same class path (default 1; one process may hold
                                     as many connections as its open-file limit allows, less about 50)
              --threads T            selector threads per process (default: number of cores)
              --bind A[,A...]        local addresses to connect from, round robin, e.g. 127.0.0.2,127.0.0.3,
                                     when one address runs out of ephemeral ports (about 28,000 each)
              --pid P                the server's pid: its CPU in the measured window, its RSS and peak RSS
              --label L              a word copied into the RESULT line
              -h, --help             this text
            Durations: 500ms, 2s, 1m. Hard deadline: connect-timeout + warmup + duration + drain + hold + 30s.

            RESULT keys: label mode n conn ready S sent rejected expected delivered loss dropped_conns
              deliv_per_s p50_ms p90_ms p99_ms p999_ms max_ms srv_cpu_pct gen_cpu_pct srv_rss_kib
              srv_hwm_kib srv_rss0_kib rss_per_conn_kib reach_ms (the keys of ../shared/bench/loadgen, and more)
            """;

    /** Thrown for a bad command line; its message says what is wrong. */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    /** Parses {@code args}; throws {@link UsageException} with a one-line reason when they are wrong. */
    static LoadOptions parse(String[] args) throws UsageException {
        String url = "ws://127.0.0.1:8080/ws/raw";
        String protocol = null;
        String room = "lobby";
        int connections = 100;
        int senders = 10;
        Mode mode = Mode.RATE;
        double rate = 100;
        int window = 8;
        int size = 64;
        Duration warmup = Duration.ofSeconds(2);
        Duration duration = Duration.ofSeconds(10);
        Duration drain = Duration.ofSeconds(5);
        Duration hold = null;
        Duration connectTimeout = Duration.ofSeconds(60);
        int dialParallel = 64;
        int processes = 1;
        int ioThreads = Runtime.getRuntime().availableProcessors();
        String bind = "";
        long pid = 0;
        String label = "java";
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            String value = null;
            int eq = name.indexOf('=');
            if (name.startsWith("--") && eq > 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (!name.equals("-h") && !name.equals("--help")) {
                if (i + 1 >= args.length) {
                    throw new UsageException(name + " needs a value");
                }
                value = args[++i];
            }
            switch (name) {
                case "-h", "--help" -> throw new UsageException("");
                case "--url" -> url = value;
                case "--protocol" -> protocol = value;
                case "--room" -> room = value;
                case "-n", "--connections" -> connections = positiveInt(name, value);
                case "-s", "--senders" -> senders = positiveInt(name, value);
                case "--mode" -> mode = parseMode(value);
                case "--rate" -> rate = positiveDouble(name, value);
                case "--window" -> window = positiveInt(name, value);
                case "--size" -> size = positiveInt(name, value);
                case "--warmup" -> warmup = duration(name, value);
                case "-t", "--duration" -> duration = duration(name, value);
                case "--drain" -> drain = duration(name, value);
                case "--hold" -> hold = duration(name, value);
                case "--connect-timeout" -> connectTimeout = duration(name, value);
                case "--dial-parallel" -> dialParallel = positiveInt(name, value);
                case "--processes" -> processes = positiveInt(name, value);
                case "--threads" -> ioThreads = positiveInt(name, value);
                case "--bind" -> bind = value;
                case "--pid" -> pid = positiveInt(name, value);
                case "--label" -> label = value.replace(' ', '_');
                default -> throw new UsageException("unknown option " + name);
            }
        }
        List<String> spread = url.contains(",") ? List.of(url.split(",")) : List.of();
        if (!spread.isEmpty()) {
            if (processes % spread.size() != 0) {
                throw new UsageException("--processes (" + processes + ") must be a multiple of the " + spread.size() + " URLs");
            }
            url = spread.getFirst();
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (Exception e) {
            throw new UsageException("bad --url " + url + ": " + e.getMessage());
        }
        if (!"ws".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new UsageException("--url must be ws://HOST:PORT/PATH with HOST in 127.0.0.0/8: " + url);
        }
        InetAddress host = loopbackAddress(uri.getHost(), "--url host");
        int port = uri.getPort() < 0 ? 80 : uri.getPort();
        List<InetAddress> sources = new ArrayList<>();
        for (String part : bind.split(",")) {
            if (!part.isBlank()) {
                sources.add(loopbackAddress(part.trim(), "--bind address"));
            }
        }
        Protocol proto;
        if (protocol == null) {
            String path = uri.getRawPath() == null ? "" : uri.getRawPath();
            proto = path.endsWith("/raw") ? Protocol.RAW : Protocol.CHAT;
        } else {
            proto = switch (protocol.toLowerCase(Locale.ROOT)) {
                case "raw" -> Protocol.RAW;
                case "chat" -> Protocol.CHAT;
                default -> throw new UsageException("--protocol is raw or chat: " + protocol);
            };
        }
        if (size < 24) {
            throw new UsageException("--size must be at least 24 bytes, room for the send time: " + size);
        }
        if (processes > connections) {
            throw new UsageException("--processes (" + processes + ") exceeds --connections (" + connections + ")");
        }
        int firstShare = share(connections, processes, 0);
        int actualSenders = switch (mode) {
            case IDLE -> 0;
            case ONCE -> 1;
            case RATE, MAX -> Math.min(senders, firstShare);
        };
        if (hold == null) {
            hold = mode == Mode.ONCE ? Duration.ofSeconds(1) : Duration.ofSeconds(5);
        }
        return new LoadOptions(uri, new InetSocketAddress(host, port), proto, room, connections, actualSenders, mode,
                rate, window, size, warmup, duration, drain, hold, connectTimeout, dialParallel, processes, ioThreads,
                List.copyOf(sources), pid, label, spread);
    }

    /** The connections process {@code index} of {@code processes} holds: N/K, the first takes the remainder. */
    static int share(int connections, int processes, int index) {
        int base = connections / processes;
        return index == 0 ? base + connections % processes : base;
    }

    /** The global index of the first connection of process {@code index}. */
    static int firstIndex(int connections, int processes, int index) {
        return index == 0 ? 0 : share(connections, processes, 0) + (index - 1) * (connections / processes);
    }

    /** The whole run may take no longer than this; a watchdog ends the process after it. */
    Duration hardDeadline() {
        return connectTimeout.plus(warmup).plus(duration).plus(drain).plus(hold).plus(Duration.ofSeconds(30));
    }

    /** The request path with its query, for the handshake. */
    String requestTarget() {
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        return url.getRawQuery() == null ? path : path + "?" + url.getRawQuery();
    }

    /** The Host header value. */
    String hostHeader() {
        return url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort());
    }

    private static InetAddress loopbackAddress(String host, String what) throws UsageException {
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new UsageException(what + " " + host + " does not resolve");
        }
        if (!(address instanceof Inet4Address) || (address.getAddress()[0] & 0xFF) != 127) {
            throw new UsageException(what + " " + host + " (" + address.getHostAddress()
                    + ") is outside 127.0.0.0/8: this tool talks to loopback only");
        }
        return address;
    }

    private static Mode parseMode(String value) throws UsageException {
        try {
            return Mode.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--mode is rate, max, idle or once: " + value);
        }
    }

    private static int positiveInt(String name, String value) throws UsageException {
        try {
            int v = Integer.parseInt(value.replace("_", "").replace(",", ""));
            if (v > 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new UsageException(name + " takes a whole number above 0: " + value);
    }

    private static double positiveDouble(String name, String value) throws UsageException {
        try {
            double v = Double.parseDouble(value);
            if (v > 0 && Double.isFinite(v)) {
                return v;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new UsageException(name + " takes a number above 0: " + value);
    }

    /** Parses 500ms, 2s, 1m, 1.5s; a bare number is seconds. */
    static Duration duration(String name, String value) throws UsageException {
        String v = value.trim().toLowerCase(Locale.ROOT);
        double factorNanos;
        String number;
        if (v.endsWith("ms")) {
            factorNanos = 1e6;
            number = v.substring(0, v.length() - 2);
        } else if (v.endsWith("s")) {
            factorNanos = 1e9;
            number = v.substring(0, v.length() - 1);
        } else if (v.endsWith("m")) {
            factorNanos = 60e9;
            number = v.substring(0, v.length() - 1);
        } else {
            factorNanos = 1e9;
            number = v;
        }
        try {
            double d = Double.parseDouble(number);
            if (d >= 0 && Double.isFinite(d)) {
                return Duration.ofNanos((long) (d * factorNanos));
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new UsageException(name + " takes a duration such as 500ms, 2s or 1m: " + value);
    }

    /** The command-line arguments that reproduce these options, for a child process. */
    List<String> toArgs() {
        List<String> a = new ArrayList<>(List.of(
                "--url", url.toString(), "--protocol", protocol.name().toLowerCase(Locale.ROOT), "--room", room,
                "--connections", Integer.toString(connections), "--senders", Integer.toString(Math.max(1, senders)),
                "--mode", mode.name().toLowerCase(Locale.ROOT), "--rate", Double.toString(rate),
                "--window", Integer.toString(window), "--size", Integer.toString(size),
                "--warmup", warmup.toMillis() + "ms", "--duration", duration.toMillis() + "ms",
                "--drain", drain.toMillis() + "ms", "--hold", hold.toMillis() + "ms",
                "--connect-timeout", connectTimeout.toMillis() + "ms", "--dial-parallel", Integer.toString(dialParallel),
                "--processes", Integer.toString(processes), "--threads", Integer.toString(ioThreads),
                "--label", label));
        if (!sourceAddresses.isEmpty()) {
            a.add("--bind");
            a.add(String.join(",", sourceAddresses.stream().map(InetAddress::getHostAddress).toList()));
        }
        return a;
    }
}
