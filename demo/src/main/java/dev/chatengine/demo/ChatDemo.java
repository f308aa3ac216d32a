package dev.chatengine.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetSocketAddress;

/**
 * The demo's entry point: {@code java -jar demo/target/chat-demo.jar [--host H] [--port P]}.
 *
 * <p>It prints one line with the address to open, then serves until SIGTERM or Ctrl-C, when a
 * shutdown hook stops the server gracefully (WebSockets get 1001). Exit codes: 0 after
 * {@code --help}, 2 for a bad command line (usage is printed), 1 when the server cannot start (a
 * busy port, an unknown host), with one sentence and no stack trace. The JVM exits with 143 after
 * SIGTERM and 130 after Ctrl-C, as usual.
 */
public final class ChatDemo {

    static final int EXIT_OK = 0;
    static final int EXIT_CANNOT_START = 1;
    static final int EXIT_USAGE = 2;
    /** After an OutOfMemoryError (or another VirtualMachineError) no one caught: see {@link #onUncaught}. */
    static final int EXIT_OUT_OF_MEMORY = 3;

    /** One line per log record, not the JDK's default two, unless the user configured a format. */
    private static final String LOG_FORMAT = "%1$tF %1$tT %4$s %3$s: %5$s%6$s%n";

    private ChatDemo() {
    }

    /** What {@link #start} came to: a running server, or an exit code (after it printed why). */
    sealed interface Outcome {
        record Running(DemoServer server) implements Outcome {
        }

        record Exit(int code) implements Outcome {
        }
    }

    public static void main(String[] args) {
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", LOG_FORMAT);
        }
        JvmTuning.apply();
        Thread.setDefaultUncaughtExceptionHandler(ChatDemo::onUncaught);
        switch (start(args, System.out, System.err)) {
            case Outcome.Running(DemoServer server) ->
                    // HttpServer's dispatcher thread keeps the JVM alive; the hook ends it gracefully.
                    Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("demo-shutdown").unstarted(() -> {
                        server.stop();
                        // Not through the logger: the JDK's logging may already be shut down by its own hook.
                        System.out.println("chat-demo: stopped");
                    }));
            case Outcome.Exit(int code) -> {
                System.out.flush();
                System.exit(code);
            }
        }
    }

    /**
     * Last resort for an exception no one caught. An {@link OutOfMemoryError} or any other
     * {@link VirtualMachineError} ends the process at once with a clear message and exit code
     * {@value #EXIT_OUT_OF_MEMORY}, rather than leaving a half-dead JVM (HttpServer's dispatcher
     * thread dies of it and nothing accepts connections any more); a supervisor restarts it. Other
     * exceptions are logged and the thread ends, as by default.
     */
    static void onUncaught(Thread thread, Throwable e) {
        if (e instanceof VirtualMachineError) {
            // Print before anything else allocates; halt, not exit: shutdown hooks may need memory too.
            System.err.println("chat-demo: fatal " + e.getClass().getSimpleName() + " in thread '" + thread.getName()
                    + "': " + e.getMessage() + "; exiting with " + EXIT_OUT_OF_MEMORY
                    + " (limits: README's defaults table; heap: -Xmx)");
            System.err.flush();
            Runtime.getRuntime().halt(EXIT_OUT_OF_MEMORY);
        }
        System.getLogger(ChatDemo.class.getName()).log(System.Logger.Level.ERROR,
                "uncaught exception in thread '" + thread.getName() + "'", e);
    }

    /**
     * Parses {@code args} and starts the server, printing the start line to {@code out} and any
     * problem to {@code err}. Installs no shutdown hook: {@link #main} does, tests stop the server.
     */
    static Outcome start(String[] args, PrintStream out, PrintStream err) {
        return switch (CommandLine.parse(args)) {
            case CommandLine.Help() -> {
                out.print(CommandLine.USAGE);
                yield new Outcome.Exit(EXIT_OK);
            }
            case CommandLine.Invalid(String problem) -> {
                err.println("chat-demo: " + problem);
                err.print(CommandLine.USAGE);
                yield new Outcome.Exit(EXIT_USAGE);
            }
            case CommandLine.Run(String host, int port, Exposure exposure, java.util.Optional<java.net.URI> redis,
                                 DemoLimits limits) -> startServer(host, port, exposure, redis, limits, out, err);
        };
    }

    private static Outcome startServer(String host, int port, Exposure exposure, java.util.Optional<java.net.URI> redis,
                                       DemoLimits limits, PrintStream out, PrintStream err) {
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            err.println("chat-demo: cannot listen on " + host + ": unknown host; choose another with --host");
            return new Outcome.Exit(EXIT_CANNOT_START);
        }
        try {
            DemoConfig.Builder config = DemoConfig.builder().exposure(exposure);
            limits.applyTo(config, DemoConfig.defaults());
            redis.ifPresent(config::redis);
            DemoServer server = DemoServer.start(address, config.build());
            out.println("chat-demo: open " + server.baseUri() + " (listening on " + host + ":" + server.port()
                    + "; /ws chat, /ws/raw broadcast, /metrics"
                    + redis.map(r -> "; cluster node " + server.broker().orElseThrow().nodeId() + " on " + r).orElse("")
                    + "; Ctrl-C stops)");
            out.flush();
            return new Outcome.Running(server);
        } catch (BindException e) {
            err.println("chat-demo: " + bindProblem(host, port, e));
            return new Outcome.Exit(EXIT_CANNOT_START);
        } catch (IOException | IllegalStateException e) {
            err.println("chat-demo: cannot start on " + host + ":" + port + ": " + e.getMessage());
            return new Outcome.Exit(EXIT_CANNOT_START);
        }
    }

    /** The sentence for a failed bind; the JDK's message is "Address already in use" or "Cannot assign requested address". */
    static String bindProblem(String host, int port, BindException e) {
        String message = String.valueOf(e.getMessage());
        if (message.toLowerCase(java.util.Locale.ROOT).contains("in use")) {
            return "port " + port + " is already in use on " + host + "; choose another with --port";
        }
        return "cannot listen on " + host + ":" + port + " (" + message + "); choose another address with --host";
    }
}
