package dev.chatengine.bench.soak;

/**
 * The little of chat protocol v1 (PROTOCOL.md) the soak writes and reads, as text. The soak's own
 * values (names, rooms, texts, refs) are ASCII without quotes or backslashes, so no escaping is needed
 * on the way out, and a string field is read up to the next quote. Stateless.
 */
final class ChatJson {

    private ChatJson() {
    }

    static String login(String name, String ref) {
        return "{\"type\":\"login\",\"name\":\"" + name + "\",\"ref\":\"" + ref + "\"}";
    }

    static String join(String room, String ref) {
        return "{\"type\":\"join\",\"room\":\"" + room + "\",\"ref\":\"" + ref + "\"}";
    }

    static String say(String room, String text) {
        return "{\"type\":\"say\",\"room\":\"" + room + "\",\"text\":\"" + text + "\"}";
    }

    static String whisper(String to, String text) {
        return "{\"type\":\"whisper\",\"to\":\"" + to + "\",\"text\":\"" + text + "\"}";
    }

    static String rooms() {
        return "{\"type\":\"rooms\"}";
    }

    /**
     * The first string field {@code name} of {@code json}, up to the next quote, or null. The server
     * writes {@code type} first, so {@code field(json, "type")} is the top-level type even when nested
     * history follows.
     */
    static String field(String json, String name) {
        String key = "\"" + name + "\":\"";
        int at = json.indexOf(key);
        if (at < 0) {
            return null;
        }
        int from = at + key.length();
        int to = json.indexOf('"', from);
        return to < 0 ? null : json.substring(from, to);
    }

    /** The whole {@code message} of an error reply (it may hold escaped quotes), or "". */
    static String errorMessage(String json) {
        String key = "\"message\":\"";
        int at = json.indexOf(key);
        if (at < 0) {
            return "";
        }
        int from = at + key.length();
        int to = from;
        while (to < json.length() && !(json.charAt(to) == '"' && json.charAt(to - 1) != '\\')) {
            to++;
        }
        return json.substring(from, to).replace("\\\"", "\"");
    }

    /** The {@code retryAfterMs} of a {@code rate_limited} error, or {@code orElse}. */
    static long retryAfterMillis(String json, long orElse) {
        String key = "\"retryAfterMs\":";
        int at = json.indexOf(key);
        if (at < 0) {
            return orElse;
        }
        int from = at + key.length();
        int to = from;
        while (to < json.length() && Character.isDigit(json.charAt(to))) {
            to++;
        }
        return to > from ? Long.parseLong(json.substring(from, to)) : orElse;
    }
}
