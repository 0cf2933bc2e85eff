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
    private static final int HTTP_PORT = 80;
    private static final int HTTPS_PORT = 443;

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

    /**
     * Returns where the CDN connects for a visitor at this URL. Cloudflare's Flexible mode speaks plain HTTP to the
     * origin: on port 80 for a visitor on 443, or on the URL's own port when an Origin Rule sets the port [C2 C7 C10];
     * a visitor on another HTTPS port gets Full instead [C2], so that target is kept. Every other profile connects as
     * the URL says.
     */
    static ProbeTarget towardOrigin(ProbeTarget visitor, CdnProfile profile, boolean originRulePort) {
        if (!flexibleOverHttps(visitor, profile)) {
            return visitor;
        }
        if (originRulePort) {
            return new ProbeTarget(visitor.url(), false, visitor.host(), visitor.port(), visitor.path());
        }
        return visitor.port() == HTTPS_PORT
                ? new ProbeTarget(visitor.url(), false, visitor.host(), HTTP_PORT, visitor.path())
                : visitor;
    }

    /** Returns whether a visitor on HTTPS meets Cloudflare's Flexible mode, which never uses TLS to the origin. */
    static boolean flexibleOverHttps(ProbeTarget visitor, CdnProfile profile) {
        return profile == CdnProfile.CLOUDFLARE_FLEXIBLE && visitor.tls();
    }

    private static String quoted(String text) {
        return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
