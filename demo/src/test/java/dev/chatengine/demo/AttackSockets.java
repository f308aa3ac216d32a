package dev.chatengine.demo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Plain sockets for the attack tests, where the JDK's WebSocket client would be too polite: heads
 * written by hand, clients that never read, frames written as fast as TCP takes them. Stateless.
 */
final class AttackSockets {

    /** Long enough for a loaded machine; an attacker's read that waits this long counts as a failure. */
    static final int READ_TIMEOUT_MILLIS = 60_000;
    /** A fixed nonzero mask key: the server must unmask whatever it is (RFC 6455 5.3). */
    private static final byte[] MASK_KEY = {0x37, (byte) 0xfa, 0x21, 0x3d};

    private AttackSockets() {
    }

    /** A loopback connection to {@code port} with {@link #READ_TIMEOUT_MILLIS}. */
    static Socket socket(int port) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        return socket;
    }

    /** An opening handshake for {@code path}, with {@code extraHeaders} (each ending in CRLF) before the blank line. */
    static String handshake(String path, String extraHeaders) {
        return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n" + extraHeaders + "\r\n";
    }

    /** Writes {@code request} and reads the response head, up to and including its blank line. */
    static String exchangeHead(Socket socket, String request) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(request.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("end of stream in the response head: " + head);
            }
            head.append((char) b);
        }
        return head.toString();
    }

    /** The response head to {@code request} on a new connection. */
    static String answer(int port, String request) throws IOException {
        try (Socket socket = socket(port)) {
            return exchangeHead(socket, request);
        }
    }

    /**
     * A WebSocket on {@code path} that reads nothing after the handshake: its receive buffer is set to
     * {@code receiveBufferBytes} before connecting (so the kernel's window closes soon), and the caller
     * decides whether anything is ever read. Fails unless the server answered 101.
     */
    static Socket upgraded(int port, String path, String extraHeaders, int receiveBufferBytes) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(receiveBufferBytes);
        socket.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), READ_TIMEOUT_MILLIS);
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        String head = exchangeHead(socket, handshake(path, extraHeaders));
        if (!head.startsWith("HTTP/1.1 101 ")) {
            socket.close();
            throw new AssertionError("not upgraded: " + head);
        }
        return socket;
    }

    /** One masked client text frame (FIN, opcode 1) carrying {@code text} (RFC 6455 5.2). */
    static byte[] maskedText(String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + 14);
        out.write(0x81);
        if (payload.length <= 125) {
            out.write(0x80 | payload.length);
        } else if (payload.length <= 0xFFFF) {
            out.write(0x80 | 126);
            out.write(payload.length >>> 8);
            out.write(payload.length & 0xFF);
        } else {
            out.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) ((long) payload.length >>> shift) & 0xFF);
            }
        }
        out.writeBytes(MASK_KEY);
        for (int i = 0; i < payload.length; i++) {
            out.write(payload[i] ^ MASK_KEY[i & 3]);
        }
        return out.toByteArray();
    }
}
