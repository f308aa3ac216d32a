package dev.chatengine.bench.codec;

import dev.chatengine.engine.transport.EncodedMessage;
import dev.chatengine.transport.jdk.server.DeflateConfig;
import dev.chatengine.transport.jdk.protocol.DeflateParameters;
import dev.chatengine.transport.jdk.protocol.DeflateSender;
import dev.chatengine.transport.jdk.protocol.WebSocketMessageEncoder;

import java.util.List;

/**
 * Prints permessage-deflate's compression ratio on chat traffic ({@link ChatTraffic}): wire bytes
 * plain / wire bytes as sent with deflate (frames included; messages under the threshold and those
 * compression does not shrink go plain), for 1,000 {@code message} objects and a 50-message history,
 * with no server context takeover (the shared, default form) and with it (one deflater per
 * connection), at levels 1 and 6, threshold 0 and the default.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.chatengine.bench.codec.DeflateRatio</pre>
 */
public final class DeflateRatio {
    private DeflateRatio() {
    }

    public static void main(String[] args) {
        List<byte[]> messages = ChatTraffic.messages(1000);
        byte[] history = ChatTraffic.history(50);
        long payload = messages.stream().mapToLong(m -> m.length).sum();
        System.out.printf("1000 chat messages, %d bytes of JSON (mean %d B); history of 50: %d bytes%n",
                payload, payload / messages.size(), history.length);
        System.out.println("level  threshold  takeover  messages: plain -> deflate (ratio)   history: plain -> deflate (ratio)");
        for (int level : new int[] {1, 6, 9}) {
            for (int threshold : new int[] {0, DeflateConfig.DEFAULT_THRESHOLD_BYTES}) {
                for (boolean takeover : new boolean[] {false, true}) {
                    WebSocketMessageEncoder encoder = WebSocketMessageEncoder.create(level);
                    DeflateParameters parameters = new DeflateParameters(!takeover, true, 15, 15);
                    DeflateSender sender = new DeflateSender(parameters, threshold);
                    long plain = 0;
                    long sent = 0;
                    for (byte[] m : messages) {
                        EncodedMessage message = encoder.text(m);
                        plain += message.length();
                        sent += sender.select(message).length();
                    }
                    EncodedMessage h = encoder.text(history);
                    long historySent = new DeflateSender(parameters, threshold).select(h).length();
                    sender.close();
                    System.out.printf("%5d  %9d  %8s  %8d -> %8d (%.2fx)          %6d -> %6d (%.2fx)%n", level, threshold,
                            takeover ? "server" : "none", plain, sent, (double) plain / sent, h.length(), historySent,
                            (double) h.length() / historySent);
                }
            }
        }
    }
}
