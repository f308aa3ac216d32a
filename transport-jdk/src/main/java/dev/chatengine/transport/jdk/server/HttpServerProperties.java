package dev.chatengine.transport.jdk.server;

import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;

/**
 * The one place that sets the JDK {@code HttpServer}'s own limits, which it reads from system
 * properties once, when its classes load (at the first {@code HttpServer.create} of the JVM), and
 * enforces by closing the connection without a status:
 *
 * <table>
 *   <caption>What {@link #apply} sets from {@link HandshakeLimits}</caption>
 *   <tr><th>property</th><th>from</th><th>effect</th></tr>
 *   <tr><td>{@code sun.net.httpserver.maxReqTime}</td><td>{@code headDeadline}, whole seconds</td>
 *       <td>a request head not complete this long after its first byte is cut; so is a new connection
 *       that sends nothing (JDK default: no limit)</td></tr>
 *   <tr><td>{@code sun.net.httpserver.clockTick}</td><td>1000 ms</td>
 *       <td>how often that silent new connection is looked at (JDK default 10 s)</td></tr>
 *   <tr><td>{@code sun.net.httpserver.maxReqHeaderSize}</td><td>{@code hardMaxHeadBytes}</td>
 *       <td>a head growing past it is cut while being read (JDK default 380 KiB)</td></tr>
 *   <tr><td>{@code jdk.httpserver.maxConnections}</td><td>{@code hardMaxConnections}</td>
 *       <td>over it, a new connection is closed as soon as it is accepted (JDK default: no limit, so
 *       {@code accept} fails with EMFILE and the dispatcher spins)</td></tr>
 * </table>
 *
 * <p>A caller who builds the {@code HttpServer} itself must call {@link #apply} before its first
 * {@code HttpServer.create} (or {@code HttpsServer.create}) in the JVM, or pass the same values as
 * {@code -D} flags; a property already set (a {@code -D} flag) is left as it is. Afterwards nothing
 * changes them: {@link #apply} then logs a WARNING naming what is in effect instead, and so does
 * {@link WebSocketHandler#create} (once per JVM) when the server runs with weaker limits than its
 * config's. Needs the same {@code --add-opens} as the takeover, to read back what is in effect.
 */
public final class HttpServerProperties {

    private static final System.Logger LOG = System.getLogger(HttpServerProperties.class.getName());

    static final String MAX_REQ_TIME = "sun.net.httpserver.maxReqTime";
    static final String CLOCK_TICK = "sun.net.httpserver.clockTick";
    static final String MAX_REQ_HEADER_SIZE = "sun.net.httpserver.maxReqHeaderSize";
    static final String MAX_CONNECTIONS = "jdk.httpserver.maxConnections";
    /** How often HttpServer looks for new connections that have sent nothing, once {@link #apply}ed. */
    static final long CLOCK_TICK_MILLIS = 1000;

    private static volatile boolean warned;

    private HttpServerProperties() {
    }

    /**
     * What {@code HttpServer} enforces in this JVM; -1 for no limit.
     *
     * @param maxRequestSeconds the head deadline, in seconds
     * @param maxHeadBytes      the head size at which it closes the connection
     * @param maxConnections    the connection count at which it closes new ones
     */
    public record InEffect(long maxRequestSeconds, int maxHeadBytes, int maxConnections) {

        /** True when these are at least as strict as {@code limits} asks. */
        public boolean enforces(HandshakeLimits limits) {
            return maxRequestSeconds > 0 && maxRequestSeconds <= deadlineSeconds(limits)
                    && maxHeadBytes > 0 && maxHeadBytes <= limits.hardMaxHeadBytes()
                    && maxConnections > 0 && maxConnections <= limits.hardMaxConnections();
        }
    }

    /**
     * Sets the properties from {@code limits} where they are not set yet, and returns what is in
     * effect; call before the JVM's first {@code HttpServer.create}.
     */
    public static synchronized InEffect apply(HandshakeLimits limits) {
        setIfAbsent(MAX_REQ_TIME, Long.toString(deadlineSeconds(limits)));
        setIfAbsent(CLOCK_TICK, Long.toString(CLOCK_TICK_MILLIS));
        setIfAbsent(MAX_REQ_HEADER_SIZE, Integer.toString(limits.hardMaxHeadBytes()));
        setIfAbsent(MAX_CONNECTIONS, Integer.toString(limits.hardMaxConnections()));
        InEffect inEffect = inEffect();
        if (!inEffect.enforces(limits)) {
            warn(limits, inEffect);
        }
        return inEffect;
    }

    /** What {@code HttpServer} enforces in this JVM (loads its configuration if nothing did yet). */
    public static InEffect inEffect() {
        try {
            Class<?> config = Class.forName("sun.net.httpserver.ServerConfig");
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(config, MethodHandles.lookup());
            long maxReqTime = (long) getter(lookup, config, "getMaxReqTime", long.class).invokeExact();
            int maxHeader = (int) getter(lookup, config, "getMaxReqHeaderSize", int.class).invokeExact();
            int maxConnections = (int) getter(lookup, config, "getMaxConnections", int.class).invokeExact();
            return new InEffect(maxReqTime > 0 ? maxReqTime : -1, maxHeader > 0 ? maxHeader : -1,
                    maxConnections > 0 ? maxConnections : -1);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("This JDK's HttpServer configuration differs from JDK 25's: " + e, e);
        }
    }

    /** Logs once per JVM when the server enforces less than {@code limits}; called by the handler. */
    static void warnIfWeaker(HandshakeLimits limits) {
        if (warned) {
            return;
        }
        InEffect inEffect;
        try {
            inEffect = inEffect();
        } catch (IllegalStateException e) {
            LOG.log(Level.WARNING, e.getMessage());
            warned = true;
            return;
        }
        if (!inEffect.enforces(limits)) {
            warn(limits, inEffect);
        }
    }

    private static void warn(HandshakeLimits limits, InEffect inEffect) {
        warned = true;
        List<String> wanted = new ArrayList<>();
        wanted.add("-D" + MAX_REQ_TIME + "=" + deadlineSeconds(limits));
        wanted.add("-D" + MAX_REQ_HEADER_SIZE + "=" + limits.hardMaxHeadBytes());
        wanted.add("-D" + MAX_CONNECTIONS + "=" + limits.hardMaxConnections());
        LOG.log(Level.WARNING, "HttpServer enforces weaker limits than the WebSocket handshake limits ask: " + inEffect
                + " (-1: none). It reads them once per JVM, at its first HttpServer.create: call "
                + "HttpServerProperties.apply(limits) before it, or run with " + String.join(" ", wanted));
    }

    private static long deadlineSeconds(HandshakeLimits limits) {
        return (limits.headDeadline().toMillis() + 999) / 1000;
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    private static MethodHandle getter(MethodHandles.Lookup lookup, Class<?> owner, String name, Class<?> type)
            throws ReflectiveOperationException {
        return lookup.findStatic(owner, name, MethodType.methodType(type));
    }
}
