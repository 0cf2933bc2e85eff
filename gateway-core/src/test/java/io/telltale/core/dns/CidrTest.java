package io.telltale.core.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {
    static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByAddress(NetUtil.createByteArrayFromIpAddressString(literal));
    }

    @ParameterizedTest
    @CsvSource({
        "10.0.0.0/8, 10.255.1.2, true",
        "10.0.0.0/8, 11.0.0.1, false",
        "100.64.0.0/10, 100.127.255.255, true",
        "100.64.0.0/10, 100.128.0.0, false",
        "192.168.1.7, 192.168.1.7, true",
        "192.168.1.7, 192.168.1.8, false",
        "0.0.0.0/0, 8.8.8.8, true",
        "fc00::/7, fd12::1, true",
        "fc00::/7, fe00::1, false",
        "10.0.0.0/8, ::ffff:a00:1, true",
        "10.0.0.0/8, fd00::1, false",
    })
    void containsAddressesInsideThePrefixOnly(String cidr, String address, boolean inside) throws Exception {
        assertThat(Cidr.parse(cidr).contains(ip(address))).isEqualTo(inside);
    }

    @ParameterizedTest
    @CsvSource({"10.1.2.3/8, 10.0.0.0/8", "fd12:3456::1/7, fc00::/7", "127.0.0.1, 127.0.0.1/32"})
    void clearsHostBitsAndPrintsCanonically(String text, String canonical) {
        assertThat(Cidr.parse(text)).hasToString(canonical).isEqualTo(Cidr.parse(canonical));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "10.0.0.0/33", "10.0.0/8", "example.com/8", "::/129", "10.0.0.0/x", "10.0.0.0/-1"})
    void rejectsWhatIsNotACidrAndSaysWhatItExpected(String text) {
        assertThatThrownBy(() -> Cidr.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("cidr: ").hasMessageContaining("(expected: ");
    }
}
