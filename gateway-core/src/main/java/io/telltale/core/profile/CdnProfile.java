package io.telltale.core.profile;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The CDNs whose treatment of an origin the gateway can take on; {@link #TELLTALE} is the gateway's own. */
public enum CdnProfile {
    /** The gateway's own behaviour, unchanged. */
    TELLTALE(TelltaleProfile.SPEC),
    /** Amazon CloudFront toward a custom origin. */
    CLOUDFRONT(CloudFrontProfile.SPEC),
    /** Cloudflare in Full mode: the visitor's scheme, certificates not checked. */
    CLOUDFLARE_FULL(CloudflareProfile.FULL),
    /** Cloudflare in Full (strict) mode: the visitor's scheme, certificates checked. */
    CLOUDFLARE_STRICT(CloudflareProfile.STRICT),
    /** Cloudflare in Flexible mode: always plain HTTP to the origin. */
    CLOUDFLARE_FLEXIBLE(CloudflareProfile.FLEXIBLE),
    /** Fastly with a backend's documented defaults. */
    FASTLY(FastlyProfile.SPEC),
    /** Akamai with the Origin Server behaviour's documented defaults. */
    AKAMAI(AkamaiProfile.SPEC);

    private final ProfileSpec spec;

    CdnProfile(ProfileSpec spec) {
        this.spec = spec;
    }

    /** Returns the profile's data. */
    public ProfileSpec spec() {
        return spec;
    }

    /** Returns the profile's name as written in configuration and on the command line, e.g. {@code cloudflare-full}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Returns the profile written as {@code configName}, or null when there is none. */
    public static CdnProfile byName(String name) {
        for (CdnProfile p : values()) {
            if (p.configName().equals(name)) {
                return p;
            }
        }
        return null;
    }

    /** Returns every profile but Telltale's own, in declaration order. */
    public static List<CdnProfile> vendors() {
        return Arrays.stream(values()).filter(p -> p != TELLTALE).toList();
    }
}
