package io.telltale.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.telltale.core.profile.CdnProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    private static final String MINIMAL = String.join("\n",
            "sites:",
            "  - name: shop",
            "    hosts: [Shop.Example.com, '*.cdn.example.com']",
            "    origins:",
            "      - host: origin.example.com",
            "dns:",
            "  resolvers: [127.0.0.1:5353]",
            "");

    @Test
    void bindsEveryDefaultWhenOnlyRequiredKeysAreGiven() {
        GatewayConfig config = ConfigLoader.parse(MINIMAL, "minimal.yaml");

        assertThat(config.server()).isEqualTo(new ServerConfig("127.0.0.1", 8080, null, null, 0, "telltale",
                Duration.ofSeconds(10), new Http2Config(true, true, 128, DataSize.ofKiB(16), Duration.ofSeconds(30),
                        200, 200, 2, 16)));
        assertThat(config.admin()).isEqualTo(new AdminConfig(true, "127.0.0.1", 9090, null));
        assertThat(config.limits()).isEqualTo(new LimitsConfig(DataSize.ofKiB(8), DataSize.ofKiB(16),
                DataSize.ofMiB(1024), Duration.ofSeconds(10), Duration.ofSeconds(60), DataSize.ofKiB(64),
                DataSize.ofKiB(256), DataSize.ofMiB(64), 100, Duration.ofSeconds(60), DataSize.ofBytes(512)));
        assertThat(config.dns()).isEqualTo(new DnsConfig(List.of("127.0.0.1:5353"), Duration.ofSeconds(2), 2,
                Duration.ZERO, Duration.ofDays(1), Duration.ofHours(1), 10000, 53, Duration.ofSeconds(2),
                Duration.ofSeconds(60), Duration.ofMillis(50)));
        assertThat(config.cache().maxSize()).isEqualTo(DataSize.ofMiB(256));

        SiteConfig site = config.sites().get(0);
        assertThat(site.name()).isEqualTo("shop");
        assertThat(site.hosts()).containsExactly("shop.example.com", "*.cdn.example.com");
        assertThat(site.detail()).isEqualTo(DetailPolicy.PUBLIC);
        assertThat(site.debugToken()).isNull();
        assertThat(site.trustedNetworks()).isEmpty();
        assertThat(site.allowedOriginNetworks()).isEmpty();
        assertThat(site.allowedOriginPorts()).isEmpty();
        assertThat(site.tls()).isNull();
        assertThat(site.rules()).isEqualTo(new EdgeRulesConfig(List.of(), List.of()));
        assertThat(site.cache()).as("serving stale while the origin is unreachable is on by default")
                .isEqualTo(new SiteCacheConfig(true, Duration.ZERO, Duration.ZERO, Duration.ofDays(365),
                        Duration.ofSeconds(10), DataSize.ofMiB(8), null, List.of(), Duration.ZERO, Duration.ofHours(1),
                        Duration.ofSeconds(10), Duration.ofSeconds(2), Duration.ofSeconds(60), "Telltale-Cache-Control", true, false));
        assertThat(site.origins()).containsExactly(new OriginConfig("origin.example.com", 80, 443,
                OriginProtocol.HTTP_ONLY, SniMode.ORIGIN_HOST, Duration.ofSeconds(10), Duration.ofMillis(250), Duration.ofSeconds(10),
                Duration.ofSeconds(30), Duration.ofSeconds(60), 256, null, "TLSv1.2", List.of(),
                ChainOrderPolicy.STRICT, 1, CdnProfile.TELLTALE, "TLSv1.3", CertificateCheck.VERIFY, 1, OriginTier.ORIGIN));
    }

    @Test
    void bindsGivenValuesOverDefaults() {
        GatewayConfig config = ConfigLoader.parse(String.join("\n",
                "server: {bindAddress: '::1', httpPort: 0, httpsPort: 8443, defaultCertificateSite: shop,",
                "         drainTimeout: 250ms}",
                "limits: {maxBodySize: 512, maxHeaderSize: 32KiB}",
                "sites:",
                "  - name: shop",
                "    hosts: [shop.example.com]",
                "    detail: trusted",
                "    debugToken: s3cret",
                "    allowedOriginPorts: [443, 8443]",
                "    allowedOriginNetworks: [127.0.0.0/8]",
                "    tls: {certificate: shop.crt, key: shop.key}",
                "    cache: {queryParameters: [], keyHeaders: [Accept-Language], maxTtl: 1h}",
                "    rules:",
                "      viewerRequest:",
                "        - {header: X-Client, value: '${client.address}'}",
                "        - {header: Cookie, action: remove}",
                "    origins:",
                "      - host: 127.0.0.1",
                "        protocol: https-only",
                "        httpsPort: 8443",
                "        sni: viewer-host",
                "        chainOrder: lenient",
                "        minTlsVersion: TLSv1.3",
                "        ciphers: [TLS_AES_128_GCM_SHA256]",
                "        caBundle: /etc/telltale/ca.pem",
                ""), "given.yaml");

        assertThat(config.server().bindAddress()).isEqualTo("::1");
        assertThat(config.server().httpPort()).isZero();
        assertThat(config.server().httpsPort()).isEqualTo(8443);
        assertThat(config.server().drainTimeout()).isEqualTo(Duration.ofMillis(250));
        assertThat(config.limits().maxBodySize()).isEqualTo(DataSize.ofBytes(512));
        assertThat(config.limits().maxHeaderSize()).isEqualTo(DataSize.ofKiB(32));
        SiteConfig site = config.sites().get(0);
        assertThat(site.detail()).isEqualTo(DetailPolicy.TRUSTED);
        assertThat(site.allowedOriginPorts()).containsExactly(443, 8443);
        assertThat(site.tls()).isEqualTo(new SiteTlsConfig("shop.crt", "shop.key"));
        assertThat(site.cache().queryParameters()).isEmpty();
        assertThat(site.cache().keyHeaders()).containsExactly("Accept-Language");
        assertThat(site.cache().maxTtl()).isEqualTo(Duration.ofHours(1));
        assertThat(site.rules().viewerRequest()).containsExactly(
                new EdgeRule(null, "X-Client", RuleAction.SET, "${client.address}"),
                new EdgeRule(null, "Cookie", RuleAction.REMOVE, null));
        OriginConfig origin = site.origins().get(0);
        assertThat(origin.protocol()).isEqualTo(OriginProtocol.HTTPS_ONLY);
        assertThat(origin.sni()).isEqualTo(SniMode.VIEWER_HOST);
        assertThat(origin.chainOrder()).isEqualTo(ChainOrderPolicy.LENIENT);
        assertThat(origin.minTlsVersion()).isEqualTo("TLSv1.3");
        assertThat(origin.ciphers()).containsExactly("TLS_AES_128_GCM_SHA256");
        assertThat(origin.caBundle()).isEqualTo("/etc/telltale/ca.pem");
    }

    @Test
    void loadsTheSameConfigFromAFileAsFromText(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("gateway.yaml");
        Files.writeString(file, MINIMAL);

        assertThat(ConfigLoader.load(file)).isEqualTo(ConfigLoader.parse(MINIMAL, "text"));
    }

    @Test
    void returnsListsThatCannotBeChanged() {
        GatewayConfig config = ConfigLoader.parse(MINIMAL, "minimal.yaml");

        assertThatThrownBy(() -> config.sites().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> config.sites().get(0).hosts().add("x.example.com"))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> config.sites().get(0).origins().get(0).ciphers().add("x"))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> config.dns().resolvers().remove(0))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> config.sites().get(0).rules().viewerRequest().add(null))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void reportsAMissingRequiredKeyWithWhatWasExpected() {
        assertProblems("sites: [{hosts: [a.example.com], origins: [{port: 80}]}]",
                "sites[0].name: missing (expected: a site name)",
                "sites[0].origins[0].port: unknown key (expected one of: host, httpPort, httpsPort, protocol, sni,"
                        + " connectTimeout, connectionAttemptDelay, tlsHandshakeTimeout, responseTimeout,"
                        + " idleTimeout, maxConnections, caBundle, minTlsVersion, ciphers, chainOrder, weight, profile, maxTlsVersion, certificateCheck, connectAttempts, tier)",
                "sites[0].origins[0].host: missing (expected: a DNS name or IP literal)");
    }

    @Test
    void reportsAnEmptyFile() {
        assertProblems("", "test.yaml: empty (expected: a YAML mapping with at least a sites list)");
        assertProblems("# only a comment\n", "test.yaml: empty (expected: a YAML mapping with at least a sites list)");
    }

    @Test
    void reportsSyntaxErrorsWithLineAndColumn() {
        assertThatThrownBy(() -> ConfigLoader.parse("sites:\n  - name: a\n   hosts: [x]\n", "test.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("test.yaml line 3, column 4: expected <block end>, but found '<block mapping start>'"
                        + " (expected: valid YAML)");
        assertProblems("server:\n  httpPort: 1\n  httpPort: 2\n",
                "test.yaml line 3, column 11: duplicate key httpPort (expected: each key once per mapping)");
    }

    static void assertProblems(String yaml, String... expected) {
        assertThatThrownBy(() -> ConfigLoader.parse(yaml, "test.yaml"))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.problems()).containsExactly(expected);
                    assertThat(e.getMessage()).isEqualTo(String.join("\n", expected));
                });
    }
}
