package dev.chatengine.transport.jdk.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The syntax of {@code Sec-WebSocket-Extensions} (RFC 6455 section 9.1): a comma-separated list of
 * extensions, each a token with {@code ;}-separated parameters, each a token with an optional value
 * that is a token or a quoted string whose unescaped content is a token. Only syntax: what the
 * parameters mean is {@link DeflateNegotiation}'s business.
 *
 * <pre>
 * extension-list = 1#extension
 * extension      = extension-token *( ";" extension-param )
 * extension-param = token [ "=" (token | quoted-string) ]
 * </pre>
 *
 * <p>Stateless and thread-safe.
 */
final class ExtensionHeader {
    private ExtensionHeader() {}

    /** One offered (or answered) extension: its name and its parameters, in order. */
    record Extension(String name, List<Parameter> parameters) {
        Extension {
            parameters = List.copyOf(parameters);
        }
    }

    /** One parameter; {@code value} is empty for a parameter without {@code =}. */
    record Parameter(String name, Optional<String> value) {}

    /** The header was not well-formed; the message says where. */
    static final class MalformedException extends Exception {
        MalformedException(String message) {
            super(message);
        }
    }

    /**
     * Parses the header's values, in order (several header lines form one list, RFC 7230 section
     * 3.2.2). Empty list elements are skipped, as RFC 7230 section 7 asks of recipients.
     *
     * @throws MalformedException when a value breaks the grammar
     */
    static List<Extension> parse(List<String> values) throws MalformedException {
        List<Extension> extensions = new ArrayList<>();
        for (String value : values) {
            new Parser(value).list(extensions);
        }
        return extensions;
    }

    private static final class Parser {
        private final String s;
        private int p;

        Parser(String s) {
            this.s = s;
        }

        void list(List<Extension> into) throws MalformedException {
            while (true) {
                skipWhitespace();
                if (p == s.length()) {
                    return;
                }
                if (s.charAt(p) == ',') {
                    p++;
                    continue;
                }
                String name = token("extension name");
                List<Parameter> parameters = new ArrayList<>();
                skipWhitespace();
                while (p < s.length() && s.charAt(p) == ';') {
                    p++;
                    skipWhitespace();
                    String parameter = token("parameter name");
                    skipWhitespace();
                    Optional<String> value = Optional.empty();
                    if (p < s.length() && s.charAt(p) == '=') {
                        p++;
                        skipWhitespace();
                        value = Optional.of(p < s.length() && s.charAt(p) == '"' ? quotedToken() : token("parameter value"));
                        skipWhitespace();
                    }
                    parameters.add(new Parameter(parameter, value));
                }
                into.add(new Extension(name, parameters));
                if (p < s.length() && s.charAt(p) != ',') {
                    throw malformed("',' or ';' expected");
                }
            }
        }

        private String token(String what) throws MalformedException {
            int start = p;
            while (p < s.length() && isTokenChar(s.charAt(p))) {
                p++;
            }
            if (p == start) {
                throw malformed(what + " expected");
            }
            return s.substring(start, p);
        }

        /** A quoted string whose content, unescaped, must be a token (RFC 6455 section 9.1). */
        private String quotedToken() throws MalformedException {
            p++; // the opening quote
            StringBuilder content = new StringBuilder();
            while (true) {
                if (p == s.length()) {
                    throw malformed("unterminated quoted string");
                }
                char c = s.charAt(p++);
                if (c == '"') {
                    break;
                }
                if (c == '\\') {
                    if (p == s.length()) {
                        throw malformed("unterminated quoted string");
                    }
                    c = s.charAt(p++);
                }
                content.append(c);
            }
            if (content.isEmpty() || !content.chars().allMatch(c -> isTokenChar((char) c))) {
                throw malformed("quoted value must be a token");
            }
            return content.toString();
        }

        private void skipWhitespace() {
            while (p < s.length() && (s.charAt(p) == ' ' || s.charAt(p) == '\t')) {
                p++;
            }
        }

        private MalformedException malformed(String what) {
            return new MalformedException(what + " at index " + p + " of '" + s + "'");
        }
    }

    /** tchar of RFC 7230 section 3.2.6. */
    static boolean isTokenChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }
}
