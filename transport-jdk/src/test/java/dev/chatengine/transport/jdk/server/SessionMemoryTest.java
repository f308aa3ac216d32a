package dev.chatengine.transport.jdk.server;

import com.sun.net.httpserver.HttpServer;
import dev.chatengine.engine.DisconnectReason;
import dev.chatengine.transport.jdk.protocol.Opcode;
import dev.chatengine.transport.jdk.protocol.ReadEvent;
import org.junit.jupiter.api.Test;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.lang.ref.WeakReference;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A plain-HTTP session keeps none of {@code HttpServer}'s per-connection stream buffers (about 24
 * KiB a connection, see {@link JdkExchangeTakeover#detachStreams}) and none of the exchange thread's
 * frames; the session still works and still ends the server's way.
 */
class SessionMemoryTest {

    @Test
    void theServersBufferedStreamsBecomeUnreachableWhileTheSessionRuns() throws Exception {
        List<WeakReference<Object>> serverStreams = new ArrayList<>();
        BlockingQueue<String> sessionThreads = new LinkedBlockingQueue<>();
        BlockingQueue<DisconnectReason> ended = new LinkedBlockingQueue<>();
        WebSocketHandler ws = WebSocketHandler.create(WebSocketConfig.defaults(), connection -> {
            sessionThreads.add(Thread.currentThread().getName());
            ended.add(EchoServer.echo(connection));
        });
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        server.createContext("/ws", exchange -> {
            Object impl = field(exchange, "impl");
            Object ris = field(impl, "ris");
            Object ros = field(impl, "ros");
            assertThat(ris).isInstanceOf(BufferedInputStream.class); // else this test proves nothing
            assertThat(ros).isInstanceOf(BufferedOutputStream.class);
            synchronized (serverStreams) {
                serverStreams.add(new WeakReference<>(ris));
                serverStreams.add(new WeakReference<>(ros));
                serverStreams.add(new WeakReference<>(field(field(impl, "req"), "buf")));
            }
            ws.handle(exchange);
        });
        server.start();
        try (RawClient client = RawClient.connect(server.getAddress().getPort(), "/ws")) {
            client.sendFrame(true, Opcode.TEXT, "one".getBytes(StandardCharsets.UTF_8));
            assertThat(client.readEvent()).isEqualTo(new ReadEvent.Message(true, "one".getBytes(StandardCharsets.UTF_8)));
            assertThat(sessionThreads.poll(20, TimeUnit.SECONDS)).isEqualTo("websocket-session");

            awaitCleared(serverStreams);

            client.sendFrame(true, Opcode.TEXT, "two".getBytes(StandardCharsets.UTF_8));
            assertThat(client.readEvent()).isEqualTo(new ReadEvent.Message(true, "two".getBytes(StandardCharsets.UTF_8)));
            client.sendFrame(true, Opcode.CLOSE, new byte[] {0x03, (byte) 0xE8});
            assertThat(client.readEvent()).isInstanceOf(ReadEvent.Close.class);
            assertThat(client.readsEndOfStream()).isTrue();
            assertThat(ended.poll(20, TimeUnit.SECONDS)).isEqualTo(DisconnectReason.PEER_CLOSED);
            assertThat(ServerInternals.awaitExchangeCount(server, 0)).isZero();
        } finally {
            server.stop(0);
            executor.shutdownNow();
        }
    }

    /** Collects garbage until every reference is cleared, up to 20 s. */
    private static void awaitCleared(List<WeakReference<Object>> references) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            System.gc();
            synchronized (references) {
                if (references.stream().allMatch(r -> r.get() == null)) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("still reachable after 20 s: "
                            + references.stream().map(WeakReference::get).filter(o -> o != null)
                                    .map(o -> o.getClass().getName()).toList());
                }
            }
            Thread.sleep(50);
        }
    }

    private static Object field(Object owner, String name) {
        for (Class<?> type = owner.getClass(); type != null; type = type.getSuperclass()) {
            try {
                Field field = type.getDeclaredField(name);
                field.setAccessible(true);
                return field.get(owner);
            } catch (NoSuchFieldException e) {
                // Declared further up.
            } catch (IllegalAccessException e) {
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("no field " + name + " in " + owner.getClass());
    }
}
