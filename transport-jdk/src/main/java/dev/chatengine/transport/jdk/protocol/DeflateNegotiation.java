package dev.chatengine.transport.jdk.protocol;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The server's side of negotiating permessage-deflate (RFC 7692 section 5 and 7.1): reads the
 * client's {@code Sec-WebSocket-Extensions} offers and answers the first acceptable one, or none.
 * Pure and thread-safe (stateless).
 *
 * <pre>{@code
 * switch (DeflateNegotiation.negotiate(headers.get("Sec-WebSocket-Extensions"), false, false)) {
 *     case DeflateNegotiation.Accepted a -> response.add("Sec-WebSocket-Extensions", a.responseHeader());
 *     case DeflateNegotiation.Declined d -> { }   // no extension: RSV1 stays forbidden
 * }
 * }</pre>
 *
 * <p>Rules:
 * <ul>
 *   <li>Offers are tried in the client's order (its preference); other extensions are ignored.</li>
 *   <li>An offer with an unknown parameter, a parameter twice, a value where none belongs, or a
 *       window size other than 8-15 in plain decimal is declined (RFC 7692 section 5: "MUST
 *       decline"), and the next offer is tried.</li>
 *   <li>A header that breaks the grammar of RFC 6455 section 9.1 declines the extension altogether:
 *       the handshake still succeeds, without extensions (our choice where RFC 6455 is silent: a
 *       client that cannot write the header gets plain WebSocket rather than a 400).</li>
 *   <li>The answer always carries {@code server_no_context_takeover} unless
 *       {@code allowServerContextTakeover} is set and the client did not ask for it
 *       (RFC 7692 section 7.1.1.1 lets the server add it unasked), and
 *       {@code client_no_context_takeover} unless {@code allowClientContextTakeover} is
 *       set and the client did not ask for it (section 7.1.1.2).</li>
 *   <li>{@code server_max_window_bits=N}: the JDK's {@code Deflater} always uses a 2^15-byte window,
 *       so the server accepts by echoing N, resets its compressor for every message (forcing
 *       {@code server_no_context_takeover}) and compresses only messages of at most 2^N bytes,
 *       whose back-references cannot reach farther than 2^N; longer ones go uncompressed, which
 *       RFC 7692 section 6 allows for any message.</li>
 *   <li>{@code client_max_window_bits} (with or without a value) is accepted and not answered: our
 *       inflater's 2^15-byte window inflates any smaller one (section 7.1.2.2 lets the server
 *       leave it out).</li>
 * </ul>
 */
public final class DeflateNegotiation {
    /** The extension's name. */
    public static final String EXTENSION = "permessage-deflate";

    private static final String SERVER_NO_CONTEXT_TAKEOVER = "server_no_context_takeover";
    private static final String CLIENT_NO_CONTEXT_TAKEOVER = "client_no_context_takeover";
    private static final String SERVER_MAX_WINDOW_BITS = "server_max_window_bits";
    private static final String CLIENT_MAX_WINDOW_BITS = "client_max_window_bits";

    private DeflateNegotiation() {}

    /** What to answer. */
    public sealed interface Outcome {}

    /**
     * Use the extension with {@code parameters}; send {@code responseHeader} as the value of
     * {@code Sec-WebSocket-Extensions} in the 101 response.
     */
    public record Accepted(DeflateParameters parameters, String responseHeader) implements Outcome {}

    /** No extension; {@code reason} says why, for logs and tests. */
    public record Declined(String reason) implements Outcome {}

