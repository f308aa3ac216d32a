package dev.chatengine.transport.jdk.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class HandshakeTest {

    @Test
    void keyOfSixteenRandomBytesIsValid() {
        byte[] nonce = new byte[16];
        new java.util.Random(0).nextBytes(nonce);
        assertThat(Handshake.isValidKey(Base64.getEncoder().encodeToString(nonce))).isTrue();
    }

    @ParameterizedTest(name = "invalid key \"{0}\"")
    @ValueSource(strings = {
        "",                             // empty
        "AAAAAAAAAAAAAAAAAAAA",         // 15 bytes, no padding (20 chars)
        "AAAAAAAAAAAAAAAAAAAAAA",       // 16 bytes but unpadded (22 chars)
        "AAAAAAAAAAAAAAAAAAAAAAA=",     // 17 bytes (24 chars, one pad)
        "AAAAAAAAAAAAAAAAAAAAAAAA",     // 18 bytes (24 chars, no pad)
        "AAAAAAAAAAAAAAAAAAAAAAAAAAA=", // 20 bytes
        "dGhlIHNhbXBsZSBub25jZQ=",      // one pad character missing
        "dGhlIHNhbXBsZSBub25jZQ*=",     // '*' is not base64
        "dGhlIHNhbXBsZSBub25jZQ==\n",   // trailing newline
        " dGhlIHNhbXBsZSBub25jZQ==",    // leading space
        "dGhlIHNhbXBsZSBub25jZQ-_",     // base64url alphabet, not base64
    })
    void invalidKeys(String key) {
        assertThat(Handshake.isValidKey(key)).isFalse();
    }

    @Test
    void fifteenAndSeventeenByteKeysAreInvalid() {
        assertThat(Handshake.isValidKey(Base64.getEncoder().encodeToString(new byte[15]))).isFalse();
        assertThat(Handshake.isValidKey(Base64.getEncoder().encodeToString(new byte[17]))).isFalse();
        assertThat(Handshake.isValidKey(null)).isFalse();
    }

    @ParameterizedTest(name = "\"{0}\" has \"{1}\": {2}")
    @CsvSource(delimiter = '|', value = {
        "Upgrade                    | upgrade   | true",
        "keep-alive, Upgrade        | Upgrade   | true",
        "keep-alive,upgrade         | UPGRADE   | true",
        "  websocket  ,  other      | websocket | true",
        "WebSocket                  | websocket | true",
        "keep-alive                 | upgrade   | false",
        "upgrade-insecure           | upgrade   | false",
        "keep-alive; upgrade        | upgrade   | false",
        "''                         | upgrade   | false",
    })
    void tokens(String headerValue, String token, boolean expected) {
        assertThat(Handshake.hasToken(headerValue, token)).isEqualTo(expected);
    }

    @Test
    void nullHeaderHasNoToken() {
        assertThat(Handshake.hasToken(null, "upgrade")).isFalse();
    }
}
