package io.telltale.core.preflight;

import io.telltale.core.profile.CdnProfile;
import java.util.ArrayList;
import java.util.List;

/** Reads the profiles a preflight is asked to judge by, as the command line and the admin API name them. */
public final class PreflightProfiles {
    private PreflightProfiles() {
    }

    /**
     * Returns the named profiles in the order given, or every CDN when none is named.
     *
     * @param field the field the names came from, named in the error
     * @param names profile names such as {@code cloudfront}; blank entries are ignored
     * @throws IllegalArgumentException naming the field and the expected names when a name is no profile
     */
    public static List<CdnProfile> named(String field, List<String> names) {
        List<CdnProfile> out = new ArrayList<>();
        for (String name : names) {
            if (name.isBlank()) {
                continue;
            }
            CdnProfile p = CdnProfile.byName(name.trim());
            if (p == null) {
                throw new IllegalArgumentException(field + ": " + name + " (expected: cloudfront, cloudflare-full, "
                        + "cloudflare-strict, cloudflare-flexible, fastly, akamai or telltale)");
            }
            out.add(p);
        }
        return out.isEmpty() ? CdnProfile.vendors() : out;
    }
}
