package dev.chatengine.transport.jdk.server;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.nio.channels.SocketChannel;
import java.util.Set;

/**
 * Takes over the raw connection of an {@link HttpExchange} after a WebSocket handshake, and gives it
 * back at the end; the only class that touches the JDK's {@code sun.net.httpserver} internals.
 *
 * <p>Why it exists: JDK 25's {@code HttpServer} has no public API to take over an upgraded
 * exchange (JDK-8368695 is open), so this class reaches, by reflection, the fields that the
 * server's own code uses. Everything it relies on was read in the JDK 25 sources of
 * {@code ExchangeImpl}, {@code ServerImpl}, {@code HttpConnection} and {@code Request}, and is
 * covered by tests ({@code ServerTimersTest}, {@code ShutdownTest}, {@code RawSocketProtocolTest},
 * {@code ManySessionsTest}, {@code AddOpensCheckTest}, {@code SessionMemoryTest}, {@code TlsEndToEndTest}):
 * <ul>
 *   <li>{@code ExchangeImpl.ris} and {@code ros} are the connection's raw streams, under the HTTP
 *       framing streams. {@code ris} already holds any bytes the client sent right after the request
 *       head (a first frame pipelined behind the handshake): they are kept. The 101 is written on
 *       {@code ros} by hand, because {@code sendResponseHeaders(101, ...)} would end the exchange.</li>
 *   <li>For plain HTTP the socket is the blocking {@code HttpConnection.chan} (the dispatcher
 *       deregistered it from its selector before running the exchange), so the session reads and
 *       writes it directly; with TLS the session keeps the streams, which hold the SSL engine.</li>
 *   <li>A GET without a body has already moved the connection into {@code ServerImpl}'s
 *       {@code rspConnections}; a user's {@code sun.net.httpserver.maxRspTime} would close every
 *       WebSocket after that time, so the connection is removed from that set at takeover. The idle
 *       timer never sees it (it watches only idle connections).</li>
 *   <li>For plain HTTP, once the 101 is out and the pipelined bytes are taken, {@link #detachStreams}
 *       drops the server's references to its per-connection streams, so that their buffers (about
 *       24 KiB: {@code Request.ReadStream}'s 8 KiB channel buffer, the 8 KiB
 *       {@code BufferedInputStream} over it, {@code Request.WriteStream}'s 4 KiB buffer, and
 *       {@code Request}'s 4 KiB line buffer) are not kept for the session's whole life. The
 *       references are {@code ExchangeImpl.ris}, {@code ros}, {@code uis}/{@code uis_orig} (a
 *       {@code FixedLengthInputStream} of length 0 over {@code ris}: a handshake has no body), the
 *       {@code Request}'s fields (its streams, line buffers and parsed headers, of which the exchange
 *       keeps its own copy; only its request line is read again, by the exchange's end), and {@code HttpConnection.raw}, {@code rawout} and {@code i}; they
 *       become empty streams, and {@code uis_orig} a fresh zero-length stream over one, so the end of
 *       the exchange (below) takes the same path as before. The last reference, the field of
 *       {@code ServerImpl.Exchange} (the exchange's {@code Runnable}), goes when the handler returns,
 *       which is why sessions run on a thread of their own.</li>
 *   <li>The session ends with {@link #release}: {@code ros} is swapped for a null stream, then
 *       {@code Connection: close} and {@code sendResponseHeaders(101, -1)} make the exchange finish
 *       the server's own way: it posts its end-of-exchange event, whose handling closes the socket
 *       and decrements the exchange count. ({@code HttpExchange.close()} instead leaks an exchange
 *       count, and {@code HttpServer.stop(delay)} then always waits the whole delay.)</li>
 * </ul>
 *
 * <p>Needs {@code --add-opens jdk.httpserver/sun.net.httpserver=ALL-UNNAMED} (or to this module
 * when on the module path); {@link #requireAccess()} checks it up front. Thread-safe (stateless).
 */
final class JdkExchangeTakeover {

    /** The JVM flag that opens the internals; named in the error message. */
    static final String ADD_OPENS_FLAG = "--add-opens jdk.httpserver/sun.net.httpserver="
            + moduleNameForFlag(JdkExchangeTakeover.class.getModule());

    private static final String INTERNAL_PACKAGE = "sun.net.httpserver";

    /** The raw connection of a taken-over exchange. */
    record RawConnection(InputStream in, OutputStream out, SocketChannel channel, boolean tls) {
    }

    private JdkExchangeTakeover() {
    }

