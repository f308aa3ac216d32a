package dev.chatengine.bench.soak;

import dev.chatengine.transport.jdk.protocol.FrameEncoder;
import dev.chatengine.transport.jdk.protocol.Opcode;
import dev.chatengine.transport.jdk.protocol.ProtocolException;
import dev.chatengine.transport.jdk.protocol.ReadEvent;
import dev.chatengine.transport.jdk.protocol.Role;
import dev.chatengine.transport.jdk.protocol.WebSocketDecoder;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A blocking client WebSocket over a plain socket, for the soak's chat users and attackers: the
 * handshake by hand, masked frames from the project's {@link FrameEncoder}, reading with its
 * {@link WebSocketDecoder} in the client role. (The load generator's {@code ClientConnection} belongs
 * to a selector loop and cannot be driven one blocking call at a time; the codec underneath is the same.)
 *
 * <p>Thread contract: one thread reads ({@link #readText}); any thread may send (sends are serialized
 * by a lock, the reader's pongs too). {@link #abort} may be called from any thread.
 */
final class Wire implements AutoCloseable {

    /** Reads block at most this long; a healthy client hears at least the server's pings sooner. */
    static final int SOCKET_TIMEOUT_MILLIS = 60_000;
    private static final int MAX_MESSAGE_BYTES = 1 << 20;
    private static final int READ_BUFFER_BYTES = 64 * 1024;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final WebSocketDecoder decoder = new WebSocketDecoder(Role.CLIENT, MAX_MESSAGE_BYTES);
    private final ByteBuffer buffer = ByteBuffer.allocate(READ_BUFFER_BYTES).flip();
    private volatile int closeCode = -1;

    private Wire(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /**
     * Connects to {@code path} on the loopback port and upgrades.
     *
     * @param extraHeaders header lines, each ending in CRLF (for example {@code X-Forwarded-For})
     * @param receiveBufferBytes the socket's receive buffer, or 0 for the default (small for a client that will not read)
     * @throws IOException when the server answers anything but 101 (the message holds its status line)
     */
    static Wire open(int port, String path, String extraHeaders, int receiveBufferBytes) throws IOException {
        Socket socket = socket(port);
        try {
            if (receiveBufferBytes > 0) {
                socket.setReceiveBufferSize(receiveBufferBytes);
            }
            String head = head(socket, handshake(path, extraHeaders));
            if (!head.startsWith("HTTP/1.1 101 ")) {
                int eol = head.indexOf('\r');
                throw new IOException("not upgraded: " + (eol > 0 ? head.substring(0, eol) : head));
            }
            return new Wire(socket);
        } catch (IOException | RuntimeException e) {
            closeQuietly(socket);
            throw e;
        }
    }

    /** Sends one text message as a masked frame (RFC 6455 section 5.3: a fresh key per frame). */
    void sendText(String text) throws IOException {
        write(FrameEncoder.clientFrame(Opcode.TEXT, text.getBytes(StandardCharsets.UTF_8),
                ThreadLocalRandom.current().nextInt()));
    }

    /**
     * The next text message, answering pings on the way; null when the server closed (see
     * {@link #closeCode}) or the connection ended.
     */
    String readText() throws IOException {
        while (true) {
            ReadEvent event;
            try {
                event = decoder.next(buffer);
            } catch (ProtocolException e) {
                throw new IOException("server broke RFC 6455: " + e.getMessage(), e);
            }
            if (event == null) {
                buffer.compact();
                int n = in.read(buffer.array(), buffer.position(), buffer.remaining());
                if (n < 0) {
                    buffer.flip();
                    return null;
                }
                buffer.position(buffer.position() + n).flip();
                continue;
            }
            switch (event) {
                case ReadEvent.Message message -> {
                    if (message.text()) {
                        return message.asText();
                    }
                }
                case ReadEvent.Ping ping -> write(FrameEncoder.clientFrame(Opcode.PONG, ping.payload(),
                        ThreadLocalRandom.current().nextInt()));
                case ReadEvent.Pong pong -> {
                }
                case ReadEvent.Close close -> {
                    closeCode = close.status().code();
                    return null;
                }
            }
        }
    }

    /** The code of the server's close frame, or -1 when none came (yet). */
    int closeCode() {
        return closeCode;
    }

    /** Ends the connection without a close handshake. */
    void abort() {
        closeQuietly(socket);
    }

    /** Sends a close frame (1000) if the socket takes it, then closes the socket. */
    @Override
    public void close() {
        if (writeLock.tryLock()) {
            try {
                out.write(FrameEncoder.clientFrame(Opcode.CLOSE, new byte[] {0x03, (byte) 0xE8},
                        ThreadLocalRandom.current().nextInt()));
            } catch (IOException e) {
                // closing anyway
            } finally {
                writeLock.unlock();
            }
        }
        abort();
    }

    private void write(byte[] frame) throws IOException {
        writeLock.lock();
        try {
            out.write(frame);
            out.flush();
        } finally {
            writeLock.unlock();
        }
    }

    /** The upgrade request for {@code path}, with {@code extraHeaders} (each ending in CRLF). */
    static String handshake(String path, String extraHeaders) {
        return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n" + extraHeaders + "\r\n";
    }

    /** A loopback socket to {@code port} whose reads give up after {@value #SOCKET_TIMEOUT_MILLIS} ms. */
    static Socket socket(int port) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(SOCKET_TIMEOUT_MILLIS);
        return socket;
    }

    /** Writes {@code request} and reads the response head byte by byte (nothing after it is consumed). */
    static String head(Socket socket, String request) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(request.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return head.toString();
            }
            head.append((char) b);
        }
        return head.toString();
    }

    static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
