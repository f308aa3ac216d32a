package dev.chatengine.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A demo server in a child JVM of its own, for the tests where the JVM's fate is the point: its
 * output is collected line by line, its port read from its start line, its heap read with
 * {@code jcmd}. Bounded: {@link #close} kills it if it is still running.
 */
final class DemoProcess implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("listening on [^ ]+:(\\d+);");
    private static final Pattern HEAP_USED = Pattern.compile("garbage-first heap\\s+total (?:reserved )?\\d+K, (?:committed \\d+K, )?used (\\d+)K");

    private final Process process;
    private final List<String> output = new ArrayList<>(); // guarded by itself
    private final int port;

    private DemoProcess(Process process) throws Exception {
        this.process = process;
        Thread.ofPlatform().daemon().name("demo-process-output").start(this::collect);
        awaitOutput("its start line", () -> linesMatching(LISTENING).size() > 0, 120);
        Matcher matcher = LISTENING.matcher(linesMatching(LISTENING).getFirst());
        matcher.find();
        this.port = Integer.parseInt(matcher.group(1));
    }

    /**
     * Starts {@code java JVM_FLAGS -cp (this test's class path) ChatDemo --port 0 ARGS}; with
     * {@code fileDescriptorLimit > 0}, under {@code bash -c 'ulimit -n N; exec java ...'}.
     */
    static DemoProcess start(List<String> jvmFlags, List<String> args, int fileDescriptorLimit) throws Exception {
        List<String> java = new ArrayList<>();
        java.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        java.add("-Xshare:auto");
        java.add("--add-opens");
        java.add("jdk.httpserver/sun.net.httpserver=ALL-UNNAMED");
        java.addAll(jvmFlags);
        java.add("-cp");
        java.add(System.getProperty("java.class.path"));
        java.add(ChatDemo.class.getName());
        java.add("--port");
        java.add("0");
        java.addAll(args);
        List<String> command = java;
        if (fileDescriptorLimit > 0) {
            StringBuilder line = new StringBuilder("ulimit -n " + fileDescriptorLimit + " && exec");
            for (String word : java) {
                line.append(" '").append(word.replace("'", "'\\''")).append('\'');
            }
            command = List.of("bash", "-c", line.toString());
        }
        return new DemoProcess(new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The exit code, waiting up to {@code seconds} for the end. */
    int exitCode(int seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            throw new AssertionError("still running after " + seconds + " s");
        }
        return process.exitValue();
    }

    /** Every line the process printed so far (stdout and stderr). */
    List<String> output() {
        synchronized (output) {
            return List.copyOf(output);
        }
    }

    List<String> linesMatching(Pattern pattern) {
        return output().stream().filter(line -> pattern.matcher(line).find()).toList();
    }

    /** Waits up to {@code seconds} for {@code condition}; fails naming {@code what} and the output's tail. */
    void awaitOutput(String what, BooleanSupplier condition, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline || !process.isAlive() && !condition.getAsBoolean()) {
                List<String> lines = output();
                throw new AssertionError("no " + what + " within " + seconds + " s (alive: " + process.isAlive()
                        + "); output:\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())));
            }
            Thread.sleep(50);
        }
    }

    /** The heap in use after a full collection, in bytes, by {@code jcmd GC.run} and {@code GC.heap_info}. */
    long heapUsedAfterGc() throws Exception {
        jcmd("GC.run");
        String info = jcmd("GC.heap_info");
        Matcher matcher = HEAP_USED.matcher(info);
        if (!matcher.find()) {
            throw new AssertionError("no G1 heap figure in: " + info);
        }
        return Long.parseLong(matcher.group(1)) * 1024;
    }

    /**
     * The heap after GC once it is back within {@code slackBytes} of {@code baseline}, waiting up to 60 s
     * (sessions end asynchronously); fails with both figures otherwise.
     */
    long awaitHeapNear(long baseline, long slackBytes) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            long used = heapUsedAfterGc();
            if (used <= baseline + slackBytes) {
                return used;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("heap after GC " + used / 1048576 + " MiB, baseline " + baseline / 1048576 + " MiB");
            }
            Thread.sleep(500);
        }
    }

    /** The process is alive and {@code /healthz} answers 200 on a new connection (it is accepting). */
    void assertAnswers() throws IOException {
        if (!isAlive()) {
            throw new AssertionError("the demo process ended");
        }
        String head = AttackSockets.answer(port, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
        if (!head.startsWith("HTTP/1.1 200 ")) {
            throw new AssertionError("/healthz answered " + head);
        }
    }

    /**
     * The value of one series of {@code /metrics} (read from loopback, which may read it), for example
     * {@code chat_clients_dropped_total{endpoint="ws",reason="slow_consumer"}}; fails if it is absent.
     */
    long metric(String series) throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        try (http) {
            String text = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                                    "http://127.0.0.1:" + port + "/metrics")).timeout(java.time.Duration.ofSeconds(60)).build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            for (String line : text.split("\n")) {
                if (line.startsWith(series + " ")) {
                    return Long.parseLong(line.substring(series.length() + 1).trim());
                }
            }
            throw new AssertionError("no series " + series + " in /metrics");
        }
    }

    /** The live threads of the process, from {@code /proc}. */
    long threads() throws IOException {
        return java.nio.file.Files.list(Path.of("/proc", Long.toString(pid()), "task")).count();
    }

    /** Its open file descriptors, from {@code /proc}. */
    long fileDescriptors() throws IOException {
        try (var fds = java.nio.file.Files.list(Path.of("/proc", Long.toString(pid()), "fd"))) {
            return fds.count();
        }
    }

    private String jcmd(String command) throws Exception {
        Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid()), command).redirectErrorStream(true).start();
        String text = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!jcmd.waitFor(60, TimeUnit.SECONDS)) {
            jcmd.destroyForcibly();
            throw new AssertionError("jcmd " + command + " did not finish");
        }
        return text;
    }

    private void collect() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                synchronized (output) {
                    output.add(line);
                }
            }
        } catch (IOException e) {
            // The process ended.
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy(); // SIGTERM: the graceful stop
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
