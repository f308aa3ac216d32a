package dev.chatengine.transport.jdk.server;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Which address {@code X-Forwarded-For} names, read from the right, only behind trusted proxies. */
class ForwardedForTest {

    private static final Set<InetAddress> PROXIES = Set.of(ip("10.0.0.2"), ip("10.0.0.3"));

    @ParameterizedTest(name = "peer {0}, header [{1}] -> {2}")
    @CsvSource(delimiter = '|', value = {
            "10.0.0.2 | 203.0.113.7                         | 203.0.113.7",  // one proxy
            "10.0.0.2 | 198.51.100.1, 203.0.113.7            | 203.0.113.7",  // the client's own entry on the left is not trusted
            "10.0.0.2 | 203.0.113.7, 10.0.0.3               | 203.0.113.7",  // two proxies in a chain
            "10.0.0.2 | 10.0.0.3                            | 10.0.0.3",     // only proxies: the leftmost proxy
            "192.0.2.9 | 203.0.113.7                        | 192.0.2.9",    // untrusted peer: header ignored
            "10.0.0.2 | unknown                             | 10.0.0.2",     // not an address: the peer
            "10.0.0.2 | 203.0.113.7, example.com            | 10.0.0.2",     // a name is never looked up
            "10.0.0.2 | 203.0.113.7:4711                    | 203.0.113.7",  // IPv4 with a port
            "10.0.0.2 | [2001:db8::1]:4711                  | 2001:db8::1",  // IPv6 in brackets with a port
            "10.0.0.2 | 2001:db8::1                         | 2001:db8::1",
            "10.0.0.2 | 1.2.3                               | 10.0.0.2",     // not a full IPv4 literal
    })
    void clientAddress(String peer, String header, String expected) {
        assertThat(ForwardedFor.clientAddress(ip(peer), List.of(header), PROXIES)).isEqualTo(ip(expected));
    }

    @ParameterizedTest(name = "lines {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "198.51.100.1;203.0.113.7 | 203.0.113.7", // the last line is the nearest proxy's
            "203.0.113.7;10.0.0.3     | 203.0.113.7",
    })
    void severalHeaderLinesReadAsOneListInOrder(String lines, String expected) {
        assertThat(ForwardedFor.clientAddress(ip("10.0.0.2"), Arrays.asList(lines.split(";")), PROXIES))
                .isEqualTo(ip(expected));
    }

    private static InetAddress ip(String literal) {
        InetAddress address = ForwardedFor.parseLiteral(literal);
        if (address == null) {
            throw new AssertionError("not a literal: " + literal);
        }
        return address;
    }
}
