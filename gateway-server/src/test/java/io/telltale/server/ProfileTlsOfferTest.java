package io.telltale.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.telltale.server.lab.dns.LabDnsServer;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The ClientHello each profile makes the gateway send to an origin, read by a raw loopback socket. */
class ProfileTlsOfferTest {
    private static final String ZONE = """
            $ORIGIN example.test.
            $TTL 300
            @        3600 IN SOA ns.example.test. hostmaster.example.test. 2024060101 3600 600 86400 60
            @             IN NS  ns
            ns            IN A   127.0.0.1
            origin        IN A   127.0.0.1
            """;
    private static final int TLS_1_2 = 0x0303;
    private static final int TLS_1_3 = 0x0304;
    private static final int TLS_AES_128_GCM_SHA256 = 0x1301;
    private static final int TLS_CHACHA20_POLY1305_SHA256 = 0x1303;
    private static final int ECDHE_RSA_AES_128_GCM_SHA256 = 0xC02F;
    private static final int ECDHE_ECDSA_AES_256_CBC_SHA384 = 0xC024;

    private static LabDnsServer dns;

    @BeforeAll
    static void startDns() throws IOException {
        dns = LabDnsServer.builder().zone(ZONE).start();
    }

    @AfterAll
    static void stopDns() throws IOException {
        dns.close();
    }

    private static ClientHelloOrigin.Offer offerUnder(String profile) throws Exception {
        try (ClientHelloOrigin origin = new ClientHelloOrigin();
                GatewayFixture gateway = GatewayFixture.start("""
                        server: {bindAddress: 127.0.0.1, httpPort: 0}
                        admin: {port: 0}
                        dns: {resolvers: ["%s"], queryTimeout: 2s, attempts: 2}
                        sites:
                          - name: shop
                            hosts: [www.shop.test]
                            profile: %s
                            cache: {errorTtl: 0s}
                            allowedOriginNetworks: [127.0.0.0/8]
                            origins:
                              - host: origin.example.test
                                protocol: https-only
                                httpsPort: %d
                                connectTimeout: 1s
                                tlsHandshakeTimeout: 1s
                        """.formatted(dns.resolverLiteral(), profile, origin.port()))) {
            GatewayErrors.problemGet(gateway.port(), "www.shop.test", "/");
            return origin.offer().get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void cloudfrontOffersTls12OnlyItsOwnSuitesAndTheOriginNameAsSni() throws Exception {
        ClientHelloOrigin.Offer offer = offerUnder("cloudfront");

        assertThat(offer.versions()).containsExactly(TLS_1_2);
        assertThat(offer.suites()).contains(ECDHE_RSA_AES_128_GCM_SHA256, ECDHE_ECDSA_AES_256_CBC_SHA384)
                .doesNotContain(TLS_AES_128_GCM_SHA256, TLS_CHACHA20_POLY1305_SHA256);
        assertThat(offer.sni()).isEqualTo("origin.example.test");
    }

    @Test
    void cloudflareOffersTls13ItsSuitesInOrderAndTheVisitorsHostAsSni() throws Exception {
        ClientHelloOrigin.Offer offer = offerUnder("cloudflare-strict");

        assertThat(offer.versions()).containsExactly(TLS_1_3, TLS_1_2);
        assertThat(offer.suites()).containsSubsequence(TLS_AES_128_GCM_SHA256, TLS_CHACHA20_POLY1305_SHA256,
                ECDHE_RSA_AES_128_GCM_SHA256).doesNotContain(ECDHE_ECDSA_AES_256_CBC_SHA384);
        assertThat(offer.sni()).isEqualTo("www.shop.test");
    }

    @Test
    void telltaleOffersTheJdksModernDefaults() throws Exception {
        ClientHelloOrigin.Offer offer = offerUnder("telltale");

        assertThat(offer.versions()).containsExactly(TLS_1_3, TLS_1_2);
        assertThat(offer.suites()).contains(TLS_AES_128_GCM_SHA256, ECDHE_RSA_AES_128_GCM_SHA256);
        assertThat(offer.sni()).isEqualTo("origin.example.test");
    }
}
