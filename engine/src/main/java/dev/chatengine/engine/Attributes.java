package dev.chatengine.engine;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An immutable set of typed attributes of a connection, each under its {@link AttributeKey}: made
 * by the application at the handshake (the WebSocket transport's {@code HandshakeDecision.accept}),
 * carried by the transport's {@code Connection}, read through {@link Client#attribute(AttributeKey)}.
 * They describe who the peer is and are fixed for the connection's life; per-client state that
 * changes belongs in {@link Client#attach(Object)}.
 *
 * <pre>{@code
 * Attributes attributes = Attributes.of(TENANT, "acme").with(SCOPES, Set.of("read", "write"));
 * }</pre>
 *
 * Thread-safe (immutable). Values are not copied: give immutable ones.
 */
public final class Attributes {

    private static final Attributes EMPTY = new Attributes(Map.of());

    /** Keys compare by identity (AttributeKey keeps Object's equals), so a HashMap is an identity map here. */
    private final Map<AttributeKey<?>, Object> values;

    private Attributes(Map<AttributeKey<?>, Object> values) {
        this.values = values;
    }

    /** No attributes: what a connection carries when the application set none. */
    public static Attributes empty() {
        return EMPTY;
    }

    /** One attribute. */
    public static <T> Attributes of(AttributeKey<T> key, T value) {
        return EMPTY.with(key, value);
    }

    /**
     * These attributes plus {@code key} set to {@code value} (replacing an earlier value of the same
     * key); this object is unchanged.
     *
     * @throws ClassCastException when {@code value} is not of the key's type
     */
    public <T> Attributes with(AttributeKey<T> key, T value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        Map<AttributeKey<?>, Object> copy = new HashMap<>(values);
        copy.put(key, key.type().cast(value));
        return new Attributes(Map.copyOf(copy));
    }

    /** The value of {@code key}, if set. */
    public <T> Optional<T> get(AttributeKey<T> key) {
        Objects.requireNonNull(key, "key");
        return Optional.ofNullable(values.get(key)).map(key.type()::cast);
    }

    /** The keys that have a value. */
    public Set<AttributeKey<?>> keys() {
        return values.keySet();
    }

    /** True when no attribute is set. */
    public boolean isEmpty() {
        return values.isEmpty();
    }

    @Override
    public String toString() {
        return "Attributes" + values;
    }
}
