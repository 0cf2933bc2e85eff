package io.telltale.core.preflight;

import io.telltale.core.config.ConfigLoader;
import io.telltale.core.config.OriginConfig;
import io.telltale.core.diagnosis.ProbeTarget;
import io.telltale.core.profile.CdnProfile;

/**
 * The origin a CDN profile makes of a URL, built by loading a one-site configuration: the same defaults and the
 * same load-time refusals as a gateway configured with that profile.
 */
final class ProfileOrigins {
    private ProfileOrigins() {
    }

    /**
     * Returns the origin for this target under the profile.
     *
     * @throws io.telltale.core.config.ConfigException when the profile refuses the origin at configuration time
     */
    static OriginConfig origin(ProbeTarget target, CdnProfile profile) {
        String port = target.tls() ? "protocol: https-only, httpsPort: " + target.port()
                : "protocol: http-only, httpPort: " + target.port();
        // Every network is allowed: preflight refuses nothing a user points it at; the CDN's own rules still apply.
        String yaml = "dns: {resolvers: [127.0.0.1]}\n"
                + "sites:\n  - name: preflight\n    hosts: [preflight.invalid]\n"
                + "    allowedOriginNetworks: ['0.0.0.0/0', '::/0']\n"
                + "    profile: " + profile.configName() + "\n"
                + "    origins: [{host: " + quoted(target.host()) + ", " + port + "}]\n";
        return ConfigLoader.parse(yaml, "preflight " + profile.configName()).sites().get(0).origins().get(0);
    }

    private static String quoted(String text) {
        return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
