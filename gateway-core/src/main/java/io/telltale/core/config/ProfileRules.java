package io.telltale.core.config;

import io.telltale.core.http.HostNames;
import io.telltale.core.profile.OriginNameRule;
import io.telltale.core.profile.ProfileSpec;
import io.telltale.core.profile.Sourced;

/**
 * Refuses, at load, an origin its CDN profile would refuse when the CDN is configured (CloudFront: an IP literal, a
 * long or oddly spelled name, a TLS version it has no value for), naming the field. CloudFront's port rule is the gateway's own and is checked by
 * {@link OriginValidator}; Cloudflare's proxied ports concern the visitor's port and are preflight's to report.
 */
final class ProfileRules {
    private ProfileRules() {
    }

    /** Checks an origin at {@code path} against its profile's rules. */
    static void check(OriginConfig origin, String path, Problems problems) {
        if (origin.profile() == null) {
            return;
        }
        ProfileSpec spec = origin.profile().spec();
        checkName(origin.host(), spec, Problems.child(path, "host"), problems);
        checkMaxTls(origin.maxTlsVersion(), spec, Problems.child(path, "maxTlsVersion"), problems);
    }

    /** A profile's {@code maxTlsVersion} is the highest version that CDN offers an origin: a higher one is refused. */
    private static void checkMaxTls(String version, ProfileSpec spec, String path, Problems problems) {
        Sourced<String> max = spec.originDefaults().get("maxTlsVersion");
        if (version != null && max != null && max.known() && version.compareTo(max.value()) > 0) {
            problems.add(path, version, "at most " + max.value() + ": " + spec.vendor()
                    + " has no higher version toward origins [" + max.source() + "]");
        }
    }

    private static void checkName(String host, ProfileSpec spec, String path, Problems problems) {
        OriginNameRule rule = spec.nameRule();
        if (rule == null || host == null) {
            return;
        }
        String why = null;
        if (!rule.allowIpLiteral() && HostNames.isIpLiteral(host)) {
            why = "a DNS name: " + spec.vendor() + " refuses an IP address as an origin (origin name must be a domain name)";
        } else if (host.length() > rule.maxLength()) {
            why = "a DNS name of at most " + rule.maxLength() + " characters, as " + spec.vendor() + " requires";
        } else if (!rule.allowed().matcher(host).matches()) {
            why = "a DNS name of letters, digits, '.', '-' and '_' only, as " + spec.vendor() + " requires";
        }
        if (why != null) {
            problems.add(path, Problems.shorten(host), why + " [" + rule.source() + "]");
        }
    }
}
