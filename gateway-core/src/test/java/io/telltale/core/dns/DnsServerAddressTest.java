package io.telltale.core.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DnsServerAddressTest {
    @ParameterizedTest
    @CsvSource({
        "127.0.0.1, 127.0.0.1:53, @127.0.0.1",
        "127.0.0.1:5353, 127.0.0.1:5353, @127.0.0.1 -p 5353",
        "::1, [0:0:0:0:0:0:0:1]:53, @0:0:0:0:0:0:0:1",
        "[::1]:5353, [0:0:0:0:0:0:0:1]:5353, @0:0:0:0:0:0:0:1 -p 5353",
    })
    void parsesLiteralsWithOptionalPort(String literal, String label, String digTarget) {
        DnsServerAddress server = DnsServerAddress.parse(literal);
        assertThat(server.label()).isEqualTo(label);
        assertThat(server.digTarget()).isEqualTo(digTarget);
    }

    @ParameterizedTest
    @ValueSource(strings = {"resolver.example", "127.0.0.1:0", "127.0.0.1:70000", "[::1", "[::1]x", ""})
    void rejectsNamesAndBadPorts(String literal) {
        assertThatThrownBy(() -> DnsServerAddress.parse(literal)).hasMessageStartingWith("dns.resolvers: ")
                .hasMessageContaining("(expected: an IP literal");
    }
}
