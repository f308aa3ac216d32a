package dev.chatengine.transport.jdk.protocol;

import dev.chatengine.transport.jdk.server.DeflateConfig;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every outcome of the server's permessage-deflate negotiation (RFC 7692 sections 5 and 7.1). */
class DeflateNegotiationTest {
    private static final String DEFAULT_ANSWER = "permessage-deflate; server_no_context_takeover; client_no_context_takeover";

    private static DeflateNegotiation.Outcome negotiate(DeflateConfig config, String... headerLines) {
        return DeflateNegotiation.negotiate(List.of(headerLines), config.serverContextTakeover(), config.clientContextTakeover());
    }

    private static DeflateNegotiation.Accepted accepted(String... headerLines) {
        return accepted(DeflateConfig.defaults(), headerLines);
    }

    private static DeflateNegotiation.Accepted accepted(DeflateConfig config, String... headerLines) {
        DeflateNegotiation.Outcome outcome = negotiate(config, headerLines);
        assertThat(outcome).isInstanceOf(DeflateNegotiation.Accepted.class);
        return (DeflateNegotiation.Accepted) outcome;
    }

    private static String declined(String... headerLines) {
        DeflateNegotiation.Outcome outcome = negotiate(DeflateConfig.defaults(), headerLines);
        assertThat(outcome).isInstanceOf(DeflateNegotiation.Declined.class);
        return ((DeflateNegotiation.Declined) outcome).reason();
    }

    // ---- accepted offers

    @ParameterizedTest(name = "offer ''{0}'' gets the default answer")
    @ValueSource(strings = {
            "permessage-deflate; client_max_window_bits",              // Chromium and python websockets
            "permessage-deflate",
            "permessage-deflate; server_no_context_takeover; client_no_context_takeover",
            "permessage-deflate; client_max_window_bits=10",           // the client's own window: not answered
            "permessage-deflate;client_max_window_bits=\"12\"",        // a quoted token, no spaces
            "Permessage-Deflate; client_no_context_takeover",          // names compared case-insensitively
            "x-webkit-deflate-frame, permessage-deflate",              // an unknown extension is skipped
            " , ,permessage-deflate ,",                                 // empty list elements are skipped
            "permessage-deflate\t;\tclient_max_window_bits"})
    void defaultAnswerResetsBothSides(String offer) {
        DeflateNegotiation.Accepted accepted = accepted(offer);
        assertThat(accepted.responseHeader()).isEqualTo(DEFAULT_ANSWER);
        assertThat(accepted.parameters()).isEqualTo(DeflateParameters.noContextTakeover());
    }

    @ParameterizedTest(name = "server_max_window_bits={0} is echoed and limits the server")
    @ValueSource(ints = {8, 9, 10, 12, 14, 15})
    void serverWindowIsEchoed(int bits) {
        DeflateNegotiation.Accepted accepted = accepted("permessage-deflate; server_max_window_bits=" + bits);
        assertThat(accepted.responseHeader()).isEqualTo(DEFAULT_ANSWER + "; server_max_window_bits=" + bits);
        assertThat(accepted.parameters()).isEqualTo(new DeflateParameters(true, true, bits, 15));
    }

    @Test
    void quotedServerWindowIsAccepted() {
        assertThat(accepted("permessage-deflate; server_max_window_bits=\"10\"").parameters().serverMaxWindowBits())
                .isEqualTo(10);
    }

    // ---- several offers: the first acceptable one wins

    @Test
    void firstAcceptableOfferWins() {
        DeflateNegotiation.Accepted accepted = accepted(
                "permessage-deflate; server_max_window_bits=10, permessage-deflate; client_max_window_bits");
        assertThat(accepted.parameters().serverMaxWindowBits()).isEqualTo(10);
    }

    @Test
    void aDeclinedOfferFallsBackToTheNext() {
        DeflateNegotiation.Accepted accepted = accepted(
                "permessage-deflate; server_max_window_bits=7, permessage-deflate; client_max_window_bits");
        assertThat(accepted.responseHeader()).isEqualTo(DEFAULT_ANSWER);
    }

    @Test
    void offersOnSeveralHeaderLinesFormOneList() {
        DeflateNegotiation.Accepted accepted = accepted("permessage-deflate; mystery", "permessage-deflate; server_max_window_bits=9");
        assertThat(accepted.parameters().serverMaxWindowBits()).isEqualTo(9);
    }

    // ---- declined: bad parameters (RFC 7692 section 5: the server MUST decline the offer)

