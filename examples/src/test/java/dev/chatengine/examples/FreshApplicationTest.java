package dev.chatengine.examples;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A fresh application ({@code src/test/resources/fresh-app}: a Maven project as a user writes it)
 * compiled against nothing but this build's library jars (engine, transport-jdk, testing) and run in
 * a JVM of its own: as named modules with the module-path form of the {@code --add-opens} flag, and
 * on the class path with the class-path form. Needs the jars, so it runs in {@code mvn verify} (what
 * {@code ./dev test} runs) and is skipped by a bare {@code mvn test}.
 */
class FreshApplicationTest {

    private static final String[] LIBRARIES = {"engine", "transport-jdk", "testing"};

    @TempDir
    static Path out;
    private static List<Path> jars;
    private static Path appClasses;
    private static Path checkClasses;

    @BeforeAll
    static void compile() throws IOException, URISyntaxException {
        Path root = Path.of(System.getProperty("chatengine.root", ".."));
        String version = System.getProperty("chatengine.version", "0.1.0-SNAPSHOT");
        jars = new ArrayList<>();
        for (String module : LIBRARIES) {
            Path jar = root.resolve(module).resolve("target").resolve("chatengine-" + module + "-" + version + ".jar");
            assumeTrue(Files.isRegularFile(jar), "needs the packaged library jars (mvn verify): " + jar);
            jars.add(jar);
        }
        Path app = Path.of(FreshApplicationTest.class.getResource("/fresh-app/pom.xml").toURI()).getParent();
        appClasses = out.resolve("app");
        checkClasses = out.resolve("check");
        javac(List.of("--module-path", path(jars), "-d", appClasses.toString()), sources(app.resolve("src/main/java")));
        List<Path> withApp = new ArrayList<>(jars);
        withApp.add(appClasses);
        javac(List.of("--module-path", path(withApp), "-d", checkClasses.toString()), sources(app.resolve("src/check/java")));
    }

    /** What {@code mvn install} puts beside each library jar: its sources and its Javadoc, of the API only. */
    @Test
    void eachLibraryComesWithItsSourcesAndItsJavadoc() throws IOException {
        Map<String, String> typeOf = Map.of("engine", "dev/chatengine/engine/Hub",
                "transport-jdk", "dev/chatengine/transport/jdk/server/ChatServer",
                "testing", "dev/chatengine/testing/ChatTestClient");
        for (Path jar : jars) {
            String module = LIBRARIES[jars.indexOf(jar)];
            String base = jar.getFileName().toString().replace(".jar", "");
            Path sources = jar.resolveSibling(base + "-sources.jar");
            Path javadoc = jar.resolveSibling(base + "-javadoc.jar");
            assertThat(entries(sources)).as("sources of %s", module).contains(typeOf.get(module) + ".java");
            List<String> pages = entries(javadoc);
            assertThat(pages).as("javadoc of %s", module).contains("index.html")
                    .anyMatch(p -> p.endsWith(typeOf.get(module) + ".html"));
            assertThat(pages).as("the codec is internal: no Javadoc page of it").noneMatch(p -> p.contains("/jdk/protocol/"));
        }
    }

    private static List<String> entries(Path jar) throws IOException {
        assertThat(jar).isRegularFile();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            return zip.stream().map(ZipEntry::getName).toList();
        }
    }

    @Test
    void runsAsNamedModulesWithTheModulePathFlag() throws Exception {
        List<Path> modulePath = new ArrayList<>(jars);
        modulePath.add(appClasses);
        modulePath.add(checkClasses);
        String output = java("--add-opens", "jdk.httpserver/sun.net.httpserver=dev.chatengine.transport.jdk",
                "--module-path", path(modulePath), "--module", "fresh.check/check.SelfCheck");
        assertThat(output).contains("fresh app ok (module path)");
    }

    @Test
    void runsOnTheClassPathWithTheClassPathFlag() throws Exception {
        List<Path> classPath = new ArrayList<>(jars);
        classPath.add(appClasses);
        classPath.add(checkClasses);
        String output = java("--add-opens", "jdk.httpserver/sun.net.httpserver=ALL-UNNAMED",
                "-cp", path(classPath), "check.SelfCheck");
        assertThat(output).contains("fresh app ok (class path)");
    }

    @Test
    void withoutTheFlagItFailsAtOnceNamingIt() throws Exception {
        List<Path> classPath = new ArrayList<>(jars);
        classPath.add(appClasses);
        classPath.add(checkClasses);
        Process process = new ProcessBuilder(javaBinary(), "-cp", path(classPath), "check.SelfCheck")
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isNotZero();
        assertThat(output).contains("--add-opens jdk.httpserver/sun.net.httpserver=ALL-UNNAMED");
    }

    private static void javac(List<String> options, List<String> sources) {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        List<String> args = new ArrayList<>(options);
        args.addAll(sources);
        int status = compiler.run(null, null, null, args.toArray(String[]::new));
        assertThat(status).as("javac " + args).isZero();
    }

    private static List<String> sources(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.toString().endsWith(".java")).map(Path::toString).toList();
        }
    }

    private static String java(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(javaBinary());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("the application ended").isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String path(List<Path> entries) {
        return String.join(File.pathSeparator, entries.stream().map(Path::toString).toList());
    }
}
