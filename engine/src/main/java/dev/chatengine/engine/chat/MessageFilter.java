package dev.chatengine.engine.chat;

import dev.chatengine.engine.Client;

import java.util.Objects;

/**
 * Looks at every {@code say} and {@code whisper} before it is accepted: lets it through, replaces its
 * text, or refuses it with an error code of the application's choice (the sender gets
 * {@code {"type":"error","code":"<code>",...}} and nobody else sees anything). Called on the sender's
 * read pump, so a slow filter slows only that sender; must be thread-safe. Not called for
 * {@link ChatService#announce}.
 *
 * <pre>{@code
 * MessageFilter noShouting = m -> m.text().equals(m.text().toUpperCase(Locale.ROOT)) && m.text().length() > 8
 *         ? MessageFilter.Verdict.reject("shouting", "please don't shout")
 *         : MessageFilter.Verdict.accept();
 * }</pre>
 */
@FunctionalInterface
public interface MessageFilter {

    /** Lets everything through (the default). */
    MessageFilter ACCEPT_ALL = message -> Verdict.accept();

    Verdict check(Outgoing message);

    /**
     * A message about to be accepted.
     *
     * @param sender the sender's connection
     * @param from   the sender's chat name
     * @param room   the room of a {@code say}, or null for a whisper
     * @param to     the recipient of a {@code whisper} as it logged in, or null for a say
     */
    record Outgoing(Client sender, String from, String room, String to, String text) {
    }

    /** What the filter decided. */
    sealed interface Verdict {

        static Verdict accept() {
            return Accept.INSTANCE;
        }

        /** The message goes on with {@code text} instead (1 to the configured length; longer is cut). */
        static Verdict replace(String text) {
            return new Replace(text);
        }

        /**
         * Refused: the sender gets an error with {@code code} (1 to 32 of a-z, 0-9 and _, for example
         * {@code "profanity"}) and {@code message}.
         */
        static Verdict reject(String code, String message) {
            return new Reject(code, message);
        }

        enum Accept implements Verdict { INSTANCE }

        record Replace(String text) implements Verdict {
            public Replace {
                if (Objects.requireNonNull(text, "text").isEmpty()) {
                    throw new IllegalArgumentException("a replacement text must not be empty");
                }
            }
        }

        record Reject(String code, String message) implements Verdict {
            public Reject {
                Objects.requireNonNull(message, "message");
                if (!Objects.requireNonNull(code, "code").matches("[a-z0-9_]{1,32}")) {
                    throw new IllegalArgumentException("an error code is 1 to 32 of a-z, 0-9 and _: " + code);
                }
            }
        }
    }
}
