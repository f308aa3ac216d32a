package dev.chatengine.transport.jdk.server;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Without {@code --add-opens jdk.httpserver/sun.net.httpserver=ALL-UNNAMED}, creating a handler fails, naming the flag. */
class AddOpensCheckTest {

    @Test
    void failsFastNamingTheFlagWithoutIt() throws Exception {
        assertThat(run(List.of())).startsWith("REFUSED: ")
                .contains("--add-opens jdk.httpserver/sun.net.httpserver=ALL-UNNAMED");
    }

    @Test
    void startsWithIt() throws Exception {
        // Its last line; before it a WARNING that HttpServer's own limits were left at the JDK's defaults.
        assertThat(run(List.of("--add-opens", "jdk.httpserver/sun.net.httpserver=ALL-UNNAMED")).lines().toList())
                .last().isEqualTo("CREATED");
    }

    /** Runs {@link AddOpensProbe} in a fresh JVM on this test's class path and returns its output. */
    private static String run(List<String> jvmFlags) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xshare:auto");
        command.addAll(jvmFlags);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(AddOpensProbe.class.getName());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return output;
    }
}
