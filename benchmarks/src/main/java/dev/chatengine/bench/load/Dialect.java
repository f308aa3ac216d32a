package dev.chatengine.bench.load;

import java.nio.charset.StandardCharsets;

/**
 * What the load generator says and how it reads what comes back, for {@code /ws/raw} (the text
 * itself) and for chat protocol v1 on {@code /ws} (the text inside JSON objects). Stateless and
 * thread-safe.
 *
 * <p>The text of a load message is {@code M <send time, ns> <sender> <seq> xxx...} padded to the
 * requested size, as ../shared/bench/loadgen writes it; a probe is {@code P probe}. A raw frame may
 * carry several such lines separated by {@code \n} (a server that coalesces, as gorilla's chat
 * example does); each line is one delivery. Send times are {@link System#nanoTime()}, which on Linux
 * is CLOCK_MONOTONIC and therefore comparable between the processes of one run.
 *
 * <p>Reading is allocation-free: it scans the payload's bytes and reports to a {@link Sink}.
 */
final class Dialect {

    /** Receives what {@link #scan} finds in one message. Called on the I/O loop's thread. */
    interface Sink {
        /** A load message sent at {@code sendNanos} by sender {@code sender} as its {@code seq}th. */
        void data(long sendNanos, int sender, long seq);

        /** A probe. */
        void probe();

        /** Chat only: the login was accepted. */
        void welcome();

        /** Chat only: an error reply ({@code rateLimited} when its code is {@code rate_limited}). */
        void error(boolean rateLimited);

        /** A line or object that is none of the above and not a known reply; counted, not fatal. */
        void unknown();
    }

    private static final byte[] TYPE = ascii("\"type\":\"");
    private static final byte[] TEXT = ascii("\"text\":\"");
    private static final byte[] MESSAGE = ascii("message\"");
    private static final byte[] WELCOME = ascii("welcome\"");
    private static final byte[] ERROR = ascii("error\"");
    private static final byte[] RATE_LIMITED = ascii("rate_limited");
    private static final byte[] PROBE_TEXT = ascii("P probe");

    private final LoadOptions.Protocol protocol;
    private final String room;

    Dialect(LoadOptions.Protocol protocol, String room) {
        this.protocol = protocol;
        this.room = room;
    }

    LoadOptions.Protocol protocol() {
        return protocol;
    }

    /** True when a connection must log in before it is in the room. */
    boolean needsLogin() {
        return protocol == LoadOptions.Protocol.CHAT;
    }

    /** The login request for connection {@code name}. */
    byte[] login(String name) {
        return ascii("{\"type\":\"login\",\"name\":\"" + name + "\"}");
    }

    /** The probe, as sent. */
    byte[] probe() {
        return wrap(PROBE_TEXT);
    }

    /** A load message, as sent: its text is {@code size} bytes, or longer if the numbers need more. */
    byte[] data(long sendNanos, int sender, long seq, int size) {
        StringBuilder text = new StringBuilder(size).append("M ").append(sendNanos).append(' ').append(sender)
                .append(' ').append(seq).append(' ');
        while (text.length() < size) {
            text.append('x');
        }
        return wrap(ascii(text.toString()));
    }

    private byte[] wrap(byte[] text) {
        if (protocol == LoadOptions.Protocol.RAW) {
            return text;
        }
        // The text is ASCII without quotes or backslashes: no JSON escaping needed.
        byte[] head = ascii("{\"type\":\"say\",\"room\":\"" + room + "\",\"text\":\"");
        byte[] out = new byte[head.length + text.length + 2];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(text, 0, out, head.length, text.length);
        out[out.length - 2] = '"';
        out[out.length - 1] = '}';
        return out;
    }

    /** Reports what {@code payload} (one text message) holds to {@code sink}. */
    void scan(byte[] payload, Sink sink) {
        if (protocol == LoadOptions.Protocol.RAW) {
            int start = 0;
            for (int i = 0; i <= payload.length; i++) {
                if (i == payload.length || payload[i] == '\n') {
                    if (i > start) {
                        line(payload, start, i, sink);
                    }
                    start = i + 1;
                }
            }
            return;
        }
        // Chat: the first "type" is the top-level one (the protocol's writer puts it first; nested
        // history entries come later, inside "joined").
        int type = indexOf(payload, TYPE, 0);
        if (type < 0) {
            sink.unknown();
            return;
        }
        int value = type + TYPE.length;
        if (startsWith(payload, value, MESSAGE)) {
            int text = indexOf(payload, TEXT, value);
            if (text < 0) {
                sink.unknown();
                return;
            }
            int from = text + TEXT.length;
            int to = from;
            while (to < payload.length && payload[to] != '"') {
                to++;
            }
            line(payload, from, to, sink);
        } else if (startsWith(payload, value, WELCOME)) {
            sink.welcome();
        } else if (startsWith(payload, value, ERROR)) {
            sink.error(indexOf(payload, RATE_LIMITED, value) >= 0);
        }
        // joined, presence, left, members, rooms, direct: replies the load does not count.
    }

    private static void line(byte[] b, int from, int to, Sink sink) {
        if (to - from >= 2 && b[from] == 'M' && b[from + 1] == ' ') {
            int i = from + 2;
            long ts = 0;
            int digits = 0;
            for (; i < to && b[i] >= '0' && b[i] <= '9'; i++, digits++) {
                ts = ts * 10 + (b[i] - '0');
            }
            if (digits == 0 || i >= to || b[i] != ' ') {
                sink.unknown();
                return;
            }
            i++;
            int sender = 0;
            for (; i < to && b[i] >= '0' && b[i] <= '9'; i++) {
                sender = sender * 10 + (b[i] - '0');
            }
            long seq = 0;
            if (i < to && b[i] == ' ') {
                for (i++; i < to && b[i] >= '0' && b[i] <= '9'; i++) {
                    seq = seq * 10 + (b[i] - '0');
                }
            }
            sink.data(ts, sender, seq);
        } else if (to - from >= 2 && b[from] == 'P' && b[from + 1] == ' ') {
            sink.probe();
        } else {
            sink.unknown();
        }
    }

    private static boolean startsWith(byte[] b, int at, byte[] prefix) {
        if (at + prefix.length > b.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b[at + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] b, byte[] needle, int from) {
        outer:
        for (int i = from; i <= b.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (b[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
