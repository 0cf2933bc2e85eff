package io.telltale.core.config;

import static io.telltale.core.config.ConfigLoaderTest.assertProblems;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConfigValidationTest {
    private static final String RESOLVERS = "dns: {resolvers: [127.0.0.1]}\n";

    private static String site(String... extraLines) {
        StringBuilder yaml = new StringBuilder(RESOLVERS).append("sites:\n  - name: shop\n    hosts: [shop.example.com]\n"
                + "    origins: [{host: origin.example.com}]\n");
        for (String line : extraLines) {
            yaml.append("    ").append(line).append('\n');
        }
        return yaml.toString();
    }

    @Test
    void reportsAnOriginPortOutsideTheAllowedRanges() {
        assertProblems(RESOLVERS + "sites:\n"
                        + "  - {name: a, hosts: [a.example.com], origins: [{host: o.example.com}]}\n"
                        + "  - {name: b, hosts: [b.example.com], origins: [{host: o.example.com}]}\n"
                        + "  - {name: c, hosts: [c.example.com], origins: [{host: o.example.com, httpsPort: 70000,"
                        + " httpPort: 22}]}\n",
                "sites[2].origins[0].httpPort: 22 (expected: 80, 443 or 1024-65535)",
                "sites[2].origins[0].httpsPort: 70000 (expected: 80, 443 or 1024-65535)");
    }

    @Test
    void refusesH2cAndMalformedUpgradesAndKeepsWebSocketByDefault() {
        assertProblems(site("upgrades: {protocols: [websocket, H2C, h2, 'web socket'], idleTimeout: 0s}"),
                "sites[0].upgrades.protocols[1]: H2C (expected: an upgrade other than h2c or h2, such as websocket)",
                "sites[0].upgrades.protocols[2]: h2 (expected: an upgrade other than h2c or h2, such as websocket)",
                "sites[0].upgrades.protocols[3]: web socket (expected: an upgrade token such as websocket)",
                "sites[0].upgrades.idleTimeout: 0 (expected: a duration above 0, such as 250ms or 10s)");
        UpgradeConfig defaults = ConfigLoader.parse(site(), "t").sites().get(0).upgrades();
        assertThat(defaults.protocols()).containsExactly("websocket");
        assertThat(defaults.idleTimeout()).hasSeconds(60);
    }

    @Test
    void reportsTextWhereAnIntegerIsExpectedQuoted() {
        assertProblems(site() + "server: {httpPort: abc, ioThreads: 1.5, httpsPort: '8443'}\n",
                "server.httpPort: \"abc\" (expected: an integer 0-65535)",
                "server.httpsPort: \"8443\" (expected: an integer 0-65535)",
                "server.ioThreads: 1.5 (expected: an integer 0-1024)");
    }

    @Test
    void readsYesAndNoAsTextNotBooleans() {
        assertThat(ConfigLoader.parse(site().replace("name: shop", "name: no"),
                "t").sites().get(0).name()).isEqualTo("no");
        assertProblems(site() + "admin: {enabled: yes}\n", "admin.enabled: \"yes\" (expected: true or false)");
    }

    @Test
    void reportsAListenerPortOutOfRange() {
        assertProblems(site() + "server: {httpPort: 65536}\nadmin: {port: -1}\n",
                "server.httpPort: 65536 (expected: an integer 0-65535)",
                "admin.port: -1 (expected: an integer 0-65535)");
    }

    @Test
    void suggestsTheNearestKeyForAMisspeltOne() {
        assertProblems(site().replace("{host: origin.example.com}", "{host: origin.example.com, conectTimeout: 1s}"),
                "sites[0].origins[0].conectTimeout: unknown key (expected one of: host, httpPort, httpsPort,"
                        + " protocol, sni, connectTimeout, connectionAttemptDelay, tlsHandshakeTimeout,"
                        + " responseTimeout, idleTimeout,"
                        + " maxConnections, caBundle, minTlsVersion, ciphers, chainOrder, weight, profile, maxTlsVersion, certificateCheck, connectAttempts, tier; did you mean"
                        + " connectTimeout?)");
    }

    @Test
    void suggestsAKeyWrittenInAnotherCase() {
        assertProblems(site() + "server: {http_port: 80}\n",
                "server.http_port: unknown key (expected one of: bindAddress, httpPort, httpsPort,"
                        + " defaultCertificateSite, ioThreads, via, drainTimeout, http2; did you mean httpPort?)");
    }

    @Test
    void suggestsNothingWhenNoKeyIsClose() {
        assertProblems(site() + "colour: blue\n",
                "colour: unknown key (expected one of: server, admin, limits, dns, cache, sites, observe, cluster)");
    }

    @Test
    void reportsAnOtlpEndpointThatIsNotAnHttpUrlAndAnUnknownAccessLogFormat() {
        assertProblems(site() + "observe: {accessLogFormat: xml}\n",
                "observe.accessLogFormat: xml (expected: text or json)");
        assertProblems(site() + "observe: {otlp: {endpoint: 'udp://collector:4317', timeout: 0}}\n",
                "observe.otlp.endpoint: udp://collector:4317 (expected: an http or https URL such as"
                        + " http://127.0.0.1:4318/v1/traces)",
                "observe.otlp.timeout: 0 (expected: a duration above 0)");
    }

    @Test
    void reportsASizeThatCannotBeRead() {
        assertProblems(site() + "limits: {maxBodySize: 10XB, maxHeaderSize: -1}\n",
                "limits.maxHeaderSize: -1 (expected: a size such as 512, 64KiB, 8MiB or 1GiB)",
                "limits.maxBodySize: 10XB (expected: a size such as 512, 64KiB, 8MiB or 1GiB)");
    }

    @Test
    void reportsAnUnknownEnumValueWithTheChoices() {
        assertProblems(site().replace("{host: origin.example.com}", "{host: origin.example.com, protocol: https}"),
                "sites[0].origins[0].protocol: https (expected: http-only, https-only, match-viewer, h2 or h2c)");
    }

    @Test
    void reportsADurationWithoutUnit() {
        assertProblems(site() + "limits: {headerTimeout: 10, keepAliveTimeout: 1 minute}\n",
                "limits.headerTimeout: 10 (expected: a duration such as 250ms, 10s, 5m, 1h or 1d)",
                "limits.keepAliveTimeout: 1 minute (expected: a duration such as 250ms, 10s, 5m, 1h or 1d)");
    }

    @Test
    void reportsWrongShapes() {
        assertProblems(RESOLVERS + "server: 8080\nsites: {name: shop}\n",
                "server: 8080 (expected: a mapping of keys among bindAddress, httpPort, httpsPort,"
                        + " defaultCertificateSite, ioThreads, via, drainTimeout, http2)",
                "sites: a mapping (expected: a list, each a mapping of keys among name, hosts, origins, originGroup, detail,"
                        + " debugToken, trustedNetworks, allowedOriginNetworks, allowedOriginPorts, cache, rules,"
                        + " tls, upgrades, allowTrace, profile)");
    }

    @Test
    void reportsATopLevelListAsNotAMapping() {
        assertProblems("- a\n- b\n", "test.yaml: a list (expected: a YAML mapping with at least a sites list)");
    }

    @Test
    void reportsEveryProblemAtOnce() {
        assertProblems(RESOLVERS + "sites:\n"
                        + "  - name: Shop\n"
                        + "    hosts: [shop.example.com, 'bad host']\n"
                        + "    origins: [{host: origin.example.com, connectTimeout: 0}]\n"
                        + "    detail: trusted\n"
                        + "  - name: blog\n"
                        + "    hosts: [Shop.Example.com]\n"
                        + "    origins: []\n",
                "sites[0].name: Shop (expected: a name of lower-case letters, digits and hyphens)",
                "sites[0].hosts[1]: bad host (expected: a DNS name such as www.example.com, a wildcard such as"
                        + " *.example.com, or * for the default site)",
                "sites[0].detail: trusted (expected: a debugToken or non-empty trustedNetworks to say who is"
                        + " trusted)",
                "sites[0].origins[0].connectTimeout: 0 (expected: a duration above 0, such as 250ms or 10s)",
                "sites[1].hosts[0]: shop.example.com (expected: a host no other site claims; sites[0].hosts[0]"
                        + " claims it)",
                "sites[1].origins: [] (expected: at least one origin)");
    }

    @Test
    void reportsNoSitesAndNoHosts() {
        assertProblems("server: {httpPort: 8081}\n", "sites: [] (expected: at least one site)");
        assertProblems(RESOLVERS + "sites: [{name: a, origins: [{host: o.example.com}]}]\n",
                "sites[0].hosts: [] (expected: at least one host name)");
    }

    @Test
    void reportsDuplicateSiteNames() {
        assertProblems(RESOLVERS + "sites:\n"
                        + "  - {name: a, hosts: [a.example.com], origins: [{host: o.example.com}]}\n"
                        + "  - {name: a, hosts: [b.example.com], origins: [{host: o.example.com}]}\n",
                "sites[1].name: a (expected: a name no other site has; sites[0] has it)");
    }

    @Test
    void acceptsOneLeadingWildcardLabelOnly() {
        assertThat(ConfigLoader.parse(site().replace("[shop.example.com]", "['*.Shop.example.com']"), "t")
                .sites().get(0).hosts()).containsExactly("*.shop.example.com");
        assertProblems(site().replace("[shop.example.com]", "['*.*.example.com', 'a.*.example.com', '*example.com']"),
                "sites[0].hosts[0]: *.*.example.com (expected: a DNS name such as www.example.com, a wildcard"
                        + " such as *.example.com, or * for the default site)",
                "sites[0].hosts[1]: a.*.example.com (expected: a DNS name such as www.example.com, a wildcard"
                        + " such as *.example.com, or * for the default site)",
                "sites[0].hosts[2]: *example.com (expected: a DNS name such as www.example.com, a wildcard"
                        + " such as *.example.com, or * for the default site)");
    }

    @Test
    void acceptsOneDefaultSite() {
        assertThat(ConfigLoader.parse(site().replace("[shop.example.com]", "['*']"), "t").sites().get(0).hosts())
                .containsExactly("*");
        assertProblems(RESOLVERS + "sites:\n"
                        + "  - {name: a, hosts: ['*'], origins: [{host: o.example.com}]}\n"
                        + "  - {name: b, hosts: ['*'], origins: [{host: o.example.com}]}\n",
                "sites[1].hosts[0]: * (expected: a host no other site claims; sites[0].hosts[0] claims it)");
    }

    @Test
    void reportsAConnectionAttemptDelayOutsideTheRangeRfc8305Allows() {
        assertProblems(site().replace("{host: origin.example.com}",
                        "{host: a.example.com, connectionAttemptDelay: 5ms}, {host: b.example.com, connectionAttemptDelay: 3s}"),
                "sites[0].origins[0].connectionAttemptDelay: 5ms (expected: a duration from 10ms to 2s (RFC 8305))",
                "sites[0].origins[1].connectionAttemptDelay: 3s (expected: a duration from 10ms to 2s (RFC 8305))");
    }

    @Test
    void reportsAnOriginGroupThatCannotWork() {
        assertProblems(site("originGroup: {policy: fastest}"),
                "sites[0].originGroup.policy: fastest (expected: failover, round-robin, least-request or hash)");
        assertProblems(site("originGroup: {failoverStatuses: [200, 503], hashOn: 'query:id'}")
                        .replace("{host: origin.example.com}", "{host: origin.example.com, weight: 0}"),
                "sites[0].origins[0].weight: 0 (expected: an integer from 1 to 1000)",
                "sites[0].originGroup.failoverStatuses[0]: 200 (expected: an error status from 400 to 599)",
                "sites[0].originGroup.hashOn: query:id (expected: url, header:NAME or cookie:NAME)");
        assertProblems(site("originGroup: {retryBudgetPercent: 150, minRetryConcurrency: -1}"),
                "sites[0].originGroup.retryBudgetPercent: 150 (expected: a percentage from 0 to 100)",
                "sites[0].originGroup.minRetryConcurrency: -1 (expected: 0 or more)");
        assertProblems(site("originGroup: {perTryTimeout: 0s, outlierDetection: {consecutiveFailures: 0,"
                        + " maxEjectionPercent: 101}}"),
                "sites[0].originGroup.perTryTimeout: 0 (expected: a duration above 0, such as 250ms or 10s)",
                "sites[0].originGroup.outlierDetection.consecutiveFailures: 0 (expected: 1 or more)",
                "sites[0].originGroup.outlierDetection.maxEjectionPercent: 101 (expected: a percentage from 0 to 100)");
    }

    @Test
    void reportsAHealthCheckThatCannotWork() {
        assertProblems(site("originGroup: {healthCheck: {path: 'status page', expectedStatuses: [200, 99], interval: 0s,"
                        + " healthyThreshold: 0, unhealthyThreshold: 0, slowWarningPercent: 0}}"),
                "sites[0].originGroup.healthCheck.path: status page (expected: a path starting with / without spaces or"
                        + " control characters)",
                "sites[0].originGroup.healthCheck.expectedStatuses[1]: 99 (expected: a status from 100 to 599)",
                "sites[0].originGroup.healthCheck.interval: 0 (expected: a duration above 0, such as 250ms or 10s)",
                "sites[0].originGroup.healthCheck.healthyThreshold: 0 (expected: 1 or more)",
                "sites[0].originGroup.healthCheck.unhealthyThreshold: 0 (expected: 1 or more)",
                "sites[0].originGroup.healthCheck.slowWarningPercent: 0 (expected: a percentage from 1 to 100)");
    }

    @Test
    void readsAHealthCheckWithItsDefaults() {
        HealthCheckConfig check = ConfigLoader.parse(site("originGroup: {healthCheck: {path: /healthz}}"), "t")
                .sites().get(0).originGroup().healthCheck();

        assertThat(check.path()).isEqualTo("/healthz");
        assertThat(check.expectedStatuses()).containsExactly(200);
        assertThat(check.interval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(check.timeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(check.healthyThreshold()).isEqualTo(2);
        assertThat(check.unhealthyThreshold()).isEqualTo(3);
        assertThat(check.certificateWarning()).isEqualTo(Duration.ofDays(14));
        assertThat(ConfigLoader.parse(site("originGroup: {policy: failover}"), "t").sites().get(0).originGroup()
                .healthCheck()).as("off unless configured").isNull();
    }

    @Test
    void readsAnOriginGroupWithCloudFrontsStatusesByDefault() {
        SiteConfig site = ConfigLoader.parse(site("originGroup: {policy: hash, hashOn: 'cookie:session'}"), "t")
                .sites().get(0);

        assertThat(site.originGroup().policy()).isEqualTo(BalancePolicy.HASH);
        assertThat(site.originGroup().failoverStatuses()).containsExactly(500, 502, 503, 504, 403, 404);
        assertThat(ConfigLoader.parse(site(), "t").sites().get(0).originGroup()).isNull();
    }

    @Test
    void reportsAnOriginHostThatIsNeitherNameNorAddress() {
        assertProblems(site().replace("{host: origin.example.com}",
                        "{host: origin_1.example.com}, {host: '10.0.0.256'}, {host: '[::1]'}, {host: '::1'}"),
                "sites[0].origins[0].host: origin_1.example.com (expected: a DNS name such as origin.example.com"
                        + " or an IP literal)",
                "sites[0].origins[1].host: 10.0.0.256 (expected: a DNS name such as origin.example.com or an IP"
                        + " literal)",
                "sites[0].origins[2].host: [::1] (expected: a DNS name such as origin.example.com or an IP"
                        + " literal)",
                "sites[0].origins[3].host: ::1 (expected: an address the gateway may connect to: ::1 is in the"
                        + " loopback (RFC 4291) range ::1/128, so list that network in the site's"
                        + " allowedOriginNetworks)");
    }

    @Test
    void reportsAnOriginLiteralThatEveryConnectWouldRefuse() {
        assertProblems(site().replace("{host: origin.example.com}",
                        "{host: 127.0.0.1}, {host: 10.1.2.3}, {host: '64:ff9b::a9fe:a9fe'}, {host: 93.184.216.34}"),
                "sites[0].origins[0].host: 127.0.0.1 (expected: an address the gateway may connect to: 127.0.0.1 is"
                        + " in the loopback (RFC 1122) range 127.0.0.0/8, so list that network in the site's"
                        + " allowedOriginNetworks)",
                "sites[0].origins[1].host: 10.1.2.3 (expected: an address the gateway may connect to: 10.1.2.3 is in"
                        + " the private (RFC 1918) range 10.0.0.0/8, so list that network in the site's"
                        + " allowedOriginNetworks)",
                "sites[0].origins[2].host: 64:ff9b::a9fe:a9fe (expected: an address the gateway may connect to:"
                        + " 64:ff9b::a9fe:a9fe is in the cloud instance metadata service (link-local) address"
                        + " 169.254.169.254, embedded by NAT64 well-known prefix (RFC 6052) range 64:ff9b::/96, so list"
                        + " that network in the site's allowedOriginNetworks)");
        assertThat(ConfigLoader.parse(site("allowedOriginNetworks: [127.0.0.0/8]").replace(
                "{host: origin.example.com}", "{host: 127.0.0.1}"), "t").sites()).hasSize(1);
    }

    @Test
    void refusesResolverNamesAndAcceptsLiterals() {
        assertThat(ConfigLoader.parse(site().replace("[127.0.0.1]", "[127.0.0.1, '127.0.0.1:5353', '::1',"
                + " '[::1]:5353']"), "t").dns().resolvers()).hasSize(4);
        assertProblems(site().replace("[127.0.0.1]", "[dns.example.com, '127.0.0.1:0', '::1:53', '[127.0.0.1]:53']"),
                "dns.resolvers[0]: dns.example.com (expected: an IP literal such as 127.0.0.1:53)",
                "dns.resolvers[1]: 127.0.0.1:0 (expected: an IP literal such as 127.0.0.1:53)",
                "dns.resolvers[3]: [127.0.0.1]:53 (expected: an IP literal such as 127.0.0.1:53)");
    }

    @Test
    void requiresAResolverOnlyWhenAnOriginIsANameAndBindAddressesAreLiterals() {
        assertThat(ConfigLoader.parse("sites: [{name: a, hosts: [a.example.com], origins: [{host: 127.0.0.1}],"
                + " allowedOriginNetworks: [127.0.0.0/8]}]", "t").dns().resolvers()).isEmpty();
        assertProblems("server: {bindAddress: localhost}\nadmin: {bindAddress: '0.0.0.0'}\n"
                        + "sites: [{name: a, hosts: [a.example.com], origins: [{host: o.example.com}]}]",
                "server.bindAddress: localhost (expected: an IP literal such as 127.0.0.1 or ::1)",
                "dns.resolvers: [] (expected: at least one resolver, since sites[0].origins[0].host is a DNS"
                        + " name)");
    }

    @Test
    void reportsInvalidNetworks() {
        assertProblems(site("trustedNetworks: [10.0.0.0/8, 'fd00::/8', 10.0.0.0/33, 10.1.2.3/8]",
                        "allowedOriginNetworks: [127.0.0.0/8, '::1/128', 192.168.0.1, not-a-net]"),
                "sites[0].trustedNetworks[2]: 10.0.0.0/33 (expected: a network such as 10.0.0.0/8 or fd00::/8;"
                        + " the prefix is at most 32)",
                "sites[0].trustedNetworks[3]: 10.1.2.3/8 (expected: a network such as 10.0.0.0/8 or fd00::/8;"
                        + " the address has bits set beyond the prefix, did you mean 10.0.0.0/8?)",
                "sites[0].allowedOriginNetworks[3]: not-a-net (expected: a network such as 10.0.0.0/8 or"
                        + " fd00::/8)");
    }

    @Test
    void requiresEveryPortAnOriginMayUseToBeAllowed() {
        assertProblems(site("allowedOriginPorts: [443, 22]").replace("{host: origin.example.com}",
                        "{host: origin.example.com, httpPort: 8080}, {host: o.example.com, protocol: https-only,"
                                + " httpPort: 8080}, {host: p.example.com, protocol: match-viewer}"),
                "sites[0].allowedOriginPorts[1]: 22 (expected: 80, 443 or 1024-65535)");
        assertProblems(site("allowedOriginPorts: [443]").replace("{host: origin.example.com}",
                        "{host: origin.example.com, httpPort: 8080}, {host: o.example.com, protocol: https-only,"
                                + " httpPort: 8080}, {host: p.example.com, protocol: match-viewer}"),
                "sites[0].origins[0].httpPort: 8080 (expected: one of the site's allowedOriginPorts [443])",
                "sites[0].origins[2].httpPort: 80 (expected: one of the site's allowedOriginPorts [443])");
    }

    @Test
    void acceptsTrustedDetailWithATokenOrNetworks() {
        assertThat(ConfigLoader.parse(site("detail: trusted", "debugToken: abc123"), "t").sites().get(0).detail())
                .isEqualTo(DetailPolicy.TRUSTED);
        assertThat(ConfigLoader.parse(site("detail: trusted", "trustedNetworks: [10.0.0.0/8]"), "t").sites())
                .hasSize(1);
        assertProblems(site("debugToken: 'a b'"),
                "sites[0].debugToken: (not shown) (expected: a secret of visible ASCII characters without spaces)");
    }

    @Test
    void reportsTlsSettingsThatCannotWork() {
        assertProblems(site("tls: {certificate: shop.crt}").replace("{host: origin.example.com}",
                        "{host: origin.example.com, minTlsVersion: TLSv1.1, ciphers: [TLS_AES_128_GCM_SHA256, RC4]}"),
                "sites[0].tls.key: missing (expected: a PEM file holding the private key)");
        assertProblems(site("tls: {certificate: shop.crt, key: ' '}").replace("{host: origin.example.com}",
                        "{host: origin.example.com, minTlsVersion: TLSv1.1, ciphers: [TLS_AES_128_GCM_SHA256, RC4]}"),
                "sites[0].tls.key: \" \" (expected: a PEM file holding the private key)",
                "sites[0].origins[0].minTlsVersion: TLSv1.1 (expected: TLSv1.2 or TLSv1.3)",
                "sites[0].origins[0].ciphers[1]: RC4 (expected: a cipher suite this JVM supports, such as"
                        + " TLS_AES_128_GCM_SHA256)");
    }

    @Test
    void requiresTheDefaultCertificateSiteToHaveTls() {
        assertProblems(site() + "server: {httpsPort: 8443, defaultCertificateSite: shop}\n",
                "server.defaultCertificateSite: shop (expected: the name of a site that has tls)",
                "server.httpsPort: 8443 (expected: no HTTPS port, or at least one site with tls)");
        assertThat(ConfigLoader.parse(site("tls: {certificate: a.crt, key: a.key}")
                + "server: {httpsPort: 8443, defaultCertificateSite: shop}\n", "t").server().defaultCertificateSite())
                .isEqualTo("shop");
    }

    @Test
    void reportsListenersThatShareAPort() {
        assertProblems(site() + "server: {httpPort: 9090}\n",
                "admin.port: 9090 (expected: a port no edge listener uses)");
        assertProblems(site() + "server: {httpPort: 9090, bindAddress: '::'}\n",
                "admin.port: 9090 (expected: a port no edge listener uses)");
        assertThat(ConfigLoader.parse(site() + "server: {httpPort: 9090, bindAddress: 10.0.0.1}\n", "t").admin().port())
                .isEqualTo(9090);
    }

    @Test
    void reportsEdgeRulesThatCannotApply() {
        assertProblems(site("rules:",
                        "  viewerRequest:",
                        "    - {header: X-Real-IP, value: '${client.address}'}",
                        "    - {header: Content-Length, value: '0'}",
                        "    - {header: 'Bad Header', value: x}",
                        "    - {header: X-Id}",
                        "    - {header: X-Old, action: remove, value: x}",
                        "    - {header: X-From, value: 'host=${request.host} ua=${request.header.User-Agent}'}",
                        "  originResponse:",
                        "    - {header: x-query, action: add, value: '${request.query}'}",
                        "    - {header: upgrade, action: remove}",
                        "    - {header: X-Open, value: 'a ${request.id'}"),
                "sites[0].rules.viewerRequest[1].header: Content-Length (expected: a header an edge rule may"
                        + " change; Content-Length is read-only)",
                "sites[0].rules.viewerRequest[2].header: Bad Header (expected: a header name such as"
                        + " X-Forwarded-Proto)",
                "sites[0].rules.viewerRequest[3].value: missing (expected: a value for action set)",
                "sites[0].rules.viewerRequest[4].value: x (expected: no value, since action remove deletes the"
                        + " header)",
                "sites[0].rules.originResponse[0].value: ${request.query} (expected: only the variables"
                        + " ${client.address}, ${request.host}, ${request.path}, ${request.id} and"
                        + " ${request.header.NAME}; ${request.query} is not one)",
                "sites[0].rules.originResponse[1].header: upgrade (expected: a header an edge rule may change;"
                        + " Upgrade is read-only)",
                "sites[0].rules.originResponse[2].value: a ${request.id (expected: only the variables"
                        + " ${client.address}, ${request.host}, ${request.path}, ${request.id} and"
                        + " ${request.header.NAME}; ${request.id is not one)");
    }

    @Test
    void reportsCacheTtlsOutOfOrder() {
        assertProblems(site("cache: {minTtl: 1h, defaultTtl: 2d, maxTtl: 1d, collapseTimeout: 0,"
                        + " keyHeaders: ['Accept Language']}"),
                "sites[0].cache.defaultTtl: 2d (expected: between minTtl 1h and maxTtl 1d)",
                "sites[0].cache.collapseTimeout: 0 (expected: a duration above 0, such as 250ms or 10s)",
                "sites[0].cache.keyHeaders[0]: Accept Language (expected: a header name such as Accept-Language)");
        assertProblems(site("cache: {minTtl: 2d, defaultTtl: 2d, maxTtl: 1d}"),
                "sites[0].cache.minTtl: 2d (expected: at most maxTtl 1d)");
    }

    @Test
    void reportsAResolutionDelayBelowZeroOrAboveTheQueryTimeout() {
        String origins = "sites:\n  - {name: a, hosts: [a.example.com], origins: [{host: o.example.com}]}\n";
        assertProblems("dns: {resolvers: [127.0.0.1], queryTimeout: 1s, resolutionDelay: 2s}\n" + origins,
                "dns.resolutionDelay: 2s (expected: at most queryTimeout 1s)");
        assertProblems("dns: {resolvers: [127.0.0.1], resolutionDelay: -50ms}\n" + origins,
                "dns.resolutionDelay: -50ms (expected: a duration such as 250ms, 10s, 5m, 1h or 1d)");
        assertThat(ConfigLoader.parse(site(), "t").dns().resolutionDelay()).isEqualTo(Duration.ofMillis(50));
    }
}
