package dev.chatengine.demo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class CommandLineTest {

    @Test
    void noArgumentsMeanAllInterfacesOnPort8080() {
        assertThat(CommandLine.parse()).isEqualTo(new CommandLine.Run("0.0.0.0", 8080));
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
        assertThat(CommandLine.USAGE).contains("--host H", "--port P", "--help", "default 0.0.0.0", "default 8080");
    }
}