    @ParameterizedTest(name = "offer ''{0}'' is declined")
    @ValueSource(strings = {
            "permessage-deflate; server_max_window_bits",         // needs a value
            "permessage-deflate; server_max_window_bits=7",       // below 8
            "permessage-deflate; server_max_window_bits=16",      // above 15
            "permessage-deflate; server_max_window_bits=08",      // a leading zero
            "permessage-deflate; server_max_window_bits=1a",
            "permessage-deflate; client_max_window_bits=16",
            "permessage-deflate; client_max_window_bits=0",
            "permessage-deflate; server_no_context_takeover=1",   // takes no value
            "permessage-deflate; client_no_context_takeover=true",
            "permessage-deflate; server_no_context_takeover; server_no_context_takeover", // twice
            "permessage-deflate; client_max_window_bits; client_max_window_bits=10",
            "permessage-deflate; mystery_parameter"})
    void badParametersDeclineTheOffer(String offer) {
        assertThat(declined(offer)).startsWith("offer declined: ");
    }

    @Test
    void noPermessageDeflateOfferDeclines() {
        assertThat(declined("x-webkit-deflate-frame")).isEqualTo("permessage-deflate not offered");
    }

    @Test
    void noHeaderDeclines() {
        assertThat(DeflateNegotiation.negotiate(null, false, false))
                .isEqualTo(new DeflateNegotiation.Declined("no extension offered"));
        assertThat(DeflateNegotiation.negotiate(List.of(), false, false))
                .isInstanceOf(DeflateNegotiation.Declined.class);
    }

    // ---- declined: a malformed header means no extension at all (our documented choice, not a 400)

    @ParameterizedTest(name = "malformed header ''{0}''")
    @ValueSource(strings = {
            "permessage-deflate;",                                  // a parameter name expected
            "permessage-deflate;; client_max_window_bits",
            "permessage-deflate; server_max_window_bits=",          // a value expected
            "permessage-deflate; server_max_window_bits=\"10",      // unterminated quote
            "permessage-deflate; server_max_window_bits=\"1 0\"",   // quoted value not a token
            "permessage-deflate; server_max_window_bits=\"\"",
            "permessage-deflate client_max_window_bits",            // ',' or ';' expected
            "=permessage-deflate",
            "permessage-deflate, ; x",
            "permessage-deflate; a=b=c"})
    void malformedHeaderDeclinesAltogether(String header) {
        assertThat(declined(header)).startsWith("malformed Sec-WebSocket-Extensions: ");
    }

    @Test
    void aMalformedLineSpoilsAWellFormedOne() {
        assertThat(declined("permessage-deflate", "permessage-deflate;")).startsWith("malformed");
    }

    // ---- context takeover where the configuration allows it

    @Test
    void serverContextTakeoverWhenAllowedAndNotRefused() {
        DeflateConfig config = DeflateConfig.builder().serverContextTakeover(true).build();
        DeflateNegotiation.Accepted accepted = accepted(config, "permessage-deflate; client_max_window_bits");
        assertThat(accepted.responseHeader()).isEqualTo("permessage-deflate; client_no_context_takeover");
        assertThat(accepted.parameters()).isEqualTo(new DeflateParameters(false, true, 15, 15));
    }

    @Test
    void clientThatRefusesServerContextTakeoverGetsItsWay() {
        DeflateConfig config = DeflateConfig.builder().serverContextTakeover(true).build();
        assertThat(accepted(config, "permessage-deflate; server_no_context_takeover").responseHeader())
                .isEqualTo(DEFAULT_ANSWER);
    }

    @Test
    void aSmallServerWindowForcesNoServerContextTakeover() {
        DeflateConfig config = DeflateConfig.builder().serverContextTakeover(true).build();
        DeflateNegotiation.Accepted accepted = accepted(config, "permessage-deflate; server_max_window_bits=12");
        assertThat(accepted.responseHeader()).isEqualTo(DEFAULT_ANSWER + "; server_max_window_bits=12");
        assertThat(accepted.parameters().serverNoContextTakeover()).isTrue();
    }

    @Test
    void clientContextTakeoverWhenAllowedAndNotRefused() {
        DeflateConfig config = DeflateConfig.builder().clientContextTakeover(true).build();
        DeflateNegotiation.Accepted accepted = accepted(config, "permessage-deflate");
        assertThat(accepted.responseHeader()).isEqualTo("permessage-deflate; server_no_context_takeover");
        assertThat(accepted.parameters()).isEqualTo(new DeflateParameters(true, false, 15, 15));
        assertThat(accepted(config, "permessage-deflate; client_no_context_takeover").responseHeader())
                .isEqualTo(DEFAULT_ANSWER);
    }

    @Test
    void bothContextTakeoversAllowed() {
        DeflateConfig config = DeflateConfig.builder().serverContextTakeover(true).clientContextTakeover(true).build();
        assertThat(accepted(config, "permessage-deflate").responseHeader()).isEqualTo("permessage-deflate");
    }
}
