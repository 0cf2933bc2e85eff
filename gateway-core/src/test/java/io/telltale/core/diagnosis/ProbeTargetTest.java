package io.telltale.core.diagnosis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProbeTargetTest {
    @Test
    void schemeDefaultsThePortAndPathWhenTheUrlOmitsThem() {
        ProbeTarget t = ProbeTarget.parse("HTTPS://WWW.Example.TEST.");

        assertThat(t.tls()).isTrue();
        assertThat(t.host()).isEqualTo("www.example.test");
        assertThat(t.port()).isEqualTo(443);
        assertThat(t.path()).isEqualTo("/");
        assertThat(t.ipLiteral()).isFalse();
        assertThat(t.urlFor("origin.test")).isEqualTo("https://origin.test/");
    }

    @Test
    void portPathAndQueryAreKeptWhenGiven() {
        ProbeTarget t = ProbeTarget.parse("http://origin.test:8080/a%20b?x=1&y=2");

        assertThat(t.port()).isEqualTo(8080);
        assertThat(t.path()).isEqualTo("/a%20b?x=1&y=2");
        assertThat(t.authority("origin.test")).isEqualTo("origin.test:8080");
    }

    @Test
    void ipv6LiteralLosesItsBracketsAndRegainsThemInUrls() {
        ProbeTarget t = ProbeTarget.parse("http://[::1]:8080/");

        assertThat(t.host()).isEqualTo("::1");
        assertThat(t.ipLiteral()).isTrue();
        assertThat(t.urlFor(t.host())).isEqualTo("http://[::1]:8080/");
    }

    @Test
    void anythingButAnHttpOrHttpsUrlIsRefusedWithTheFieldNamed() {
        assertThatThrownBy(() -> ProbeTarget.parse("ftp://x")).hasMessage("url: ftp://x (expected: an http or https URL)");
        assertThatThrownBy(() -> ProbeTarget.parse("origin.test")).hasMessageStartingWith("url: origin.test (expected:");
        assertThatThrownBy(() -> ProbeTarget.parse("http://user@origin.test/")).hasMessageContaining("expected: an http or https URL");
        assertThatThrownBy(() -> ProbeTarget.parse("http://origin.test:70000/")).hasMessageContaining("expected: an http or https URL");
        assertThatThrownBy(() -> ProbeTarget.parse("http:// bad/")).hasMessageContaining("expected: an http or https URL");
    }
}
