package io.telltale.core.failure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class FailureCodeTest {
    /** Evidence names the classifier, the DNS and TLS helpers and the edge rules record, plus request data. */
    private static final Set<String> KNOWN_PLACEHOLDERS = Set.of("origin.host", "origin.port", "origin.address",
            "resolver", "sni", "request.host", "request.path", "request.id", "site", "rule", "variable", "exception",
            "origin.status", "upgrade", "tunnel.cutBy", "tunnel.reason", "tunnel.bytesToOrigin", "tunnel.bytesToClient",
            "http2.streamId", "http2.errorCode", "http2.lastStreamId", "http2.debugData");
    private static final Pattern PLACEHOLDER = Pattern.compile("(?<![$%])\\{([^}]+)}");

    @ParameterizedTest
    @CsvSource({
        "HostNotConfigured, 421, 1004, route, destination_not_found",
        "LoopDetected, 508, 1000, route, proxy_loop_detected",
        "NonS3OriginDnsError, 502, 1001, dns, dns_error",
        "OriginIpProhibited, 502, 1000, dns, destination_ip_prohibited",
        "OriginPortNotAllowed, 502, 1000, connect, proxy_configuration_error",
        "OriginConnectionRefused, 521, 521, connect, connection_refused",
        "OriginConnectTimeout, 522, 522, connect, connection_timeout",
        "OriginUnreachable, 523, 523, connect, destination_ip_unroutable",
        "OriginSslHandshakeFailed, 502, 525, tls, tls_protocol_error",
        "OriginSslCertificateNameMismatch, 502, 526, tls, tls_certificate_error",
        "OriginSslChainOutOfOrder, 502, 526, tls, tls_certificate_error",
        "OriginSslCertificateWrongPurpose, 502, 526, tls, tls_certificate_error",
        "OriginSslWeakKey, 502, 526, tls, tls_certificate_error",
        "OriginSslWeakSignature, 502, 526, tls, tls_certificate_error",
        "OriginResponseTimeout, 524, 524, response, http_response_timeout",
        "OriginConnectionClosed, 502, 520, response, connection_terminated",
        "OriginInvalidResponse, 502, 520, response, http_protocol_error",
        "OriginHeaderTooBig, 502, 520, response, http_response_header_section_size",
        "OriginConnectionLimit, 503, , connect, connection_limit_reached",
        "OriginAddressesFailed, 502, , connect, destination_unavailable",
        "NoHealthyOrigin, 503, , connect, destination_unavailable",
        "RetryBudgetExhausted, 503, , connect, destination_unavailable",
        "FunctionValidationError, 502, , edge rule, proxy_configuration_error",
        "OriginStreamReset, 502, 520, response, http_protocol_error",
        "OriginGoAway, 502, 520, response, connection_terminated",
        "OriginNotHttp2, 502, 520, response, http_protocol_error",
    })
    void entryMatchesTheDesignTableWhenLookedUpByCode(String code, int status, String edge, String phase, String proxyStatus) {
        FailureCode c = FailureCode.byCode(code);

        assertThat(c).as(code).isNotNull();
        assertThat(c.status()).isEqualTo(status);
        assertThat(c.edgeNumber()).isEqualTo(edge);
        assertThat(c.phase().label()).isEqualTo(phase);
        assertThat(c.proxyStatusError()).isEqualTo(proxyStatus);
    }

    @ParameterizedTest
    @EnumSource(FailureCode.class)
    void everyEntryHasEveryTextWhenListed(FailureCode c) {
        assertThat(c.title()).isNotBlank().doesNotContain("\n").doesNotEndWith(".");
        assertThat(c.meaning()).isNotBlank().endsWith(".");
        assertThat(c.visitorAdvice()).isNotBlank();
        assertThat(c.ownerAdvice()).isNotEmpty().allSatisfy(a -> assertThat(a).isNotBlank());
        assertThat(c.alsoKnownAs()).extracting(AlsoKnownAs::vendor)
                .containsExactly("CloudFront", "Cloudflare", "nginx", "Envoy", "RFC 9209");
    }

    @ParameterizedTest
    @EnumSource(FailureCode.class)
    void ownerAdviceUsesOnlyKnownPlaceholdersWhenTemplated(FailureCode c) {
        for (String template : c.ownerAdvice()) {
            Matcher m = PLACEHOLDER.matcher(template);
            while (m.find()) {
                assertThat(KNOWN_PLACEHOLDERS).as(c.code() + ": " + template).contains(m.group(1));
            }
        }
    }

    @Test
    void publicTextsNeverHoldPlaceholdersWhenShownToVisitors() {
        for (FailureCode c : FailureCode.values()) {
            assertThat(List.of(c.title(), c.meaning(), c.visitorAdvice())).as(c.code())
                    .noneMatch(t -> PLACEHOLDER.matcher(t).find());
        }
    }

    @Test
    void codesAreUniqueWhenCompared() {
        assertThat(Arrays.stream(FailureCode.values()).map(FailureCode::code).distinct().count())
                .isEqualTo(FailureCode.values().length);
    }

    @Test
    void byCodeAcceptsAnyCaseAndTheConstantNameWhenLookingUp() {
        assertThat(FailureCode.byCode("nons3origindnserror")).isEqualTo(FailureCode.NON_S3_ORIGIN_DNS_ERROR);
        assertThat(FailureCode.byCode("ORIGIN_CONNECT_TIMEOUT")).isEqualTo(FailureCode.ORIGIN_CONNECT_TIMEOUT);
        assertThat(FailureCode.byCode("NoSuchCode")).isNull();
    }

    @Test
    void ownerAdviceIsFilledFromEvidenceWhenGiven() {
        Evidence evidence = Evidence.builder().put("origin.address", "127.0.0.1").put("origin.port", 8081).build();

        assertThat(FailureCode.ORIGIN_CONNECTION_REFUSED.ownerAdvice(evidence).get(0))
                .isEqualTo("Test the port from the gateway host: `nc -vz 127.0.0.1 8081`.");
    }

    @Test
    void nearestSuggestsCloseCodesWhenMistyped() {
        assertThat(CodeLookup.nearest("NonS3OriginDnsEror", 3)).first().isEqualTo("NonS3OriginDnsError");
        assertThat(CodeLookup.nearest("522", 3)).containsExactly("OriginConnectTimeout");
    }
}
