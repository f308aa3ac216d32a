package dev.chatengine.cluster.redis;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import redis.clients.jedis.Jedis;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} for a test class, on a free loopback port, without persistence.
 *
 * <pre>{@code
 * @RegisterExtension static final RedisServer REDIS = new RedisServer();
 * ... REDIS.uri() ... REDIS.kill(); REDIS.restart(); REDIS.config("client-output-buffer-limit", "pubsub 64kb 0 0");
 * }</pre>
 *
 * <p>Where no {@code redis-server} is installed, every test of the class is skipped with the command that
 * installs it ({@code ./dev test} installs it by itself when run as root). {@link #kill()} is a SIGKILL
 * (the server loses everything, as it keeps nothing on disk); {@link #restart()} starts a new one on the
 * same port, so clients reconnect to the same address.
 *
 * <p>Thread contract: used by the test's thread; {@link #uri()} and {@link #port()} from any.
 */
public final class RedisServer implements BeforeAllCallback, AfterAllCallback {

    private static final Duration START_DEADLINE = Duration.ofSeconds(20);

    private int port;
    private Process process;

    /** The binary: {@code redis-server} on the PATH or in /usr/bin, else null. */
    static Path binary() {
        for (String dir : (System.getenv().getOrDefault("PATH", "") + ":/usr/bin:/usr/sbin").split(":")) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, "redis-server");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }

    /** Starts a server on a new free port (for use outside JUnit's callbacks, e.g. several servers). */
    public void start() throws IOException, InterruptedException {
        Assumptions.assumeTrue(binary() != null, "redis-server is not installed: apt-get install redis-server"
                + " (./dev test installs it when it runs as root); the tests that need a real Redis are skipped");
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        launch();
    }

    private void launch() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(binary().toString(), "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "no",
                "--loglevel", "warning", "--dir", System.getProperty("java.io.tmpdir")));
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.nanoTime() + START_DEADLINE.toNanos();
        while (true) {
            try (Jedis jedis = new Jedis("127.0.0.1", port, 1000)) {
                if ("PONG".equals(jedis.ping())) {
                    return;
                }
            } catch (RuntimeException notYet) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("redis-server exited with " + process.exitValue() + " on port " + port);
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("redis-server did not answer PING within " + START_DEADLINE, notYet);
                }
                Thread.sleep(20);
            }
        }
    }

    public int port() {
        return port;
    }

    /** {@code redis://127.0.0.1:<port>}. */
    public URI uri() {
        return URI.create("redis://127.0.0.1:" + port);
    }

    /** A new connection to the server; close it. */
    public Jedis connect() {
        return new Jedis("127.0.0.1", port, 5000);
    }

    /** {@code CONFIG SET name value}, e.g. {@code config("client-output-buffer-limit", "pubsub 64kb 0 0")}. */
    public void config(String name, String value) {
        try (Jedis jedis = connect()) {
            jedis.configSet(name, value);
        }
    }

    /** SIGKILL: no goodbye, all data gone. Returns once the process is dead and the port closed. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();           // SIGKILL on Linux
        process.waitFor(10, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + START_DEADLINE.toNanos();
        while (accepts() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    /** A new server on the same port (after {@link #kill()}). */
    public void restart() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            kill();
        }
        launch();
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    private boolean accepts() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public void stop() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
