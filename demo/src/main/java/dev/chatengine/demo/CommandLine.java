package dev.chatengine.demo;

import java.util.Objects;

/**
 * The demo's command line, parsed: {@code [--host H] [--port P] [--help]}. Pure: no I/O, so every
 * case is a unit test. {@link ChatDemo#main} prints {@link #USAGE} for {@link Help} (exit 0) and
 * for {@link Invalid} (exit 2).
 */
sealed interface CommandLine {

    /** Loopback: nothing is exposed by accident; {@code --host 0.0.0.0} serves every interface. */
    String DEFAULT_HOST = "127.0.0.1";
    /** The port the issue names. */
    int DEFAULT_PORT = 8080;
    int MAX_PORT = 65_535;

    String USAGE = """
            Usage: java -jar demo/target/chat-demo.jar [--host H] [--port P] [--tls-keystore F] ...

            Starts the chat demo on the JDK's HttpServer:
              GET /          the chat page            GET /ws        the chat protocol (JSON)
              GET /ws/raw    every text message to every client, as the gorilla/websocket chat example
              GET /healthz   "ok" (liveness)          GET /metrics   Prometheus text format
              GET /readyz    200, or 503 while Redis is unreachable (with --redis)

            Options:
              --host H   address to listen on (default 127.0.0.1: this machine only; 0.0.0.0 every interface)
              --port P   TCP port, 0 to 65535 (default 8080; 0 picks a free one)
              --redis redis://HOST:PORT   join the cluster of nodes sharing rooms through this Redis
                         (default: none, a single node with everything in this process)
            """ + Exposure.USAGE + DemoLimits.USAGE + """
              --help     this text
            Stop it with Ctrl-C or SIGTERM: open WebSockets are closed with 1001 (going away).
            """;

    /** Start a server on {@code host:port}. */
    record Run(String host, int port, Exposure exposure, java.util.Optional<java.net.URI> redis, DemoLimits limits)
            implements CommandLine {
        public Run {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(exposure, "exposure");
            Objects.requireNonNull(redis, "redis");
            Objects.requireNonNull(limits, "limits");
        }

        Run(String host, int port, Exposure exposure, java.util.Optional<java.net.URI> redis) {
            this(host, port, exposure, redis, DemoLimits.defaults());
        }

        Run(String host, int port, Exposure exposure) {
            this(host, port, exposure, java.util.Optional.empty());
        }

        Run(String host, int port) {
            this(host, port, Exposure.defaults());
        }
    }

    /** {@code --help} was asked for. */
    record Help() implements CommandLine {
    }

    /** The arguments were wrong; {@code problem} says how, in one sentence. */
    record Invalid(String problem) implements CommandLine {
    }

    /** Parses {@code args}; {@code --flag value} and {@code --flag=value} are both accepted. */
    static CommandLine parse(String... args) {
        String host = DEFAULT_HOST;
        int port = DEFAULT_PORT;
        Exposure exposure = Exposure.defaults();
        DemoLimits limits = DemoLimits.defaults();
        java.util.Optional<java.net.URI> redis = java.util.Optional.empty();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("-h") || arg.equals("--help")) {
                return new Help();
            }
            int eq = arg.indexOf('=');
            String flag = eq > 0 && arg.startsWith("--") ? arg.substring(0, eq) : arg;
            if (!flag.equals("--host") && !flag.equals("--port") && !flag.equals("--redis") && !Exposure.FLAGS.contains(flag)
                    && !DemoLimits.FLAGS.contains(flag)) {
                return new Invalid("unknown argument: " + arg);
            }
            String value;
            if (eq > 0 && arg.startsWith("--")) {
                value = arg.substring(eq + 1);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                return new Invalid(flag + " needs a value");
            }
            if (DemoLimits.FLAGS.contains(flag)) {
                switch (limits.with(flag, value)) {
                    case DemoLimits changed -> limits = changed;
                    case Object problem -> {
                        return new Invalid(problem.toString());
                    }
                }
            } else if (Exposure.FLAGS.contains(flag)) {
                switch (exposure.with(flag, value)) {
                    case Exposure changed -> exposure = changed;
                    case Object problem -> {
                        return new Invalid(problem.toString());
                    }
                }
            } else if (flag.equals("--redis")) {
                java.net.URI uri = parseRedis(value);
                if (uri == null) {
                    return new Invalid("--redis takes redis://HOST:PORT, not '" + value + "'");
                }
                redis = java.util.Optional.of(uri);
            } else if (flag.equals("--host")) {
                if (value.isBlank()) {
                    return new Invalid("--host needs a value");
                }
                host = value;
            } else {
                Integer parsed = parsePort(value);
                if (parsed == null) {
                    return new Invalid("--port takes a number from 0 to " + MAX_PORT + ", not '" + value + "'");
                }
                port = parsed;
            }
        }
        return new Run(host, port, exposure, redis, limits);
    }

    private static java.net.URI parseRedis(String value) {
        try {
            java.net.URI uri = new java.net.URI(value);
            boolean ok = "redis".equals(uri.getScheme()) && uri.getHost() != null && uri.getPort() > 0
                    && (uri.getPath() == null || uri.getPath().isEmpty());
            return ok ? uri : null;
        } catch (java.net.URISyntaxException e) {
            return null;
        }
    }

    private static Integer parsePort(String value) {
        if (value.isEmpty() || value.length() > 5 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return null;
        }
        int port = Integer.parseInt(value);
        return port <= MAX_PORT ? port : null;
    }
}
