package dev.chatengine.bench.load;

import dev.chatengine.transport.jdk.protocol.Handshake;
import dev.chatengine.transport.jdk.protocol.ProtocolException;
import dev.chatengine.transport.jdk.protocol.ReadEvent;
import dev.chatengine.transport.jdk.protocol.Role;
import dev.chatengine.transport.jdk.protocol.WebSocketDecoder;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * One selector thread of the load generator: it connects its share of the connections, does their
 * handshakes (and chat logins), reads and decodes everything they receive, and counts it.
 *
 * <p>Thread contract: one platform thread runs {@link #run()} and owns every connection given to
 * it, its histogram and its counters. Other threads call {@link #connect}, {@link #stop} and read
 * the counters published as volatile fields (updated once per select round). The histogram and the
 * per-connection counts may be read only after {@link #stop} has returned.
 *
 * <p>Reading costs one {@code read()} per ready socket per select round into one scratch buffer
 * shared by all of the loop's connections; only the bytes of a frame that has not yet fully
 * arrived are copied into a per-connection array, allocated when first needed. Decoding is the
 * project's {@link WebSocketDecoder} in the client role; scanning a message allocates nothing.
 */
final class IoLoop implements Runnable, Dialect.Sink {

    /** Largest message a connection accepts: a chat {@code joined} reply with history fits many times. */
    private static final int MAX_MESSAGE_BYTES = 1 << 20;
    private static final int SCRATCH_BYTES = 256 * 1024;
    private static final int MAX_HANDSHAKE_BYTES = 16 * 1024;
    private static final int CONNECT_ATTEMPTS = 3;
    private static final byte[] HEADER_END = {'\r', '\n', '\r', '\n'};

    private final ClientPool.Shared shared;
    private final Selector selector;
    private final Queue<ClientConnection> toConnect = new ConcurrentLinkedQueue<>();
    private final List<ClientConnection> connections = new ArrayList<>();
    private final Thread thread;
    private ByteBuffer scratch = ByteBuffer.allocate(SCRATCH_BYTES);
    private volatile boolean stopping;

    // Owned by the loop thread.
    private final LatencyHistogram histogram = new LatencyHistogram();
    private final long[][] ackSeq;
    private final int[][] ackCount;
    private int openCount;
    private ClientConnection current;
    private long now;
    private long measureFrom;
    private long deliveredLocal;
    private long staleLocal;
    private long lastReceiveLocal;
    private long unknownLocal;

    // Published once per round for other threads.
    private volatile long delivered;
    private volatile long stale;
    private volatile long lastReceiveNanos;
    private volatile int probed;
    private volatile int open;
    private volatile int failed;
    private volatile int dropped;
    private volatile long rejected;
    private volatile long errors;
    private volatile long unknown;
    private volatile long protocolErrors;
    private volatile String firstFailure;
    /** Per sender: the highest seq every open connection of this loop has received; -1 before any. */
    final AtomicLongArray completed;

    IoLoop(ClientPool.Shared shared, int number) throws IOException {
        this.shared = shared;
        this.selector = Selector.open();
        int senders = Math.max(1, shared.options.senders());
        int ring = Math.max(16, 4 * shared.options.window());
        this.ackSeq = new long[senders][ring];
        this.ackCount = new int[senders][ring];
        for (long[] seqs : ackSeq) {
            java.util.Arrays.fill(seqs, -1);
        }
        this.completed = new AtomicLongArray(senders);
        for (int i = 0; i < senders; i++) {
            completed.set(i, -1);
        }
        this.thread = new Thread(this, "io-loop-" + number);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Hands {@code connection} to this loop, which opens it; called by the dialing thread. */
    void connect(ClientConnection connection) {
        toConnect.add(connection);
        selector.wakeup();
    }

    /** Stops the loop, closes its connections and waits for the thread to end. */
    void stop() throws InterruptedException {
        stopping = true;
        selector.wakeup();
        thread.join();
    }

    long delivered() {
        return delivered;
    }

    long stale() {
        return stale;
    }

    long lastReceiveNanos() {
        return lastReceiveNanos;
    }

    int probed() {
        return probed;
    }

    int open() {
        return open;
    }

    int failed() {
        return failed;
    }

    int dropped() {
        return dropped;
    }

    long rejected() {
        return rejected;
    }

    long errors() {
        return errors;
    }

    long unknownCount() {
        return unknown;
    }

    long protocolErrors() {
        return protocolErrors;
    }

    String firstFailure() {
        return firstFailure;
    }

    /** The loop's latency histogram; only after {@link #stop}. */
    LatencyHistogram histogram() {
        return histogram;
    }

    /** The loop's connections; their counts are stable only after {@link #stop}. */
    List<ClientConnection> connections() {
        return connections;
    }

    @Override
    public void run() {
        try {
            while (!stopping) {
                ClientConnection c;
                while ((c = toConnect.poll()) != null) {
                    open(c);
                }
                selector.select(this::ready, 100);
                publish();
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("loadgen: " + thread.getName() + " failed: " + e);
            e.printStackTrace();
        } finally {
            for (ClientConnection c : connections) {
                c.closeQuietly();
            }
            try {
                selector.close();
            } catch (IOException e) {
                // nothing to do
            }
            publish();
        }
    }

    private void publish() {
        delivered = deliveredLocal;
        stale = staleLocal;
        lastReceiveNanos = lastReceiveLocal;
        unknown = unknownLocal;
    }

    private void open(ClientConnection c) {
        if (c.attempts == 0) {
            connections.add(c);
        }
        c.attempts++;
        try {
            SocketChannel ch = SocketChannel.open();
            c.channel = ch;
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            List<java.net.InetAddress> sources = shared.options.sourceAddresses();
            if (!sources.isEmpty()) {
                ch.bind(new java.net.InetSocketAddress(sources.get(c.index % sources.size()), 0));
            }
            c.state = ClientConnection.State.CONNECTING;
            if (ch.connect(shared.options.target())) {
                c.key = ch.register(selector, SelectionKey.OP_READ, c);
                connected(c);
            } else {
                c.key = ch.register(selector, SelectionKey.OP_CONNECT, c);
            }
        } catch (IOException | RuntimeException e) {
            failBeforeOpen(c, e.toString());
        }
    }

    private void connected(ClientConnection c) throws IOException {
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        c.webSocketKey = Base64.getEncoder().encodeToString(nonce);
        String request = "GET " + shared.options.requestTarget() + " HTTP/1.1\r\n"
                + "Host: " + shared.options.hostHeader() + "\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + c.webSocketKey + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + "Origin: http://" + shared.options.hostHeader() + "\r\n\r\n";
        c.state = ClientConnection.State.HANDSHAKE;
        c.writeRaw(request.getBytes(StandardCharsets.US_ASCII));
    }

    private void ready(SelectionKey key) {
        ClientConnection c = (ClientConnection) key.attachment();
        try {
            if (c.state == ClientConnection.State.CONNECTING) {
                if (key.isConnectable() && c.channel.finishConnect()) {
                    key.interestOps(SelectionKey.OP_READ);
                    connected(c);
                }
                return;
            }
            if (key.isReadable()) {
                read(c);
            }
        } catch (IOException | RuntimeException e) {
            if (c.state == ClientConnection.State.OPEN) {
                lost(c, e.toString());
            } else {
                failBeforeOpen(c, e.toString());
            }
        }
    }

    private void read(ClientConnection c) throws IOException {
        ByteBuffer buf = scratch;
        buf.clear();
        if (c.leftoverLength > 0) {
            if (c.leftoverLength > buf.capacity() / 2) {
                scratch = buf = ByteBuffer.allocate(c.leftoverLength * 2);
            }
            buf.put(c.leftover, 0, c.leftoverLength);
        }
        int n = c.channel.read(buf);
        if (n < 0) {
            if (c.state == ClientConnection.State.OPEN) {
                lost(c, "end of stream");
            } else {
                failBeforeOpen(c, "end of stream during " + c.state);
            }
            return;
        }
        now = System.nanoTime();
        // Read after the bytes arrived: a message sent after the switch is never taken for stale.
        measureFrom = shared.measureFromNanos;
        buf.flip();
        if (c.state == ClientConnection.State.HANDSHAKE && !handshake(c, buf)) {
            return;
        }
        current = c;
        try {
            ReadEvent event;
            while (c.isLive() && (event = c.decoder.next(buf)) != null) {
                switch (event) {
                    case ReadEvent.Message m -> {
                        if (m.text()) {
                            shared.dialect.scan(m.payload(), this);
                        } else {
                            unknownLocal++;
                        }
                    }
                    case ReadEvent.Ping p -> c.pong(p.payload());
                    case ReadEvent.Pong p -> {
                        // unsolicited pongs are allowed and mean nothing
                    }
                    case ReadEvent.Close close -> {
                        lost(c, "server closed: " + close.status());
                        return;
                    }
                }
            }
        } catch (ProtocolException e) {
            protocolErrors++;
            lost(c, "protocol error: " + e.getMessage());
            return;
        } finally {
            current = null;
        }
        if (c.isLive()) {
            c.keepLeftover(buf);
        }
    }

    /** Consumes the 101 response; false when it is incomplete or wrong (then the connection is handled). */
    private boolean handshake(ClientConnection c, ByteBuffer buf) throws IOException {
        int end = indexOf(buf, HEADER_END);
        if (end < 0) {
            if (buf.remaining() > MAX_HANDSHAKE_BYTES) {
                failBeforeOpen(c, "handshake response over " + MAX_HANDSHAKE_BYTES + " bytes");
            } else {
                c.keepLeftover(buf);
            }
            return false;
        }
        byte[] head = new byte[end + HEADER_END.length];
        buf.get(head);
        String response = new String(head, StandardCharsets.ISO_8859_1);
        String statusLine = response.substring(0, response.indexOf('\r'));
        if (!statusLine.startsWith("HTTP/1.1 101")) {
            failBeforeOpen(c, "handshake refused: " + statusLine);
            return false;
        }
        String accept = header(response, "sec-websocket-accept");
        if (!Handshake.acceptValue(c.webSocketKey).equals(accept)) {
            failBeforeOpen(c, "bad Sec-WebSocket-Accept: " + accept);
            return false;
        }
        c.decoder = new WebSocketDecoder(Role.CLIENT, MAX_MESSAGE_BYTES);
        c.leftoverLength = 0;
        if (shared.dialect.needsLogin()) {
            c.state = ClientConnection.State.LOGIN;
            c.send(shared.dialect.login(c.name));
        } else {
            opened(c);
        }
        return true;
    }

    private static String header(String response, String name) {
        for (String line : response.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }

    private static int indexOf(ByteBuffer buf, byte[] needle) {
        int limit = buf.limit() - needle.length;
        outer:
        for (int i = buf.position(); i <= limit; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (buf.get(i + j) != needle[j]) {
                    continue outer;
                }
            }
            return i - buf.position();
        }
        return -1;
    }

    private void opened(ClientConnection c) {
        c.state = ClientConnection.State.OPEN;
        openCount++;
        open = openCount;
        shared.dialPermits.release();
    }

    private void failBeforeOpen(ClientConnection c, String why) {
        if (c.channel != null) {
            try {
                c.channel.close();
            } catch (IOException e) {
                // nothing to do
            }
        }
        if (c.attempts < CONNECT_ATTEMPTS && !stopping && !shared.closing) {
            c.leftoverLength = 0;
            LockSupport.parkNanos(1_000_000); // a moment for the server's accept backlog to drain
            open(c);
            return;
        }
        c.state = ClientConnection.State.CLOSED;
        if (firstFailure == null) {
            firstFailure = why;
        }
        failed++;
        shared.dialPermits.release();
    }

    private void lost(ClientConnection c, String why) {
        boolean wasOpen = c.state == ClientConnection.State.OPEN;
        c.closeQuietly();
        if (wasOpen) {
            openCount--;
            open = openCount;
            if (!shared.closing) {
                dropped++;
                if (firstFailure == null) {
                    firstFailure = "connection " + c.index + " lost: " + why;
                }
            }
        }
    }

    // ---- Dialect.Sink: what one message held; `current` is the connection it came on ----

    @Override
    public void data(long sendNanos, int sender, long seq) {
        if (sender < ackSeq.length && sender >= 0) {
            acknowledge(sender, seq);
        }
        if (sendNanos < measureFrom) {
            staleLocal++;
            return;
        }
        histogram.record(now - sendNanos);
        deliveredLocal++;
        current.received++;
        lastReceiveLocal = now;
    }

    /**
     * Counts one receipt of {@code sender}'s message {@code seq}. Each connection receives a sender's
     * messages in order (one room, one order), so once every open connection of this loop has seq,
     * it has every earlier one too: "completed" only moves forward, and is all a closed-loop sender
     * needs to know.
     */
    private void acknowledge(int sender, long seq) {
        long[] seqs = ackSeq[sender];
        int slot = (int) (seq % seqs.length);
        int[] counts = ackCount[sender];
        if (seqs[slot] != seq) {
            seqs[slot] = seq;
            counts[slot] = 0;
        }
        if (++counts[slot] >= openCount && seq > completed.getPlain(sender)) {
            completed.setRelease(sender, seq);
            Thread waiter = shared.ackWaiter(sender);
            if (waiter != null) {
                LockSupport.unpark(waiter);
            }
        }
    }

    @Override
    public void probe() {
        if (!current.probed) {
            current.probed = true;
            probed = probed + 1; // single writer
        }
    }

    @Override
    public void welcome() {
        if (current.state == ClientConnection.State.LOGIN) {
            opened(current);
        }
    }

    @Override
    public void error(boolean rateLimited) {
        if (rateLimited) {
            rejected = rejected + 1;
        } else {
            errors = errors + 1;
            if (current.state == ClientConnection.State.LOGIN) {
                current.attempts = CONNECT_ATTEMPTS; // the same name would be refused again
                failBeforeOpen(current, "login refused");
            }
        }
    }

    @Override
    public void unknown() {
        unknownLocal++;
    }
}
