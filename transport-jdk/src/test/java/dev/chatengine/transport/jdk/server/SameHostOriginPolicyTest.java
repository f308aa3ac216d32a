package dev.chatengine.transport.jdk.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link OriginPolicy#sameHostOrAllowlist}: host and port against the Host header, default ports by scheme. */
class SameHostOriginPolicyTest {

    private final OriginPolicy policy = OriginPolicy.sameHostOrAllowlist(Set.of("https://app.example", "http://localhost:3000"));

    @ParameterizedTest(name = "Origin {0}, Host {1}, secure {2} -> {3}")
    @CsvSource({
            "http://chat.example:8080,  chat.example:8080, false, true",
            "http://CHAT.example:8080,  chat.EXAMPLE:8080, false, true",  // hosts compare case-insensitively
            "http://chat.example,       chat.example,      false, true",  // both default to 80
            "http://chat.example,       chat.example:80,   false, true",
            "https://chat.example,      chat.example:443,  true,  true",
            "https://chat.example,      chat.example,      false, true",  // TLS ended by a proxy in front of a plain server
            "http://chat.example:8081,  chat.example:8080, false, false", // other port
            "http://evil.example:8080,  chat.example:8080, false, false", // other host
            "http://chat.example.evil,  chat.example,      false, false",
            "https://app.example,       chat.example,      true,  true",  // allow-listed
            "https://app.example:443,   chat.example,      true,  true",  // allow-listed, default port written
            "http://app.example,        chat.example,      false, false", // allow-listed origin is scheme-exact
            "http://localhost:3000,     chat.example,      false, true",
            "http://localhost:3001,     chat.example,      false, false",
            "null,                      chat.example,      false, false", // opaque origin
            "not a url,                 chat.example,      false, false",
            "http://[::1]:8080,         '[::1]:8080',      false, true",
    })
    void decides(String origin, String host, boolean secure, boolean allowed) {
        assertThat(policy.allows(origin, host, secure)).isEqualTo(allowed);
    }

    @Test
    void missingHostMatchesOnlyTheAllowlist() {
        assertThat(policy.allows("http://chat.example", null, false)).isFalse();
        assertThat(policy.allows("https://app.example", null, false)).isTrue();
    }

    @Test
    void rejectsAnAllowlistEntryThatIsNoOrigin() {
        assertThatThrownBy(() -> OriginPolicy.sameHostOrAllowlist(Set.of("app.example")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("app.example");
    }

    @Test
    void anyOriginAllowsAll() {
        assertThat(OriginPolicy.anyOrigin().allows("http://evil.example", "chat.example", false)).isTrue();
    }
}
