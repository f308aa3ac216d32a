package dev.chatengine.examples;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README shows the examples as they are compiled and run here: each block between
 * {@code // README:name} and {@code // README:end} in an example's source appears verbatim in
 * README.md (one level of indentation less).
 */
class ReadmeExamplesTest {

    @ParameterizedTest(name = "{1} from {0}")
    @CsvSource({
            "TokenAuthentication.java, token-auth",
            "TlsChat.java, tls",
            "ShoutBox.java, own-protocol",
            "Announcements.java, announce",
    })
    void theReadmeShowsTheExampleAsCompiled(String file, String name) throws IOException {
        Path root = Path.of(System.getProperty("chatengine.root", ".."));
        String source = Files.readString(root.resolve("examples/src/main/java/dev/chatengine/examples").resolve(file));
        Matcher block = Pattern.compile("(?ms)^ *// README:" + Pattern.quote(name) + "\\n(.*?)^ *// README:end\\n").matcher(source);
        assertThat(block.find()).as("a README block named %s in %s", name, file).isTrue();
        String snippet = List.of(block.group(1).stripTrailing().split("\n")).stream()
                .map(line -> line.startsWith("    ") ? line.substring(4) : line)
                .collect(Collectors.joining("\n"));

        assertThat(Files.readString(root.resolve("README.md"))).contains("```java\n" + snippet + "\n```");
    }
}
