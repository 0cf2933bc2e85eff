package io.telltale.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AddressRulesTest {
    @ParameterizedTest
    @CsvSource({"80, true", "443, true", "1024, true", "65535, true", "0, false", "22, false", "1023, false",
            "65536, false", "-1, false"})
    void allowsOriginPortsEightyFourFortyThreeAndUnprivileged(long port, boolean allowed) {
        assertThat(PortRules.isAllowedOriginPort(port)).isEqualTo(allowed);
    }

    @ParameterizedTest
    @CsvSource({"127.0.0.1, 127.0.0.1, 53", "127.0.0.1:5353, 127.0.0.1, 5353", "::1, ::1, 53",
            "'[::1]:5353', ::1, 5353", "'[2001:db8::53]', 2001:db8::53, 53"})
    void readsResolverLiterals(String text, String address, int port) {
        InetSocketAddress parsed = ResolverAddresses.parse(text);

        assertThat(parsed.isUnresolved()).isFalse();
        assertThat(parsed.getAddress()).isEqualTo(NetUtil.createInetAddressFromIpAddressString(address));
        assertThat(parsed.getPort()).isEqualTo(port);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dns.example.com", "dns.example.com:53", "127.0.0.1:0", "127.0.0.1:65536",
            "127.0.0.1:", "[127.0.0.1]:53", "[::1", "[::1]53", "::1:x", ""})
    void refusesResolverNames(String text) {
        assertThatThrownBy(() -> ResolverAddresses.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("an IP literal such as 127.0.0.1:53");
    }

    @Test
    void matchesAddressesInsideANetwork() {
        Cidr loopback = Cidr.parse("127.0.0.0/8");
        Cidr ula = Cidr.parse("fd00::/8");

        assertThat(loopback.contains(address("127.1.2.3"))).isTrue();
        assertThat(loopback.contains(address("128.0.0.1"))).isFalse();
        assertThat(loopback.contains(address("::1"))).isFalse();
        assertThat(ula.contains(address("fd12::1"))).isTrue();
        assertThat(ula.contains(address("fe80::1"))).isFalse();
        assertThat(Cidr.parse("10.1.2.3").contains(address("10.1.2.3"))).isTrue();
        assertThat(Cidr.parse("10.1.2.3").contains(address("10.1.2.4"))).isFalse();
        assertThat(Cidr.parse("0.0.0.0/0").contains(address("203.0.113.9"))).isTrue();
        assertThat(Cidr.parse("10.128.0.0/9").contains(address("10.200.0.1"))).isTrue();
        assertThat(Cidr.parse("10.128.0.0/9").contains(address("10.100.0.1"))).isFalse();
        assertThat(Cidr.parse("fd00::/8")).hasToString("fd00::/8").isEqualTo(ula);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "10.0.0.0/", "10.0.0.0/33", "::/129", "10.0.0.0/-1", "10.0.0.0/8/8", "host/8",
            "10.0.0.1/8", "[::1]/128"})
    void refusesWhatIsNotANetwork(String text) {
        assertThatThrownBy(() -> Cidr.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(Cidr.EXPECTED);
    }

    @Test
    void suggestsOnlyKeysThatAreClose() {
        List<String> keys = List.of("host", "httpPort", "connectTimeout", "idleTimeout");

        assertThat(KeySuggestions.nearest("conectTimeout", keys)).isEqualTo("connectTimeout");
        assertThat(KeySuggestions.nearest("connect_timeout", keys)).isEqualTo("connectTimeout");
        assertThat(KeySuggestions.nearest("HTTPPORT", keys)).isEqualTo("httpPort");
        assertThat(KeySuggestions.nearest("hots", keys)).isEqualTo("host");
        assertThat(KeySuggestions.nearest("colour", keys)).isNull();
        assertThat(KeySuggestions.nearest("timeout", keys)).isNull();
    }

    private static InetAddress address(String literal) {
        return NetUtil.createInetAddressFromIpAddressString(literal);
    }
}
