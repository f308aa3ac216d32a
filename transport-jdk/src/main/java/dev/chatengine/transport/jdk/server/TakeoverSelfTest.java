package dev.chatengine.transport.jdk.server;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Checks once per JVM, before the first {@link WebSocketHandler} is made, that the takeover of
 * {@code HttpServer}'s upgraded exchange behaves as on JDK 25 ({@link JdkExchangeTakeover}): one
 * upgrade on a private loopback server, after which the client must have read the 101 and the
 * server's exchange count must be back at 0. Field names that resolve are not enough: a JDK whose
 * {@code sendResponseHeaders(101, -1)} no longer ends the exchange would leak a count per session,
 * unseen, until {@code HttpServer.stop} hangs. Fails {@link WebSocketHandler#create} with a message
 * that says so. Thread-safe.
 */
final class TakeoverSelfTest {

    private static final System.Logger LOG = System.getLogger(TakeoverSelfTest.class.getName());
    /** Generous: the machine may be busy; the check itself takes a few milliseconds. */
    private static final long TIMEOUT_SECONDS = 20;
    static final int TESTED_FEATURE_VERSION = 25;

    private static boolean passed; // guarded by the class
    private static String failure; // guarded by the class

    private TakeoverSelfTest() {
    }

    /** Runs the check the first time; throws {@link IllegalStateException} when it failed (then or before). */
    static synchronized void requirePassed() {
        if (passed) {
            return;
        }
        if (failure == null) {
            try {
                run();
                passed = true;
                int feature = Runtime.version().feature();
                if (feature != TESTED_FEATURE_VERSION) {
                    LOG.log(Level.WARNING, "The WebSocket takeover of HttpServer's connections was written for JDK "
                            + TESTED_FEATURE_VERSION + " and runs on " + Runtime.version() + "; its self-test passed");
                }
                return;
            } catch (Exception | AssertionError e) {
                failure = "The WebSocket takeover of HttpServer's upgraded connection does not behave on "
                        + Runtime.version() + " as on JDK " + TESTED_FEATURE_VERSION + " (JDK-8368695: no public API): " + e;
                LOG.log(Level.ERROR, failure, e);
            }
        }
        throw new IllegalStateException(failure);
    }

    private static void run() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        CompletableFuture<Void> released = new CompletableFuture<>();
        server.setExecutor(executor);
        server.createContext("/", exchange -> Thread.ofVirtual().name("websocket-self-test").start(() -> {
            try {
                JdkExchangeTakeover.RawConnection raw = JdkExchangeTakeover.takeOver(exchange);
                raw.out().write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"
                        .getBytes(StandardCharsets.ISO_8859_1));
                raw.out().flush();
                JdkExchangeTakeover.detachStreams(exchange);
                JdkExchangeTakeover.forgetRequest(exchange);
                raw.channel().close(); // as a session's end does
                JdkExchangeTakeover.release(exchange);
                released.complete(null);
            } catch (IOException | RuntimeException e) {
                released.completeExceptionally(e);
            }
        }));
        server.start();
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.getAddress().getPort())) {
            socket.setSoTimeout((int) TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
            OutputStream out = socket.getOutputStream();
            out.write(("GET / HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            if (!answer.startsWith("HTTP/1.1 101 ")) {
                throw new AssertionError("the client read '" + answer.lines().findFirst().orElse("") + "', not a 101");
            }
            if (answer.indexOf("HTTP/1.1", 1) >= 0) {
                throw new AssertionError("the server wrote a second response after the 101: " + answer);
            }
            released.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            awaitNoExchanges(server);
        } finally {
            server.stop(0);
            executor.shutdownNow();
        }
    }

    private static void awaitNoExchanges(HttpServer server) throws Exception {
        try {
            awaitNoExchangesReflectively(server);
        } catch (Exception | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    private static void awaitNoExchangesReflectively(HttpServer server) throws Throwable {
        Object impl = MethodHandles.privateLookupIn(server.getClass(), MethodHandles.lookup())
                .findVarHandle(server.getClass(), "server", Class.forName("sun.net.httpserver.ServerImpl")).get(server);
        MethodHandle count = MethodHandles.privateLookupIn(impl.getClass(), MethodHandles.lookup())
                .findVirtual(impl.getClass(), "getExchangeCount", MethodType.methodType(int.class));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        int exchanges;
        while ((exchanges = (int) count.invoke(impl)) != 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("HttpServer still counts " + exchanges + " exchange(s) after a released takeover");
            }
            Thread.sleep(5);
        }
    }
}
