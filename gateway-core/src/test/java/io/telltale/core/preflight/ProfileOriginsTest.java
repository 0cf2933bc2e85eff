package io.telltale.core.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import io.telltale.core.config.OriginProtocol;
import io.telltale.core.diagnosis.ProbeTarget;
import io.telltale.core.profile.CdnProfile;
import org.junit.jupiter.api.Test;

class ProfileOriginsTest {

    @Test
    void flexibleReachesAnHttpsVisitorsOriginOverPlainHttpOnPort80() {
        ProbeTarget toward = ProfileOrigins.towardOrigin(ProbeTarget.parse("https://origin.example.com/health"),
                CdnProfile.CLOUDFLARE_FLEXIBLE, false);

        assertThat(toward.tls()).isFalse();
        assertThat(toward.port()).isEqualTo(80);
        assertThat(toward.path()).isEqualTo("/health");
        assertThat(ProfileOrigins.origin(toward, CdnProfile.CLOUDFLARE_FLEXIBLE).protocol())
                .isEqualTo(OriginProtocol.HTTP_ONLY);
    }

    @Test
    void flexibleWithAnOriginRulePortUsesPlainHttpOnTheUrlsPort() {
        ProbeTarget toward = ProfileOrigins.towardOrigin(ProbeTarget.parse("https://origin.example.com:9443/"),
                CdnProfile.CLOUDFLARE_FLEXIBLE, true);

        assertThat(toward.tls()).isFalse();
        assertThat(toward.port()).isEqualTo(9443);
    }

    @Test
    void flexibleOnAnotherHttpsPortFallsBackToFullAndOtherProfilesKeepTheUrl() {
        ProbeTarget on8443 = ProbeTarget.parse("https://origin.example.com:8443/");
        assertThat(ProfileOrigins.towardOrigin(on8443, CdnProfile.CLOUDFLARE_FLEXIBLE, false)).isEqualTo(on8443);

        ProbeTarget https = ProbeTarget.parse("https://origin.example.com/");
        assertThat(ProfileOrigins.towardOrigin(https, CdnProfile.CLOUDFLARE_FULL, false)).isEqualTo(https);
        ProbeTarget http = ProbeTarget.parse("http://origin.example.com:8080/");
        assertThat(ProfileOrigins.towardOrigin(http, CdnProfile.CLOUDFLARE_FLEXIBLE, false)).isEqualTo(http);
    }
}
