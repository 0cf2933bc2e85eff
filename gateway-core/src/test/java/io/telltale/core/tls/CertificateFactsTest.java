package io.telltale.core.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CertificateFactsTest {
    @Test
    void dnsNamesCoverTheirHostsAndOneLabelUnderAWildcard() {
        CertificateFacts facts = facts("CN=ignored", List.of("www.a.test", "*.B.test"), List.of());

        assertThat(facts.covers("WWW.a.test.")).isTrue();
        assertThat(facts.covers("x.b.test")).isTrue();
        assertThat(facts.covers("b.test")).isFalse();
        assertThat(facts.covers("x.y.b.test")).isFalse();
        assertThat(facts.covers("ignored")).as("the CN counts only without DNS names").isFalse();
    }

    @Test
    void theCommonNameCountsWhenThereIsNoDnsName() {
        assertThat(facts("www.a.test", List.of(), List.of()).covers("www.a.test")).isTrue();
    }

    @Test
    void addressesAreCoveredOnlyByIpNames() {
        CertificateFacts facts = facts("127.0.0.1", List.of("127.0.0.1"), List.of("127.0.0.1", "0:0:0:0:0:0:0:1"));

        assertThat(facts.covers("127.0.0.1")).isTrue();
        assertThat(facts.covers("[127.0.0.1]")).isTrue();
        assertThat(facts.covers("::1")).isTrue();
        assertThat(facts.covers("[::1]")).isTrue();
        assertThat(facts.covers("127.0.0.2")).isFalse();
        assertThat(facts.covers("[not-an-address]")).isFalse();
        assertThat(facts("127.0.0.1", List.of("127.0.0.1"), List.of()).covers("127.0.0.1"))
                .as("a DNS name spelling an address does not count").isFalse();
    }

    private static CertificateFacts facts(String commonName, List<String> dnsNames, List<String> ipAddresses) {
        return new CertificateFacts("CN=" + commonName, "CN=issuer", commonName, dnsNames, ipAddresses,
                Instant.EPOCH, Instant.EPOCH, "00", false, "SHA256withECDSA", "EC", 256, true);
    }
}
