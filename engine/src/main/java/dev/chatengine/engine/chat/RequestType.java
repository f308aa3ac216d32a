package dev.chatengine.engine.chat;

import java.util.HashMap;
import java.util.Map;

/** The {@code type}s of protocol v1 requests. */
enum RequestType {
    LOGIN("login"),
    JOIN("join"),
    LEAVE("leave"),
    SAY("say"),
    WHISPER("whisper"),
    WHO("who"),
    ROOMS("rooms"),
    TYPING("typing"),
    ONLINE("online");

    private static final Map<String, RequestType> BY_WIRE = new HashMap<>();

    static {
        for (RequestType t : values()) {
            BY_WIRE.put(t.wire, t);
        }
    }

    private final String wire;

    RequestType(String wire) {
        this.wire = wire;
    }

    String wire() {
        return wire;
    }

    /** The type named {@code wire}, or null. */
    static RequestType of(String wire) {
        return BY_WIRE.get(wire);
    }
}
