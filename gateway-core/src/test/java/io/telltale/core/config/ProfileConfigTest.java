package io.telltale.core.config;

import static io.telltale.core.config.ConfigLoaderTest.assertProblems;
import static org.assertj.core.api.Assertions.assertThat;

import io.telltale.core.profile.CdnProfile;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProfileConfigTest {
    private static final String RESOLVERS = "dns: {resolvers: [127.0.0.1]}\n";

    private static String site(String siteProfile, String origin) {
        return RESOLVERS + "sites:\n  - name: shop\n    hosts: [shop.example.com]\n"
                + (siteProfile == null ? "" : "    profile: " + siteProfile + "\n")
                + "    origins: [" + origin + "]\n";
    }

    private static OriginConfig origin(String siteProfile, String origin) {
        return ConfigLoader.parse(site(siteProfile, origin), "t").sites().get(0).origins().get(0);
    }

    @Test
    void withoutAProfileAnOriginKeepsTelltalesOwnDefaults() {
        OriginConfig o = origin(null, "{host: origin.example.com}");

        assertThat(o.profile()).isEqualTo(CdnProfile.TELLTALE);
        assertThat(o.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(o.responseTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(o.maxTlsVersion()).isEqualTo("TLSv1.3");
        assertThat(o.ciphers()).isEmpty();
        assertThat(o.certificateCheck()).isEqualTo(CertificateCheck.VERIFY);
        assertThat(o.connectAttempts()).isEqualTo(1);
    }

    @Test
    void aSiteProfileFillsItsOriginsUnsetSettingsWithTheCdnsValues() {
        OriginConfig o = origin("cloudfront", "{host: origin.example.com, protocol: https-only}");

        assertThat(o.profile()).isEqualTo(CdnProfile.CLOUDFRONT);
        assertThat(o.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(o.connectAttempts()).isEqualTo(3);
        assertThat(o.idleTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(o.maxTlsVersion()).isEqualTo("TLSv1.2");
        assertThat(o.chainOrder()).isEqualTo(ChainOrderPolicy.STRICT);
        assertThat(o.ciphers()).contains("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")
                .doesNotContain("TLS_AES_128_GCM_SHA256", "SSL_RSA_WITH_RC4_128_MD5");
    }

    @Test
    void aSiteProfileSetsTheErrorTtlOfGatewayFailuresUnlessTheSiteSetsItsOwn() {
        assertThat(errorTtl("cloudflare-full", "")).as("C11: no 5xx cached").isEqualTo(Duration.ZERO);
        assertThat(errorTtl("cloudflare-strict", "    cache: {collapseStall: 100ms}\n")).isEqualTo(Duration.ZERO);
        assertThat(errorTtl("cloudfront", "")).isEqualTo(Duration.ofSeconds(10));
        assertThat(errorTtl("akamai", "")).isEqualTo(Duration.ofSeconds(10));
        assertThat(errorTtl("cloudflare-full", "    cache: {errorTtl: 3s}\n")).isEqualTo(Duration.ofSeconds(3));
        assertThat(errorTtl(null, "")).isEqualTo(Duration.ofSeconds(10));
    }

    private static Duration errorTtl(String siteProfile, String cache) {
        return ConfigLoader.parse(site(siteProfile, "{host: origin.example.com}") + cache, "t").sites().get(0).cache()
                .errorTtl();
    }

    @Test
    void anOriginsOwnSettingsAndOwnProfileWinOverItsSites() {
        OriginConfig own = origin("fastly", "{host: origin.example.com, responseTimeout: 200ms}");
        assertThat(own.responseTimeout()).isEqualTo(Duration.ofMillis(200));
        assertThat(own.connectTimeout()).isEqualTo(Duration.ofSeconds(1));

        OriginConfig akamai = origin("fastly", "{host: origin.example.com, profile: akamai}");
        assertThat(akamai.profile()).isEqualTo(CdnProfile.AKAMAI);
        assertThat(akamai.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(akamai.responseTimeout()).isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void cloudflareModesDifferInCertificateCheckAndProtocol() {
        OriginConfig full = origin("cloudflare-full", "{host: origin.example.com, protocol: https-only}");
        OriginConfig strict = origin("cloudflare-strict", "{host: origin.example.com, protocol: https-only}");
        OriginConfig flexible = origin("cloudflare-flexible", "{host: origin.example.com}");

        assertThat(full.certificateCheck()).isEqualTo(CertificateCheck.NONE);
        assertThat(full.sni()).isEqualTo(SniMode.VIEWER_HOST);
        assertThat(full.connectTimeout()).isEqualTo(Duration.ofSeconds(19));
        assertThat(full.responseTimeout()).isEqualTo(Duration.ofSeconds(100));
        assertThat(strict.certificateCheck()).isEqualTo(CertificateCheck.VERIFY);
        assertThat(flexible.protocol()).isEqualTo(OriginProtocol.HTTP_ONLY);
    }

    @Test
    void cloudfrontRefusesAnIpLiteralALongNameAndOddCharactersNamingTheField() {
        assertProblems(site("cloudfront", "{host: 203.0.113.5}"),
                "sites[0].origins[0].host: 203.0.113.5 (expected: a DNS name: CloudFront refuses an IP address as an "
                        + "origin (origin name must be a domain name) [A20 P; IP literal refused: A23 F])");
        String longName = "a".repeat(60) + "." + "b".repeat(60) + ".example.com";
        assertProblems(site("cloudfront", "{host: " + longName + "}"),
                "sites[0].origins[0].host: " + longName.substring(0, 80) + "... (expected: a DNS name of at most 128 characters, as "
                        + "CloudFront requires [A20 P; IP literal refused: A23 F])");
        assertThat(origin("cloudflare-full", "{host: 203.0.113.5}").host()).isEqualTo("203.0.113.5");
    }

    @Test
    void anyProfileTakesAnOriginPortTheGatewayAllowsForCloudflaresPortsAreAVisitorMatter() {
        assertThat(origin("cloudfront", "{host: origin.example.com, protocol: https-only, httpsPort: 8081}").httpsPort())
                .isEqualTo(8081);
        assertThat(origin("cloudflare-strict", "{host: origin.example.com, protocol: https-only, httpsPort: 8081}")
                .httpsPort()).isEqualTo(8081);
        assertProblems(site("cloudfront", "{host: origin.example.com, protocol: https-only, httpsPort: 1000}"),
                "sites[0].origins[0].httpsPort: 1000 (expected: 80, 443 or 1024-65535)");
    }

    @Test
    void cloudfrontRefusesTls13AsItsMaxVersionWhileCloudflareTakesIt() {
        assertProblems(site("cloudfront", "{host: origin.example.com, protocol: https-only, maxTlsVersion: TLSv1.3}"),
                "sites[0].origins[0].maxTlsVersion: TLSv1.3 (expected: at most TLSv1.2: CloudFront has no higher "
                        + "version toward origins [A3 P (no TLS 1.3 value exists)])");
        assertThat(origin("cloudflare-strict", "{host: origin.example.com, maxTlsVersion: TLSv1.3}").maxTlsVersion())
                .isEqualTo("TLSv1.3");
        assertThat(origin("cloudfront", "{host: origin.example.com, maxTlsVersion: TLSv1.2}").maxTlsVersion())
                .isEqualTo("TLSv1.2");
    }

    @Test
    void refusesAnUnknownProfileAMaxVersionBelowTheMinAndTooManyAttempts() {
        assertProblems(site("cloudfrnt", "{host: origin.example.com}"),
                "sites[0].profile: cloudfrnt (expected: telltale, cloudfront, cloudflare-full, cloudflare-strict, "
                        + "cloudflare-flexible, fastly or akamai)");
        assertProblems(site(null, "{host: origin.example.com, connectAttempts: 4}"),
                "sites[0].origins[0].connectAttempts: 4 (expected: an integer 1-3)");
        assertProblems(site(null, "{host: origin.example.com, minTlsVersion: TLSv1.3, maxTlsVersion: TLSv1.2}"),
                "sites[0].origins[0].maxTlsVersion: TLSv1.2 (expected: a version no lower than minTlsVersion TLSv1.3)");
    }
}
