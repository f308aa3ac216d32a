package dev.chatengine.demo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class CommandLineTest {

    @Test
    void noArgumentsMeanLoopbackOnPort8080() {
        assertThat(CommandLine.parse()).isEqualTo(new CommandLine.Run("127.0.0.1", 8080));
    }

    @Test
    void exposureFlags() {
        CommandLine parsed = CommandLine.parse("--host", "0.0.0.0", "--tls-keystore", "chat.p12", "--tls-password=secret",
                "--metrics-token", "t0k", "--trusted-proxy", "10.0.0.2", "--trusted-proxy", "::1");
        assertThat(parsed).isEqualTo(new CommandLine.Run("0.0.0.0", 8080, new Exposure(Optional.of(Path.of("chat.p12")),
                "secret", Optional.of("t0k"), List.of("10.0.0.2", "::1"))));
        assertThat(CommandLine.parse("--trusted-proxy", "proxy.example"))
                .isEqualTo(new CommandLine.Invalid("--trusted-proxy takes a literal IP address, not 'proxy.example'"));
        assertThat(CommandLine.parse("--metrics-token=")).isEqualTo(new CommandLine.Invalid("--metrics-token needs a value"));
    }

    @Test
    void hostAndPortInBothSpellings() {
        assertThat(CommandLine.parse("--host", "127.0.0.1", "--port", "9000"))
                .isEqualTo(new CommandLine.Run("127.0.0.1", 9000));
        assertThat(CommandLine.parse("--port=0", "--host=::1")).isEqualTo(new CommandLine.Run("::1", 0));
    }

    @Test
    void helpWinsWhereverItIs() {
        assertThat(CommandLine.parse("--port", "1", "--help")).isEqualTo(new CommandLine.Help());
        assertThat(CommandLine.parse("-h")).isEqualTo(new CommandLine.Help());
    }

    @ParameterizedTest(name = "--port {0} is refused")
    @ValueSource(strings = {"-1", "65536", "http", "", "80a", "999999"})
    void badPortsAreRefusedWithTheRange(String port) {
        assertThat(CommandLine.parse("--port", port))
                .isEqualTo(new CommandLine.Invalid("--port takes a number from 0 to 65535, not '" + port + "'"));
    }

    @Test
    void unknownFlagsAndMissingValuesAreRefused() {
        assertThat(CommandLine.parse("--verbose")).isEqualTo(new CommandLine.Invalid("unknown argument: --verbose"));
        assertThat(CommandLine.parse("8080")).isEqualTo(new CommandLine.Invalid("unknown argument: 8080"));
        assertThat(CommandLine.parse("--port")).isEqualTo(new CommandLine.Invalid("--port needs a value"));
        assertThat(CommandLine.parse("--host=")).isEqualTo(new CommandLine.Invalid("--host needs a value"));
    }

    @Test
    void usageNamesEveryFlagAndTheDefaults() {
        assertThat(CommandLine.USAGE).contains("--host H", "--port P", "--help", "default 127.0.0.1", "default 8080",
                "--tls-keystore F", "--metrics-token T", "--trusted-proxy IP");
    }

    @Test
    void roomExpiryTakesADurationWithAUnitAndDefaultsToTheEngines() {
        assertThat(CommandLine.parse()).isInstanceOfSatisfying(CommandLine.Run.class,
                run -> assertThat(run.limits().roomExpiry()).isEmpty());
        assertThat(CommandLine.parse("--room-expiry", "2s")).isInstanceOfSatisfying(CommandLine.Run.class,
                run -> assertThat(run.limits().roomExpiry()).contains(java.time.Duration.ofSeconds(2)));
        assertThat(CommandLine.parse("--room-expiry=90m")).isInstanceOfSatisfying(CommandLine.Run.class,
                run -> assertThat(run.limits().roomExpiry()).contains(java.time.Duration.ofMinutes(90)));
        for (String bad : List.of("15", "0s", "-1s", "2 s", "1d", "s", "")) {
            assertThat(CommandLine.parse("--room-expiry", bad)).as(bad).isEqualTo(new CommandLine.Invalid(
                    "--room-expiry takes a duration with a unit, e.g. 30s, 15m or 2h, not '" + bad + "'"));
        }
        assertThat(CommandLine.parse("--room-expiry")).isEqualTo(new CommandLine.Invalid("--room-expiry needs a value"));
        assertThat(CommandLine.USAGE).contains("--room-expiry D",
                "(default " + dev.chatengine.engine.chat.ChatConfig.DEFAULT_ROOM_EXPIRY.toMinutes() + "m)");
    }

    @Test
    void redisJoinsTheClusterAndMustBeARedisUriWithHostAndPort() {
        assertThat(CommandLine.parse("--redis", "redis://127.0.0.1:6379")).isEqualTo(new CommandLine.Run("127.0.0.1", 8080,
                Exposure.defaults(), Optional.of(java.net.URI.create("redis://127.0.0.1:6379"))));
        assertThat(CommandLine.parse("--redis=redis://r:7000")).isInstanceOf(CommandLine.Run.class);
        for (String bad : List.of("127.0.0.1:6379", "http://h:1", "redis://h", "redis://h:1/db", "redis://")) {
            assertThat(CommandLine.parse("--redis", bad)).as(bad).isInstanceOf(CommandLine.Invalid.class);
        }
        assertThat(CommandLine.USAGE).contains("--redis redis://HOST:PORT", "/readyz");
    }
}
