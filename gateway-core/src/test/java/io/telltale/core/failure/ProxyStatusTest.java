package io.telltale.core.failure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProxyStatusTest {

    @Test
    void connectionTimeoutMatchesRfc9209ExampleWhenWritten() {
        Failure failure = Failure.of(FailureCode.ORIGIN_CONNECT_TIMEOUT, "", Evidence.empty());

        assertThat(ProxyStatus.forFailure("SomeCDN", failure, null, null)).isEqualTo("SomeCDN; error=connection_timeout");
    }

    @Test
    void receivedStatusMatchesRfc9209ExampleWhenWritten() {
        assertThat(ProxyStatus.forReceivedStatus("ExampleProxy", 200, null)).isEqualTo("ExampleProxy; received-status=200");
    }

    @Test
    void detailsMatchRfc9209ExampleWhenWritten() {
        Failure failure = Failure.of(FailureCode.ORIGIN_INVALID_RESPONSE, "", Evidence.empty());

        assertThat(ProxyStatus.forFailure("ExampleProxy", failure, null, "Malformed response header - space before colon"))
                .isEqualTo("ExampleProxy; error=http_protocol_error; details=\"Malformed response header - space before colon\"");
    }

    @Test
    void dnsErrorWritesStringsIntegersAndNextHopWhenTyped() {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("rcode", "NXDOMAIN");
        params.put("info-code", 22);
        Failure failure = new Failure(FailureCode.NON_S3_ORIGIN_DNS_ERROR, null, params, "no such name", Evidence.empty(), null);

        assertThat(ProxyStatus.forFailure("telltale", failure, "origin.example:443", "no such name"))
                .isEqualTo("telltale; error=dns_error; rcode=\"NXDOMAIN\"; info-code=22; next-hop=\"origin.example:443\"; details=\"no such name\"");
    }

    @Test
    void alertMessageIsATokenAndBooleansUseSfSyntaxWhenTyped() {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("alert-id", 40);
        params.put("alert-message", "handshake_failure");
        params.put("x-stale", true);
        params.put("x-cached", false);
        Failure failure = new Failure(FailureCode.ORIGIN_SSL_HANDSHAKE_FAILED, "tls_alert_received", params, "", Evidence.empty(), null);

        assertThat(ProxyStatus.forFailure("telltale", failure, null, null))
                .isEqualTo("telltale; error=tls_alert_received; alert-id=40; alert-message=handshake_failure; x-stale; x-cached=?0");
    }

    @Test
    void quotesAndBackslashesAreEscapedWhenInAString() {
        assertThat(details("say \"hi\" to C:\\dir")).isEqualTo("t; error=http_protocol_error; details=\"say \\\"hi\\\" to C:\\\\dir\"");
    }

    @Test
    void controlCharactersAreDroppedAndNonAsciiReplacedWhenInAString() {
        assertThat(details("a\r\nb\tc\u0000d\u007fé😀")).endsWith("details=\"abcd??\"");
    }

    @Test
    void nameThatIsNotATokenIsQuotedWhenWritten() {
        assertThat(ProxyStatus.forReceivedStatus("Example CDN", 503, null)).isEqualTo("\"Example CDN\"; received-status=503");
        assertThat(ProxyStatus.forReceivedStatus("proxy.example.org", 503, "b.example:8001"))
                .isEqualTo("proxy.example.org; next-hop=\"b.example:8001\"; received-status=503");
    }

    @Test
    void publicMemberCarriesOnlyTheErrorTypeWhenUntrusted() {
        Map<String, Object> params = Map.of("rcode", "NXDOMAIN");
        Failure failure = new Failure(FailureCode.NON_S3_ORIGIN_DNS_ERROR, null, params, "secret.internal failed", Evidence.empty(), null);

        assertThat(ProxyStatus.forFailurePublic("telltale", failure)).isEqualTo("telltale; error=dns_error");
    }

    @Test
    void invalidKeyOrHugeIntegerIsRefusedWhenWritten() {
        assertThatThrownBy(() -> ProxyStatus.param(new StringBuilder(), "Bad-Key", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ProxyStatus.param(new StringBuilder(), "n", 1_000_000_000_000_000L))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static String details(String text) {
        return ProxyStatus.forFailure("t", Failure.of(FailureCode.ORIGIN_INVALID_RESPONSE, "", Evidence.empty()), null, text);
    }
}
