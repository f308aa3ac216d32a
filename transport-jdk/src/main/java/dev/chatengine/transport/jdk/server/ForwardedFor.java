package dev.chatengine.transport.jdk.server;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Set;

/**
 * Finds the client's address behind trusted reverse proxies from {@code X-Forwarded-For}. Pure and
 * stateless: thread-safe.
 *
 * <p>The header is read only when the peer itself is a trusted proxy, from its right end: each
 * proxy appends the address it received the request from, so the rightmost entry that is not a
 * trusted proxy is the client; entries further left were written by the client and prove nothing.
 * An entry that is not a literal IP address ends the walk (the proxy before it is then the client),
 * and no name is ever looked up.
 */
final class ForwardedFor {

    static final String HEADER = "X-Forwarded-For";

    private ForwardedFor() {
    }

    /**
     * The client's address: {@code peer} itself unless it is in {@code trustedProxies} and
     * {@code headerValues} (every {@code X-Forwarded-For} line, in order) names another.
     */
    static InetAddress clientAddress(InetAddress peer, List<String> headerValues, Set<InetAddress> trustedProxies) {
        if (headerValues == null || headerValues.isEmpty() || !trustedProxies.contains(peer)) {
            return peer;
        }
        InetAddress client = peer;
        for (int line = headerValues.size() - 1; line >= 0; line--) {
            String[] entries = headerValues.get(line).split(",");
            for (int i = entries.length - 1; i >= 0; i--) {
                InetAddress entry = parseLiteral(entries[i].trim());
                if (entry == null) {
                    return client;
                }
                client = entry;
                if (!trustedProxies.contains(entry)) {
                    return entry;
                }
            }
        }
        return client;
    }

    /** An IPv4 or IPv6 literal (brackets and an IPv4 port allowed), or null; never a DNS lookup. */
    static InetAddress parseLiteral(String text) {
        String host = text;
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            if (end < 0) {
                return null;
            }
            host = host.substring(1, end);
        } else if (host.indexOf(':') >= 0 && host.indexOf(':') == host.lastIndexOf(':')) {
            host = host.substring(0, host.indexOf(':')); // 203.0.113.5:4711
        }
        if (host.isEmpty() || host.length() > 45) {
            return null;
        }
        boolean ipv4 = host.chars().allMatch(c -> c == '.' || c >= '0' && c <= '9');
        boolean ipv6 = host.indexOf(':') >= 0 && host.chars().allMatch(c -> c == ':' || c == '.'
                || c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F');
        if (!ipv4 && !ipv6) {
            return null; // "unknown", an obfuscated identifier or a name: InetAddress would look a name up
        }
        if (ipv4 && host.chars().filter(c -> c == '.').count() != 3) {
            return null;
        }
        try {
            return InetAddress.getByName(host); // a literal: parsed, not resolved
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
