package dev.chatengine.engine.chat;

import java.text.Normalizer;
import java.util.Locale;

/**
 * The rules for user and room names. Stateless and thread-safe.
 *
 * <p>A user name is 1 to {@code maxNameChars} code points after normalization to NFC (so that {@code e}
 * followed by a combining accent counts as the one letter {@code é} a keyboard gives): the first a Unicode
 * letter ({@code \p{L}}), the rest letters, combining marks ({@code \p{M}}: the vowel signs of अनिल),
 * decimal digits ({@code \p{Nd}}), {@code _} or {@code -}. Nothing else, so no format characters (a
 * zero-width joiner is {@code \p{Cf}}) and no spaces. The page applies the same rule
 * ({@code /^\p{L}[\p{L}\p{M}\p{Nd}_-]{0,31}$/u}). Uniqueness compares {@link #key keys}:
 * the NFKC form, case-folded, so {@code Alice}, {@code ALICE} and fullwidth {@code ａｌｉｃｅ} are one name.
 *
 * <p>A room name is 1 to {@value #MAX_ROOM_CHARS} of {@code a-z 0-9 _ -}; nothing is normalized.
 */
final class Names {

    static final int MAX_ROOM_CHARS = 64;

    private Names() {
    }

    /** The name to use for {@code raw} (its NFC form), or null when it breaks the rules. */
    static String validUserName(String raw, int maxChars) {
        if (raw.isEmpty() || raw.length() > maxChars * 4) { // cheap bound before normalizing a huge string
            return null;
        }
        String name = Normalizer.normalize(raw, Normalizer.Form.NFC);
        int count = 0;
        for (int i = 0; i < name.length(); ) {
            int cp = name.codePointAt(i);
            boolean ok = count == 0 ? Character.isLetter(cp) : Character.isLetter(cp) || isMark(cp)
                    || Character.getType(cp) == Character.DECIMAL_DIGIT_NUMBER || cp == '_' || cp == '-';
            if (!ok) {
                return null;
            }
            count++;
            i += Character.charCount(cp);
        }
        return count <= maxChars ? name : null;
    }

    private static boolean isMark(int cp) {
        int type = Character.getType(cp);
        return type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK
                || type == Character.ENCLOSING_MARK;
    }

    /** The key that makes names equal regardless of case and compatibility forms. */
    static String key(String name) {
        // Upper then lower maps the pairs that lower-casing alone misses (for example ß and SS, ς and σ).
        return Normalizer.normalize(name, Normalizer.Form.NFKC).toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
    }

    static boolean isValidRoom(String room) {
        int n = room.length();
        if (n == 0 || n > MAX_ROOM_CHARS) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = room.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /** Code points in {@code text}, counting no further than {@code limit + 1}. */
    static int codePointsUpTo(String text, int limit) {
        if (text.length() <= limit) {
            return text.codePointCount(0, text.length()); // at most length, so within the limit
        }
        int count = 0;
        for (int i = 0; i < text.length() && count <= limit; count++) {
            i += Character.charCount(text.codePointAt(i));
        }
        return count;
    }
}
