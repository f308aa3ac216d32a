/**
 * The project's own strict JSON (RFC 8259), with no dependency: {@link dev.chatengine.engine.json.JsonReader}
 * parses UTF-8 bytes into {@link dev.chatengine.engine.json.JsonValue}s under limits on depth and size,
 * and {@link dev.chatengine.engine.json.JsonWriter} writes JSON straight to UTF-8 bytes. Every malformed
 * input ends in a {@link dev.chatengine.engine.json.JsonException} that names the byte where it went wrong.
 */
package dev.chatengine.engine.json;
