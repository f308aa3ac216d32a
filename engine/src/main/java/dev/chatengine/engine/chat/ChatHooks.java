package dev.chatengine.engine.chat;

import java.util.Objects;

/**
 * The application's hooks into the chat: immutable, made by {@link #builder()}; every hook defaults to
 * doing nothing special (anonymous names, every room allowed, every message accepted, no listener, no
 * stored history).
 *
 * <pre>{@code
 * ChatHooks hooks = ChatHooks.builder()
 *         .identity(IdentityPolicy.fromPrincipal(true))
 *         .roomPolicy((client, name, room, creating) -> !creating || isModerator(client))
 *         .filter(m -> m.text().contains("spam") ? Verdict.reject("spam", "no spam") : Verdict.accept())
 *         .listener(store::save)
 *         .history(store::lastMessages)
 *         .build();
 * ChatService chat = ChatService.builder(hub).hooks(hooks).build();
 * }</pre>
 */
public record ChatHooks(IdentityPolicy identity, RoomPolicy roomPolicy, MessageFilter filter, MessageListener listener,
                        HistorySource history) {

    public ChatHooks {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(roomPolicy, "roomPolicy");
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(history, "history");
    }

    public static ChatHooks defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link ChatHooks}; every setter is optional. Not thread-safe. */
    public static final class Builder {
        private IdentityPolicy identity = IdentityPolicy.anonymous();
        private RoomPolicy roomPolicy = RoomPolicy.ALLOW_ALL;
        private MessageFilter filter = MessageFilter.ACCEPT_ALL;
        private MessageListener listener = MessageListener.NONE;
        private HistorySource history = HistorySource.NONE;

        private Builder() {
        }

        public Builder identity(IdentityPolicy policy) {
            this.identity = policy;
            return this;
        }

        public Builder roomPolicy(RoomPolicy policy) {
            this.roomPolicy = policy;
            return this;
        }

        public Builder filter(MessageFilter filter) {
            this.filter = filter;
            return this;
        }

        public Builder listener(MessageListener listener) {
            this.listener = listener;
            return this;
        }

        public Builder history(HistorySource source) {
            this.history = source;
            return this;
        }

        public ChatHooks build() {
            return new ChatHooks(identity, roomPolicy, filter, listener, history);
        }
    }
}
