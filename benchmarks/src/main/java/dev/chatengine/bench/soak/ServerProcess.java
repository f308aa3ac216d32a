package dev.chatengine.bench.soak;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The demo server under soak, in a child JVM of this class path ({@code -Xmx} as asked, its default
 * limits, {@code --trusted-proxy 127.0.0.1} so that attackers can pose as other addresses with
 * {@code X-Forwarded-For}), and what Linux and {@code jcmd} say about it.
 *
 * <p>Thread contract: one thread starts and closes it; {@link #snapshot}, {@link #rssKib} and
 * {@link #isAlive} may be called from any thread. A daemon thread reads the child's output, echoing
 * lines of WARNING and worse.
 */
final class ServerProcess implements AutoCloseable {

    /** What one end of the run measured of the server; -1 for what could not be read. */
    record Snapshot(long heapAfterGcBytes, long threads, long fileDescriptors, long rssKib) {
        static final Snapshot UNKNOWN = new Snapshot(-1, -1, -1, -1);

        @Override
        public String toString() {
            return String.format("heap after GC %.1f MiB, threads %d, file descriptors %d, RSS %.1f MiB",
                    heapAfterGcBytes / 1048576.0, threads, fileDescriptors, rssKib / 1024.0);
        }
    }

    private static final Pattern LISTENING = Pattern.compile("listening on [^ ]+:(\\d+);");
    private static final Pattern HEAP_USED = Pattern.compile(
            "garbage-first heap\\s+total (?:reserved )?\\d+K, (?:committed \\d+K, )?used (\\d+)K");
    private static final long START_TIMEOUT_SECONDS = 120;
    private static final long STOP_TIMEOUT_SECONDS = 30;

    private final Process process;
    private final int port;

    private ServerProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts the demo with a heap of {@code heap} (a JVM size such as 512m) and returns once it listens. */
    static ServerProcess start(String heap, PrintStream log) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java, "-Xmx" + heap, "-XX:+ExitOnOutOfMemoryError",
                "--add-opens", "jdk.httpserver/sun.net.httpserver=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "dev.chatengine.demo.ChatDemo", "--port", "0", "--trusted-proxy", "127.0.0.1");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            return new ServerProcess(process, awaitPort(process, log));
        } catch (Exception e) {
            process.destroyForcibly();
            throw e;
        }
    }

    /** Reads the server's output, echoing WARNING and worse lines, and returns its port. */
    private static int awaitPort(Process server, PrintStream log) throws Exception {
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("soak-server-output").start(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    Matcher matcher = LISTENING.matcher(line);
                    if (matcher.find()) {
                        port.complete(Integer.parseInt(matcher.group(1)));
                    }
                    if (line.contains("WARNING") || line.contains("SEVERE") || line.contains("ERROR") || line.contains("fatal")) {
                        log.println("server: " + line);
                    }
                }
            } catch (IOException e) {
                // ended
            }
            port.completeExceptionally(new IOException("the server ended before it listened"));
        });
        return port.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    int port() {
        return port;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Runs a full GC in the server, then reads its heap in use, threads, descriptors and RSS. */
    Snapshot snapshot() throws Exception {
        if (!process.isAlive()) {
            return Snapshot.UNKNOWN;
        }
        long pid = process.pid();
        jcmd(pid, "GC.run");
        Matcher heap = HEAP_USED.matcher(jcmd(pid, "GC.heap_info"));
        long heapBytes = heap.find() ? Long.parseLong(heap.group(1)) * 1024 : -1;
        return new Snapshot(heapBytes, count(proc(pid, "task")), count(proc(pid, "fd")), rssKib());
    }

    /** The server's resident set size now, in KiB; -1 if unknown. */
    long rssKib() {
        try {
            for (String line : Files.readAllLines(proc(process.pid(), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // unknown
        }
        return -1;
    }

    /** Asks the server to stop (SIGTERM), and kills it if it has not after 30 s. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    private static Path proc(long pid, String entry) {
        return Path.of("/proc", Long.toString(pid), entry);
    }

    private static long count(Path directory) {
        try (var entries = Files.list(directory)) {
            return entries.count();
        } catch (IOException e) {
            return -1;
        }
    }

    private static String jcmd(long pid, String command) throws Exception {
        Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid), command).redirectErrorStream(true).start();
        String text = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        jcmd.waitFor(60, TimeUnit.SECONDS);
        return text;
    }
}