    /**
     * Throws {@link IllegalStateException} naming the missing JVM flag when {@code sun.net.httpserver}
     * is not open to this module. Called when a {@link WebSocketHandler} is made, so that a server
     * without the flag fails at start rather than at its first WebSocket.
     */
    static void requireAccess() {
        if (!HttpServer.class.getModule().isOpen(INTERNAL_PACKAGE, JdkExchangeTakeover.class.getModule())) {
            throw new IllegalStateException("The WebSocket server needs the JVM flag '" + ADD_OPENS_FLAG
                    + "' (java " + ADD_OPENS_FLAG + " ...; in an executable jar's manifest: 'Add-Opens: "
                    + "jdk.httpserver/sun.net.httpserver'): JDK 25's HttpServer has no public API to take over "
                    + "an upgraded connection (JDK-8368695).");
        }
        Internals.get();
    }

    /**
     * Takes the raw connection of {@code exchange}, whose request was a valid handshake and which has
     * sent nothing yet; takes it off the server's response timer.
     */
    static RawConnection takeOver(HttpExchange exchange) {
        Internals internals = Internals.get();
        Object impl = internals.exchangeImpl(exchange);
        Object connection = internals.connection.get(impl);
        Object server = internals.server.get(impl);
        ((Set<?>) internals.rspConnections.get(server)).remove(connection);
        return new RawConnection((InputStream) internals.ris.get(impl), (OutputStream) internals.ros.get(impl),
                (SocketChannel) internals.chan.get(connection),
                exchange instanceof com.sun.net.httpserver.HttpsExchange);
    }

    /**
     * Plain HTTP only: drops the server's references to the connection's buffered streams (see the
     * class comment). Call after the 101 is flushed on {@link RawConnection#out()} and the bytes
     * buffered in {@link RawConnection#in()} are taken; neither stream may be used afterwards.
     */
    static void detachStreams(HttpExchange exchange) {
        Internals internals = Internals.get();
        Object impl = internals.exchangeImpl(exchange);
        InputStream emptyIn = InputStream.nullInputStream();
        OutputStream emptyOut = OutputStream.nullOutputStream();
        internals.ris.set(impl, emptyIn);
        internals.ros.set(impl, emptyOut);
        Object body = internals.newEmptyBody(impl, emptyIn);
        if (internals.uis.get(impl) == internals.uisOrig.get(impl)) {
            internals.uis.set(impl, body); // else a filter's wrapper (over the original) stays in front
        }
        internals.uisOrig.set(impl, body);
        Object request = internals.request.get(impl);
        internals.requestIn.set(request, emptyIn);
        internals.requestOut.set(request, emptyOut);
        internals.requestLineChars.set(request, (char[]) null);
        internals.requestLineBuilder.set(request, (StringBuffer) null);
        // The parsed original; the exchange keeps its own unmodifiable copy (getRequestHeaders()).
        internals.requestHeaders.set(request, (Headers) null);
        Object connection = internals.connection.get(impl);
        internals.connectionIn.set(connection, emptyIn);
        internals.connectionRawIn.set(connection, emptyIn);
        internals.connectionRawOut.set(connection, emptyOut);
    }

    /**
     * Drops the server's references to the handshake request (its URI, its headers, its request
     * line), so that a session keeps only what {@link WebSocketHandler} copied of it: a 378 KB URI
     * must not live as long as the connection. Call once the session's fields are copied; the
     * exchange's {@code getRequestURI()} and {@code getRequestHeaders()} are then {@code /} and empty.
     */
    static void forgetRequest(HttpExchange exchange) {
        Internals internals = Internals.get();
        Object impl = internals.exchangeImpl(exchange);
        internals.exchangeUri.set(impl, ROOT);
        internals.exchangeHeaders.set(impl, EMPTY_HEADERS);
        internals.requestLine.set(internals.request.get(impl), "");
    }

    private static final java.net.URI ROOT = java.net.URI.create("/");
    private static final Headers EMPTY_HEADERS = Headers.of();

    /**
     * Ends a taken-over exchange the server's own way; see the class comment. Call once, in a
     * {@code finally}, after the session's last byte.
     */
    static void release(HttpExchange exchange) throws IOException {
        Internals internals = Internals.get();
        internals.ros.set(internals.exchangeImpl(exchange), OutputStream.nullOutputStream());
        exchange.getResponseHeaders().set("Connection", "close");
        exchange.sendResponseHeaders(101, -1);
    }

    private static String moduleNameForFlag(Module module) {
        return module.isNamed() ? module.getName() : "ALL-UNNAMED";
    }

