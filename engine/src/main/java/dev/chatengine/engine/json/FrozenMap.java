package dev.chatengine.engine.json;

import java.util.AbstractMap;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Set;

/**
 * A read-only view of a map that nobody else holds: what {@link JsonValue.JsonObject} keeps. Only
 * this package makes one (the reader, over the map it has just filled), which is what lets
 * {@code JsonObject} take it without copying. Immutable, so thread-safe once published.
 */
final class FrozenMap extends AbstractMap<String, JsonValue> {

    private final LinkedHashMap<String, JsonValue> map;

    /** Takes {@code map}, which the caller must never touch again. */
    FrozenMap(LinkedHashMap<String, JsonValue> map) {
        this.map = map;
    }

    @Override
    public JsonValue get(Object key) {
        return map.get(key);
    }

    @Override
    public boolean containsKey(Object key) {
        return map.containsKey(key);
    }

    @Override
    public int size() {
        return map.size();
    }

    @Override
    public Set<Entry<String, JsonValue>> entrySet() {
        return Collections.unmodifiableMap(map).entrySet();
    }

    @Override
    public Set<String> keySet() {
        return Collections.unmodifiableSet(map.keySet());
    }

    @Override
    public void forEach(java.util.function.BiConsumer<? super String, ? super JsonValue> action) {
        map.forEach(action);
    }
}
