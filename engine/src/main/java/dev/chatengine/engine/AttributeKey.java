package dev.chatengine.engine;

import java.util.Objects;

/**
 * The typed name of one attribute of a {@link Client}: what the application's handshake hook learned
 * about the peer (a tenant, a user record, the scopes of a token) and the engine carries to
 * {@link Client#attribute(AttributeKey)}. Make each key once, as a constant, and use the same
 * instance to put and to get:
 *
 * <pre>{@code
 * static final AttributeKey<Account> ACCOUNT = AttributeKey.of("account", Account.class);
 * // in the handshake hook:      HandshakeDecision.accept(principal, Attributes.of(ACCOUNT, account))
 * // in a ClientHandler:         Account account = client.attribute(ACCOUNT).orElseThrow();
 * }</pre>
 *
 * <p>Keys compare by identity, not by name, so that two libraries that both name a key
 * {@code "user"} never read each other's value; the name is for logs and {@code toString}. The
 * type is checked when a value is put ({@link Attributes#with}). Immutable and thread-safe.
 *
 * @param <T> the type of the attribute's value
 */
public final class AttributeKey<T> {

    private final String name;
    private final Class<T> type;

    private AttributeKey(String name, Class<T> type) {
        this.name = Objects.requireNonNull(name, "name");
        this.type = Objects.requireNonNull(type, "type");
    }

    /** A new key, distinct from every other key, even one of the same name and type. */
    public static <T> AttributeKey<T> of(String name, Class<T> type) {
        return new AttributeKey<>(name, type);
    }

    /** The name given to {@link #of}, for logs. */
    public String name() {
        return name;
    }

    /** The type of the values this key holds. */
    public Class<T> type() {
        return type;
    }

    @Override
    public String toString() {
        return name + ":" + type.getSimpleName();
    }
}
