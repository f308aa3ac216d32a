package dev.chatengine.cluster.redis;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The node's own wire format for what it puts in Redis values and pub/sub payloads: fields written as
 * {@code <UTF-8 byte length>:<bytes>} one after the other, so that any text (a chat text may hold
 * {@code :} or {@code |}) comes back unchanged, and Lua only ever concatenates them. Pure, thread-safe.
 */
final class Fields {

    private Fields() {
    }

    static String encode(String... fields) {
        StringBuilder b = new StringBuilder();
        for (String f : fields) {
            b.append(f.getBytes(StandardCharsets.UTF_8).length).append(':').append(f);
        }
        return b.toString();
    }

    /** Decodes fields from {@code bytes[from..]}; throws IllegalArgumentException on a malformed value. */
    static List<String> decode(byte[] bytes, int from) {
        List<String> out = new ArrayList<>(4);
        int i = from;
        while (i < bytes.length) {
            int len = 0;
            int start = i;
            while (i < bytes.length && bytes[i] != ':') {
                int d = bytes[i] - '0';
                if (d < 0 || d > 9 || i - start > 9) {
                    throw new IllegalArgumentException("malformed field length at " + i);
                }
                len = len * 10 + d;
                i++;
            }
            if (i >= bytes.length || i == start || i + 1 + len > bytes.length) {
                throw new IllegalArgumentException("malformed field at " + start);
            }
            out.add(new String(bytes, i + 1, len, StandardCharsets.UTF_8));
            i += 1 + len;
        }
        return out;
    }

    static List<String> decode(String s) {
        return decode(s.getBytes(StandardCharsets.UTF_8), 0);
    }

    static byte[] concat(byte prefix, String rest) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(prefix);
        out.writeBytes(rest.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }
}
