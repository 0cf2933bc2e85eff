package io.telltale.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class HostNamesTest {
    @ParameterizedTest
    @ValueSource(strings = {"example.com", "a.b-c.example", "localhost", "xn--bcher-kva.example", "A.EXAMPLE.COM",
            "1.example.com"})
    void recognisesDnsNames(String name) {
        assertThat(HostNames.isDnsName(name)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "example.com.", ".example.com", "a..b", "-a.example", "a-.example", "a_b.example",
            "a b", "10.0.0.1", "10.0.0.256", "*.example.com", "bücher.example"})
    void refusesWhatIsNotADnsName(String name) {
        assertThat(HostNames.isDnsName(name)).isFalse();
    }

    @Test
    void refusesOverlongNamesAndLabels() {
        assertThat(HostNames.isDnsName("a".repeat(63) + ".example")).isTrue();
        assertThat(HostNames.isDnsName("a".repeat(64) + ".example")).isFalse();
        assertThat(HostNames.isDnsName(("a".repeat(49) + ".").repeat(5) + "abc")).isTrue();
        assertThat(HostNames.isDnsName(("a".repeat(49) + ".").repeat(5) + "abcd")).isFalse();
    }

    @Test
    void acceptsOneLeadingWildcardLabel() {
        assertThat(HostNames.isHostPattern("*.example.com")).isTrue();
        assertThat(HostNames.isHostPattern("*.*.example.com")).isFalse();
        assertThat(HostNames.isHostPattern("a.*.example.com")).isFalse();
        assertThat(HostNames.isHostPattern("*")).isFalse();
    }

    @Test
    void recognisesIpLiteralsWithoutBrackets() {
        assertThat(HostNames.isIpLiteral("127.0.0.1")).isTrue();
        assertThat(HostNames.isIpLiteral("::1")).isTrue();
        assertThat(HostNames.isIpLiteral("2001:db8::1")).isTrue();
        assertThat(HostNames.isIpLiteral("[::1]")).isFalse();
        assertThat(HostNames.isIpLiteral("fe80::1%eth0")).isFalse();
        assertThat(HostNames.isIpLiteral("localhost")).isFalse();
    }

    @ParameterizedTest
    @CsvSource({"[::1], true", "[1.2.3.4], true", "[v1.future], true", "127.0.0.1, true", "::1, true",
            "fe80::1%eth0, true", "www.test, false", "10.0.0.256, false", "localhost, false"})
    void tellsAddressesFromNamesAsHostHeadersAndSniWriteThem(String host, boolean address) {
        assertThat(HostNames.isAddress(host)).isEqualTo(address);
    }

    @ParameterizedTest
    @CsvSource({"www.test, www.test", "WWW.Test:8080, www.test", "www.test., www.test", "www.test:, www.test",
            "'[::1]:8443', '[::1]'", "'[2001:DB8::1]', '[2001:db8::1]'", "127.0.0.1:80, 127.0.0.1",
            "under_score.test, under_score.test"})
    void parsesTheHostOutOfAnAuthority(String authority, String host) {
        assertThat(HostNames.parseAuthority(authority)).isEqualTo(host);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {":80", "www.test:80x", "www.test:123456", "www test", "www.test/x", "user@www.test",
            "[::1", "[::1]x", "[::1]:http"})
    void refusesAuthoritiesThatAreNotAHost(String authority) {
        assertThat(HostNames.parseAuthority(authority)).isNull();
    }

    @Test
    void normalizesToLowerCaseWithoutTheTrailingDot() {
        assertThat(HostNames.normalize("WWW.Example.COM.")).isEqualTo("www.example.com");
        assertThat(HostNames.normalize("*.Example.com")).isEqualTo("*.example.com");
    }

    @ParameterizedTest
    @CsvSource({"a.test, a.test, true", "*.a.test, x.a.test, true", "*.a.test, a.test, false",
            "*.a.test, x.y.a.test, false", "*.a.test, *.a.test, true", "*.a.test, *.b.a.test, false",
            "a.test, b.test, false", "x.*.test, x.a.test, false"})
    void wildcardStandsForExactlyOneLabel(String pattern, String name, boolean matches) {
        assertThat(HostNames.matchesPattern(pattern, name)).isEqualTo(matches);
    }
}