    /**
     * Answers the client's offers.
     *
     * @param headerValues the request's {@code Sec-WebSocket-Extensions} values (one per header
     *     line), or null when it had none
     */
    public static Outcome negotiate(List<String> headerValues, boolean allowServerContextTakeover,
                                    boolean allowClientContextTakeover) {
        if (headerValues == null || headerValues.isEmpty()) {
            return new Declined("no extension offered");
        }
        List<ExtensionHeader.Extension> offers;
        try {
            offers = ExtensionHeader.parse(headerValues);
        } catch (ExtensionHeader.MalformedException e) {
            return new Declined("malformed Sec-WebSocket-Extensions: " + e.getMessage());
        }
        String lastRefusal = "permessage-deflate not offered";
        for (ExtensionHeader.Extension offer : offers) {
            if (!offer.name().equalsIgnoreCase(EXTENSION)) {
                continue;
            }
            Outcome outcome = answer(offer, allowServerContextTakeover, allowClientContextTakeover);
            if (outcome instanceof Accepted) {
                return outcome;
            }
            lastRefusal = ((Declined) outcome).reason();
        }
        return new Declined(lastRefusal);
    }

    /** Accepts or declines one permessage-deflate offer. */
    private static Outcome answer(ExtensionHeader.Extension offer, boolean allowServerContextTakeover,
                                  boolean allowClientContextTakeover) {
        boolean serverNoContextTakeover = false;
        boolean clientNoContextTakeover = false;
        int serverMaxWindowBits = -1; // not offered
        Set<String> seen = new HashSet<>();
        for (ExtensionHeader.Parameter parameter : offer.parameters()) {
            String name = parameter.name().toLowerCase(Locale.ROOT);
            if (!seen.add(name)) {
                return decline("parameter " + name + " offered twice");
            }
            Optional<String> value = parameter.value();
            switch (name) {
                case SERVER_NO_CONTEXT_TAKEOVER, CLIENT_NO_CONTEXT_TAKEOVER -> {
                    if (value.isPresent()) {
                        return decline(name + " takes no value");
                    }
                    if (name.equals(SERVER_NO_CONTEXT_TAKEOVER)) {
                        serverNoContextTakeover = true;
                    } else {
                        clientNoContextTakeover = true;
                    }
                }
                case SERVER_MAX_WINDOW_BITS -> {
                    serverMaxWindowBits = value.map(DeflateNegotiation::windowBits).orElse(0);
                    if (serverMaxWindowBits == 0) {
                        return decline(name + " needs a value of 8 to 15: " + value.orElse("none"));
                    }
                }
                case CLIENT_MAX_WINDOW_BITS -> {
                    if (value.isPresent() && windowBits(value.get()) == 0) {
                        return decline(name + " must be 8 to 15: " + value.get());
                    }
                }
                default -> {
                    return decline("unknown parameter " + parameter.name());
                }
            }
        }
        boolean windowLimited = serverMaxWindowBits > 0 && serverMaxWindowBits < DeflateParameters.MAX_WINDOW_BITS;
        boolean serverReset = serverNoContextTakeover || !allowServerContextTakeover || windowLimited;
        boolean clientReset = clientNoContextTakeover || !allowClientContextTakeover;
        // The client's window size matters only to its compressor: our 2^15 inflater takes any.
        DeflateParameters agreed = new DeflateParameters(serverReset, clientReset,
                serverMaxWindowBits > 0 ? serverMaxWindowBits : DeflateParameters.MAX_WINDOW_BITS,
                DeflateParameters.MAX_WINDOW_BITS);
        StringBuilder response = new StringBuilder(EXTENSION);
        if (serverReset) {
            response.append("; ").append(SERVER_NO_CONTEXT_TAKEOVER);
        }
        if (clientReset) {
            response.append("; ").append(CLIENT_NO_CONTEXT_TAKEOVER);
        }
        if (serverMaxWindowBits > 0) { // RFC 7692 section 7.1.2.1: accepting means answering it
            response.append("; ").append(SERVER_MAX_WINDOW_BITS).append('=').append(serverMaxWindowBits);
        }
        return new Accepted(agreed, response.toString());
    }

    /** 8 to 15 for a valid value (decimal, no leading zero, RFC 7692 section 7.1.2.1), else 0. */
    private static int windowBits(String value) {
        return switch (value) {
            case "8", "9", "10", "11", "12", "13", "14", "15" -> Integer.parseInt(value);
            default -> 0;
        };
    }

    private static Declined decline(String why) {
        return new Declined("offer declined: " + why);
    }
}