    /** The reflective handles, looked up once. */
    private record Internals(Class<?> httpExchangeImpl, Class<?> httpsExchangeImpl, VarHandle httpImpl,
                             VarHandle httpsImpl, VarHandle ris, VarHandle ros, VarHandle connection,
                             VarHandle server, VarHandle rspConnections, VarHandle chan,
                             VarHandle uis, VarHandle uisOrig, MethodHandle fixedLengthInputStream,
                             VarHandle request, VarHandle requestIn, VarHandle requestOut,
                             VarHandle requestLineChars, VarHandle requestLineBuilder, VarHandle requestHeaders,
                             VarHandle connectionIn, VarHandle connectionRawIn, VarHandle connectionRawOut,
                             VarHandle exchangeUri, VarHandle exchangeHeaders, VarHandle requestLine) {

        private static volatile Internals instance;

        static Internals get() {
            Internals current = instance;
            if (current == null) {
                current = lookUp();
                instance = current;
            }
            return current;
        }

        Object exchangeImpl(HttpExchange exchange) {
            if (httpExchangeImpl.isInstance(exchange)) {
                return httpImpl.get(exchange);
            }
            if (httpsExchangeImpl.isInstance(exchange)) {
                return httpsImpl.get(exchange);
            }
            throw new IllegalArgumentException("not an exchange of the JDK's HttpServer (wrapped by a filter?): "
                    + exchange.getClass().getName());
        }

        /** A new {@code FixedLengthInputStream} of length 0 over {@code in}, for {@code impl}. */
        Object newEmptyBody(Object impl, InputStream in) {
            try {
                return fixedLengthInputStream.invoke(impl, in, 0L);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        }

        private static Internals lookUp() {
            try {
                Class<?> exchangeImpl = Class.forName(INTERNAL_PACKAGE + ".ExchangeImpl");
                Class<?> httpExchangeImpl = Class.forName(INTERNAL_PACKAGE + ".HttpExchangeImpl");
                Class<?> httpsExchangeImpl = Class.forName(INTERNAL_PACKAGE + ".HttpsExchangeImpl");
                Class<?> httpConnection = Class.forName(INTERNAL_PACKAGE + ".HttpConnection");
                Class<?> serverImpl = Class.forName(INTERNAL_PACKAGE + ".ServerImpl");
                Class<?> request = Class.forName(INTERNAL_PACKAGE + ".Request");
                Class<?> leftOverInputStream = Class.forName(INTERNAL_PACKAGE + ".LeftOverInputStream");
                Class<?> fixedLengthInputStream = Class.forName(INTERNAL_PACKAGE + ".FixedLengthInputStream");
                MethodHandle newFixedLength = MethodHandles.privateLookupIn(fixedLengthInputStream, MethodHandles.lookup())
                        .findConstructor(fixedLengthInputStream,
                                MethodType.methodType(void.class, exchangeImpl, InputStream.class, long.class))
                        .asType(MethodType.methodType(Object.class, Object.class, InputStream.class, long.class));
                return new Internals(httpExchangeImpl, httpsExchangeImpl,
                        field(httpExchangeImpl, "impl", exchangeImpl),
                        field(httpsExchangeImpl, "impl", exchangeImpl),
                        field(exchangeImpl, "ris", InputStream.class),
                        field(exchangeImpl, "ros", OutputStream.class),
                        field(exchangeImpl, "connection", httpConnection),
                        field(exchangeImpl, "server", serverImpl),
                        field(serverImpl, "rspConnections", Set.class),
                        field(httpConnection, "chan", SocketChannel.class),
                        field(exchangeImpl, "uis", InputStream.class),
                        field(exchangeImpl, "uis_orig", leftOverInputStream),
                        newFixedLength,
                        field(exchangeImpl, "req", request),
                        field(request, "is", InputStream.class),
                        field(request, "os", OutputStream.class),
                        field(request, "buf", char[].class),
                        field(request, "lineBuf", StringBuffer.class),
                        field(request, "hdrs", Headers.class),
                        field(httpConnection, "i", InputStream.class),
                        field(httpConnection, "raw", InputStream.class),
                        field(httpConnection, "rawout", OutputStream.class),
                        field(exchangeImpl, "uri", java.net.URI.class),
                        field(exchangeImpl, "reqHdrs", Headers.class),
                        field(request, "startLine", String.class));
            } catch (ReflectiveOperationException | IllegalAccessError e) {
                throw new IllegalStateException("This JDK's HttpServer internals differ from JDK 25's, which the "
                        + "WebSocket takeover was written for: " + e, e);
            }
        }

        private static VarHandle field(Class<?> owner, String name, Class<?> type) throws ReflectiveOperationException {
            return MethodHandles.privateLookupIn(owner, MethodHandles.lookup()).findVarHandle(owner, name, type);
        }
    }
}
