package dev.chatengine.engine.chat.spi;

import java.util.Objects;

/**
 * A logged-in client as the broker sees it, for presence and name claims.
 *
 * @param key      the name's comparison key (case-folded; equal keys are the same name)
 * @param name     the name as the user logged in
 * @param clientId the client's {@link dev.chatengine.engine.Client#id()}, unique on its node; a cluster
 *                 broker adds its node's identity so that a release by an old owner cannot free a new one
 */
public record Member(String key, String name, long clientId) {

    public Member {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(name, "name");
    }
}
