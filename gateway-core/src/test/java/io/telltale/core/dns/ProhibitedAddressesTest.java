package io.telltale.core.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.NetUtil;
import io.telltale.core.config.InternalNetworks;
import io.telltale.core.failure.Failure;
import io.telltale.core.failure.FailureCode;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ProhibitedAddressesTest {
    private static InetAddress ip(String literal) throws UnknownHostException {
        return InetAddress.getByAddress(NetUtil.createByteArrayFromIpAddressString(literal));
    }

    private final ProhibitedAddresses none = ProhibitedAddresses.allowingCidrs(List.of());

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "0.0.0.0         | 0.0.0.0/8",
        "127.0.0.1       | 127.0.0.0/8",
        "127.8.9.10      | 127.0.0.0/8",
        "10.0.0.5        | 10.0.0.0/8",
        "172.16.0.1      | 172.16.0.0/12",
        "172.31.255.254  | 172.16.0.0/12",
        "192.168.1.1     | 192.168.0.0/16",
        "100.64.0.1      | 100.64.0.0/10",
        "169.254.169.254 | 169.254.169.254/32",
        "169.254.1.1     | 169.254.0.0/16",
        "224.0.0.251     | 224.0.0.0/4",
        "255.255.255.255 | 255.255.255.255/32",
        "::              | ::/128",
        "::1             | ::1/128",
        "fd00:ec2::254   | fd00:ec2::254/128",
        "fd12::1         | fc00::/7",
        "fe80::1         | fe80::/10",
        "ff02::1         | ff00::/8",
        "::ffff:10.0.0.1 | 10.0.0.0/8",
    })
    void prohibitsEveryInternalRange(String address, String range) throws Exception {
        assertThat(none.prohibitedRange(ip(address))).get().extracting(r -> r.cidr().toString()).isEqualTo(range);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "::7f00:1                             | ::/96          | 127.0.0.1",
        "::a9fe:a9fe                          | ::/96          | 169.254.169.254",
        "64:ff9b::a9fe:a9fe                   | 64:ff9b::/96   | 169.254.169.254",
        "64:ff9b::a01:203                     | 64:ff9b::/96   | 10.1.2.3",
        "64:ff9b:1::7f00:1                    | 64:ff9b:1::/48 | 127.0.0.1",
        "64:ff9b:1:a9fe:a9:fe00::             | 64:ff9b:1::/48 | 169.254.",
        "2002:7f00:1::1                       | 2002::/16      | 127.0.0.1",
        "2002:c0a8:101::1                     | 2002::/16      | 192.168.1.1",
        "2001:0:4136:e378:8000:63bf:80ff:fffe | 2001::/32      | 127.0.0.1",
        "2001:0:4136:e378:8000:63bf:f5ff:fffe | 2001::/32      | 10.0.0.1",
    })
    void prohibitsAnIpv6AddressThatEmbedsAProhibitedIpv4Address(String address, String scheme, String embedded)
            throws Exception {
        InternalNetworks.Range range = none.prohibitedRange(ip(address)).orElseThrow();
        assertThat(range.cidr()).hasToString(scheme);
        assertThat(range.name()).contains(embedded).contains(", embedded by");
    }

    @ParameterizedTest
    @ValueSource(strings = {"64:ff9b::5db8:d822", "64:ff9b:1::5db8:d822", "2002:5db8:d822::1", "2001:0:4136:e378:8000:63bf:a247:29dd",
        "::5db8:d822"})
    void allowsAnIpv6AddressThatEmbedsAPublicIpv4Address(String address) throws Exception {
        assertThat(none.prohibitedRange(ip(address))).isEmpty();
    }

    @Test
    void siteAllowedIpv4NetworkAlsoAllowsItEmbedded() throws Exception {
        ProhibitedAddresses lab = ProhibitedAddresses.allowingCidrs(List.of("127.0.0.0/8"));
        assertThat(lab.prohibitedRange(ip("2002:7f00:1::1"))).isEmpty();
        assertThat(lab.prohibitedRange(ip("2002:a00:1::1"))).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"93.184.216.34", "172.32.0.1", "100.128.0.1", "2001:db8::1", "169.253.255.255"})
    void allowsPublicAddresses(String address) throws Exception {
        assertThat(none.prohibitedRange(ip(address))).isEmpty();
    }

    @Test
    void siteAllowedNetworkLiftsTheProhibition() throws Exception {
        ProhibitedAddresses lab = ProhibitedAddresses.allowingCidrs(List.of("127.0.0.0/8"));
        assertThat(lab.prohibitedRange(ip("127.0.0.1"))).isEmpty();
        assertThat(lab.prohibitedRange(ip("10.0.0.1"))).isPresent();
    }

    @Test
    void failureNamesTheAddressTheRangeAndTheCidrToAllow() throws Exception {
        Failure f = none.check("shop.example.test", ip("169.254.169.254")).orElseThrow();
        assertThat(f.code()).isEqualTo(FailureCode.ORIGIN_IP_PROHIBITED);
        assertThat(f.proxyStatusError()).isEqualTo("destination_ip_prohibited");
        assertThat(f.evidence().get("address")).isEqualTo("169.254.169.254");
        assertThat(f.evidence().get("range")).isEqualTo("cloud instance metadata service (link-local)");
        assertThat(f.evidence().get("allowToFix")).isEqualTo("169.254.169.254/32");
        assertThat(f.detail()).contains("shop.example.test resolved to 169.254.169.254");
        assertThat(f.remediation()).anySatisfy(r -> assertThat(r).contains("add 169.254.169.254/32").contains("allowedOriginNetworks"));
    }
}
