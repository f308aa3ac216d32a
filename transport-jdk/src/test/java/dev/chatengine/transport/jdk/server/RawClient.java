package dev.chatengine.transport.jdk.server;

import dev.chatengine.transport.jdk.protocol.FrameEncoder;
import dev.chatengine.transport.jdk.protocol.Opcode;
import dev.chatengine.transport.jdk.protocol.ProtocolException;
import dev.chatengine.transport.jdk.protocol.ReadEvent;
import dev.chatengine.transport.jdk.protocol.Role;
import dev.chatengine.transport.jdk.protocol.WebSocketDecoder;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A hand-made WebSocket client over a plain socket, for tests that send exact bytes: it writes a
 * handshake and frames as given, and reads the server's frames with the codec's client-role decoder.
 * Reads time out after 20 s so that a broken server fails the test instead of hanging it.
 */
final class RawClient implements AutoCloseable {

    static final int READ_TIMEOUT_MILLIS = 20_000;
    static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";

    final Socket socket;
    final InputStream in;
    final OutputStream out;
    private final WebSocketDecoder decoder = new WebSocketDecoder(Role.CLIENT, 1 << 20);
    private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024).flip();

    private RawClient(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** Opens a socket to the server without sending anything. */
    static RawClient open(int port) throws IOException {
        return new RawClient(new Socket(InetAddress.getLoopbackAddress(), port));
    }

    /**
     * As {@link #connect(int, String)} over a socket whose receive buffer is about {@code receiveBufferBytes}
     * (set before connecting, so that the TCP window is small): a client that stops reading then fills up soon.
     */
    static RawClient connectWithReceiveBuffer(int port, String path, int receiveBufferBytes) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(receiveBufferBytes);
        socket.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        RawClient client = new RawClient(socket);
        client.send(handshake(port, path, "").getBytes(StandardCharsets.ISO_8859_1));
        String head = client.readResponseHead();
        if (!head.startsWith("HTTP/1.1 101")) {
            client.close();
            throw new AssertionError("expected 101, got: " + head);
        }
        return client;
    }

    /** Opens a socket, sends a valid handshake for {@code path}, and checks the 101. */
    static RawClient connect(int port, String path) throws IOException {
        return connect(port, path, "");
    }

    /** As {@link #connect(int, String)}, with {@code extraHeaders} (lines ending in CRLF) in the handshake. */
    static RawClient connect(int port, String path, String extraHeaders) throws IOException {
        RawClient client = open(port);
        client.send(handshake(port, path, extraHeaders).getBytes(StandardCharsets.ISO_8859_1));
        String head = client.readResponseHead();
        if (!head.startsWith("HTTP/1.1 101")) {
            client.close();
            throw new AssertionError("expected 101, got: " + head);
        }
        return client;
    }

    /** A valid handshake request; {@code extraHeaders} are lines ending in CRLF. */
    static String handshake(int port, String path, String extraHeaders) {
        return "GET " + path + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + port + "\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + KEY + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + extraHeaders
                + "\r\n";
    }

    /** A random valid key. */
    static String randomKey() {
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        return Base64.getEncoder().encodeToString(nonce);
    }

    /** Reads the HTTP response head, up to and including the blank line. */
    String readResponseHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        while (matched < end.length) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("end of stream in response head: " + head);
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == end[0] ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Sends a masked text frame. */
    void sendText(String text) throws IOException {
        send(FrameEncoder.clientFrame(Opcode.TEXT, text.getBytes(StandardCharsets.UTF_8), 0x37fa213d));
    }

    /** Sends a masked frame of any opcode. */
    void sendFrame(boolean fin, Opcode opcode, byte[] payload) throws IOException {
        send(FrameEncoder.clientFrame(fin, opcode, payload, 0x12345678));
    }

    /** The next frame event from the server; fails at end of stream. */
    ReadEvent readEvent() throws IOException, ProtocolException {
        while (true) {
            ReadEvent event = decoder.next(buffer);
            if (event != null) {
                return event;
            }
            buffer.compact();
            int n = in.read(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
            if (n < 0) {
                buffer.flip();
                throw new IOException("end of stream while waiting for a frame");
            }
            buffer.position(buffer.position() + n);
            buffer.flip();
        }
    }

    /**
     * True when the server closed the connection: the next read, after all buffered frames, sees
     * the end of stream (or a reset). Fails on a timeout.
     */
    boolean readsEndOfStream() throws IOException {
        if (buffer.hasRemaining()) {
            return false;
        }
        try {
            return in.read() < 0;
        } catch (SocketException reset) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
