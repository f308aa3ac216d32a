package dev.chatengine.engine.chat;

/**
 * Where a user's chat name comes from.
 *
 * <ul>
 *   <li>{@link #anonymous()} (the default): the {@code login} request names itself; anyone may pick any
 *       free name.</li>
 *   <li>{@link #fromPrincipal(boolean)}: the name is the handshake's authenticated principal
 *       ({@code client.principal()}, see the transport's handshake hook). A {@code login} without a name
 *       takes it; one with another name (compared as names are) gets {@code forbidden}; a connection
 *       without a principal gets {@code forbidden}. With {@code newestTakesOver}, a second connection of
 *       the same identity takes the name over at once, closing the older one with 4000 "replaced"; else
 *       it gets {@code name_taken}.</li>
 * </ul>
 */
public sealed interface IdentityPolicy {

    static IdentityPolicy anonymous() {
        return Anonymous.INSTANCE;
    }

    static IdentityPolicy fromPrincipal(boolean newestTakesOver) {
        return new FromPrincipal(newestTakesOver);
    }

    enum Anonymous implements IdentityPolicy { INSTANCE }

    record FromPrincipal(boolean newestTakesOver) implements IdentityPolicy {
    }
}
