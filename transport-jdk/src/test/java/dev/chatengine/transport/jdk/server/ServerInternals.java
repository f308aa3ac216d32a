package dev.chatengine.transport.jdk.server;

import com.sun.net.httpserver.HttpServer;

import java.lang.reflect.Field;
import java.lang.reflect.Method;

/** Test-only peeks into {@code sun.net.httpserver.ServerImpl}, to prove the takeover keeps its bookkeeping right. */
final class ServerInternals {

    private ServerInternals() {
    }

    /** The server's count of running exchanges ({@code ServerImpl.getExchangeCount()}). */
    static int exchangeCount(HttpServer server) {
        try {
            Field field = server.getClass().getDeclaredField("server");
            field.setAccessible(true);
            Object impl = field.get(server);
            Method count = impl.getClass().getDeclaredMethod("getExchangeCount");
            count.setAccessible(true);
            return (int) count.invoke(impl);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /** Polls {@code exchangeCount} until it is {@code expected}, up to 20 s; returns the last value. */
    static int awaitExchangeCount(HttpServer server, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        int count;
        while ((count = exchangeCount(server)) != expected && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return count;
    }
}
