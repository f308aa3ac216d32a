package dev.chatengine.testing;

import dev.chatengine.engine.Attributes;
import dev.chatengine.engine.DisconnectReason;
import dev.chatengine.engine.transport.Connection;
import dev.chatengine.engine.transport.EncodedMessage;
import dev.chatengine.engine.transport.Inbound;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.security.Principal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * An in-memory {@link Connection} for tests of an application on the engine, without sockets: the
 * test plays the peer. Serve it like a transport's connection, on a thread of its own, with a hub
 * that encodes with {@link IdentityEncoder}, so that what the engine writes reads back as text:
 *
 * <pre>{@code
 * Hub hub = Hub.create(HubConfig.defaults(), IdentityEncoder.INSTANCE);
 * InMemoryConnection peer = new InMemoryConnection().withPrincipal(() -> "alice");
 * Thread.ofVirtual().start(() -> hub.serve(peer, myHandler));
 * peer.feed("hello");
 * assertEquals("echo: hello", peer.nextWritten(Duration.ofSeconds(10)));
 * peer.peerClose();
 * }</pre>
 *
 * Thread-safe.
 *
 * <ul>
 *   <li>Inbound: {@link #feed(String)}, {@link #feedPong()}, {@link #peerClose()}, {@link #fail()} queue
 *       what {@link #read()} returns next.</li>
 *   <li>Outbound: every written message is recorded as its text ({@link IdentityEncoder} wire form);
 *       pings, the close reason, batches and the writing threads' names too.</li>
 *   <li>Misbehaviour: {@link #blockWrites()} makes every write (and ping, and close) block until
 *       {@link #unblockWrites()} or {@link #abort()}: a slow peer if you unblock it later, a stuck one
 *       if you never do.</li>
 *   <li>Peer behaviour: by default the peer answers pings with pongs and answers a close with a
 *       close (so {@code read()} then returns {@link Inbound.Closed}); both can be turned off.</li>
 * </ul>
 * Every state change signals one condition; {@link #await} waits on it with a deadline.
 */
public final class InMemoryConnection implements Connection {

    private static final AtomicInteger NEXT_PORT = new AtomicInteger(10_000);
    private static final Object ABORTED = new Object();
    private static final Object FAILED = new Object();

    private final String address = "in-memory:" + NEXT_PORT.incrementAndGet();
    private final LinkedBlockingQueue<Object> inbound = new LinkedBlockingQueue<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();

    // guarded by lock
    private final List<String> received = new ArrayList<>();
    private final List<Integer> batchSizes = new ArrayList<>();
    private final java.util.Set<String> writerThreads = new java.util.LinkedHashSet<>();
    private int taken; // how many of received nextWritten has handed out
    private int pings;
    private int closeCalls;
    private DisconnectReason closedWith;
    private dev.chatengine.engine.ApplicationClose applicationClose;
    private boolean aborted;
    private boolean writesBlocked;
    private int writesWaiting;

    private volatile boolean answerPings = true;
    private volatile boolean answerClose = true;
    private volatile Optional<Principal> principal = Optional.empty();
    private volatile Attributes attributes = Attributes.empty();

    /** A connection whose peer is anonymous, answers pings and answers a close; nothing is blocked. */
    public InMemoryConnection() {
    }

    /** The peer's identity, as a transport's handshake would have set it (before the hub serves this connection). */
    public InMemoryConnection withPrincipal(Principal principal) {
        this.principal = Optional.of(principal);
        return this;
    }

    /** The connection's attributes, as a transport's handshake would have set them (before the hub serves it). */
    public InMemoryConnection withAttributes(Attributes attributes) {
        this.attributes = Objects.requireNonNull(attributes, "attributes");
        return this;
    }

    // ---- the peer's side, for tests ----

    /** Queues a text message from the peer. */
    public void feed(String text) {
        inbound.add(Inbound.Text.of(text));
    }

    /** Queues a binary message from the peer. */
    public void feedBinary(byte[] data) {
        inbound.add(new Inbound.Binary(data));
    }

    /** Queues a pong from the peer. */
    public void feedPong() {
        inbound.add(new Inbound.Pong());
    }

    /** The peer closes in an orderly way: read() returns Closed(PEER_CLOSED). */
    public void peerClose() {
        inbound.add(new Inbound.Closed(DisconnectReason.PEER_CLOSED));
    }

    /** The connection fails: read() throws IOException. */
    public void fail() {
        inbound.add(FAILED);
    }

    /** Whether the peer answers each ping with a pong (default true). */
    public InMemoryConnection answerPings(boolean answer) {
        this.answerPings = answer;
        return this;
    }

    /** Whether the peer answers our close with its close, ending read() (default true). */
    public InMemoryConnection answerClose(boolean answer) {
        this.answerClose = answer;
        return this;
    }

    /** From now on every write, ping and close blocks until {@link #unblockWrites()} or {@link #abort()}. */
    public void blockWrites() {
        lock.lock();
        try {
            writesBlocked = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Lets blocked and future writes through. */
    public void unblockWrites() {
        lock.lock();
        try {
            writesBlocked = false;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    // ---- what the engine did, for assertions ----

    /** The texts written so far, in order. */
    public List<String> received() {
        return locked(() -> List.copyOf(received));
    }

    /**
     * The next written text that this method has not returned yet, in the order written, waiting up
     * to {@code timeout} for it; fails with an {@link AssertionError} when none comes.
     */
    public String nextWritten(Duration timeout) {
        await("message " + (locked(() -> taken) + 1), timeout, c -> c.received.size() > c.taken);
        return locked(() -> received.get(taken++));
    }

    /** The written texts {@link #nextWritten} has not returned yet (empty when a test took all it expected). */
    public List<String> untakenWritten() {
        return locked(() -> List.copyOf(received.subList(taken, received.size())));
    }

    /** The number of messages in each write call, in order. */
    public List<Integer> batchSizes() {
        return locked(() -> List.copyOf(batchSizes));
    }

    /** Names of the threads that called write, ping or close (the write pump's). */
    public java.util.Set<String> writerThreads() {
        return locked(() -> java.util.Set.copyOf(writerThreads));
    }

    /** Pings the engine sent. */
    public int pings() {
        return locked(() -> pings);
    }

    /** Calls of {@link #close}, the repeated ones included. */
    public int closeCalls() {
        return locked(() -> closeCalls);
    }

    /** The reason of the first close call, or null. */
    public DisconnectReason closedWith() {
        return locked(() -> closedWith);
    }

    /** True once the engine (or the test) aborted the connection. */
    public boolean isAborted() {
        return locked(() -> aborted);
    }

    /** True while some write, ping or close is blocked inside this connection. */
    public boolean isWriteBlocked() {
        return locked(() -> writesWaiting > 0);
    }

    /** Waits until {@code condition} holds for this connection; fails with {@code what} after {@code timeout}. */
    public void await(String what, Duration timeout, Predicate<InMemoryConnection> condition) {
        long remaining = timeout.toNanos();
        lock.lock();
        try {
            while (!condition.test(this)) {
                if (remaining <= 0) {
                    throw new AssertionError("timed out after " + timeout + " waiting for " + address + ": " + what
                            + " (received " + received.size() + ", pings " + pings + ", closed " + closedWith
                            + ", aborted " + aborted + ")");
                }
                remaining = changed.awaitNanos(remaining);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for " + what, e);
        } finally {
            lock.unlock();
        }
    }

    /** Waits until at least {@code count} messages were written; returns all written so far. */
    public List<String> awaitReceived(int count, Duration timeout) {
        await(count + " messages", timeout, c -> c.received.size() >= count);
        return received();
    }

    // ---- Connection ----

    /** The next event the test fed; throws once the connection was aborted or {@link #fail()}ed. */
    @Override
    public Inbound read() throws IOException {
        Object next;
        try {
            next = inbound.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        }
        if (next == ABORTED) {
            inbound.add(ABORTED); // every later read fails too
            throw new IOException("connection aborted");
        }
        if (next == FAILED) {
            throw new IOException("connection failed (test)");
        }
        return (Inbound) next;
    }

    /** Records the texts (blocks while writes are blocked). */
    @Override
    public void write(EncodedMessage[] batch, int count) throws IOException {
        lock.lock();
        try {
            passGate();
            for (int i = 0; i < count; i++) {
                received.add(IdentityEncoder.decode(batch[i]));
            }
            batchSizes.add(count);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Counts the ping and, unless turned off, answers it with a pong. */
    @Override
    public void ping() throws IOException {
        lock.lock();
        try {
            passGate();
            pings++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (answerPings) {
            feedPong();
        }
    }

    /** Records the application's code and reason too ({@link #applicationClose()}), then closes as for APPLICATION. */
    @Override
    public void close(dev.chatengine.engine.ApplicationClose close) {
        lock.lock();
        try {
            if (closedWith == null) {
                applicationClose = close;
            }
        } finally {
            lock.unlock();
        }
        close(DisconnectReason.APPLICATION);
    }

    /** The code and reason given to {@link #close(dev.chatengine.engine.ApplicationClose)}, or null. */
    public dev.chatengine.engine.ApplicationClose applicationClose() {
        return locked(() -> applicationClose);
    }

    /** Records the reason and, unless turned off, answers with the peer's close. */
    @Override
    public void close(DisconnectReason reason) {
        lock.lock();
        try {
            passGate();
            closeCalls++;
            if (closedWith == null) {
                closedWith = reason;
                if (answerClose) {
                    inbound.add(new Inbound.Closed(reason));
                }
            }
            changed.signalAll();
        } catch (IOException e) {
            // aborted while blocked: the close frame never went out
        } finally {
            lock.unlock();
        }
    }

    /** Makes every later {@link #read()} and blocked write fail. */
    @Override
    public void abort() {
        lock.lock();
        try {
            if (!aborted) {
                aborted = true;
                inbound.add(ABORTED);
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** {@code in-memory:<n>}, unique per connection. */
    @Override
    public String remoteAddress() {
        return address;
    }

    /** What {@link #withPrincipal} set, empty by default. */
    @Override
    public Optional<Principal> principal() {
        return principal;
    }

    /** What {@link #withAttributes} set, empty by default. */
    @Override
    public Attributes attributes() {
        return attributes;
    }

    @Override
    public String toString() {
        return "InMemoryConnection[" + address + "]";
    }

    /** Under lock: blocks while writes are blocked; fails once aborted. Records the calling thread. */
    private void passGate() throws IOException {
        writerThreads.add(Thread.currentThread().getName());
        writesWaiting++;
        changed.signalAll();
        try {
            while (writesBlocked && !aborted) {
                changed.await(1, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        } finally {
            writesWaiting--;
        }
        if (aborted) {
            throw new IOException("connection aborted");
        }
    }

    private <T> T locked(java.util.function.Supplier<T> read) {
        lock.lock();
        try {
            return read.get();
        } finally {
            lock.unlock();
        }
    }
}
