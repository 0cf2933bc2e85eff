package io.telltale.core.profile;

import java.util.List;
import java.util.Map;

/**
 * Everything one CDN profile says about an origin, each value with its source.
 *
 * @param vendor the CDN's name as its users know it
 * @param originDefaults origin settings, keyed by their field in an origin's configuration and written as in YAML,
 *     that this CDN uses unless the origin sets them itself; unknown values leave Telltale's own default
 * @param nameRule what the CDN accepts as an origin name when it is configured, or null for any name or address
 * @param httpPorts the only origin ports the CDN reaches over HTTP, or empty for any allowed port
 * @param httpsPorts the only origin ports the CDN reaches over HTTPS, or empty for any allowed port
 * @param portsSource where the port rule is documented
 * @param connectAttempts how many times a connect is tried before the CDN gives up
 * @param retriedMethods the methods the CDN sends again after a response timeout
 * @param groups the key-exchange groups offered toward the origin
 * @param requestLimits the limits the CDN puts on a visitor's request before it contacts the origin
 * @param headersAdded headers the CDN adds toward the origin (or sets, replacing the visitor's)
 * @param headersStripped headers the CDN removes before forwarding; a name ending in {@code *} is a prefix
 * @param errorCaching how the CDN caches the origin's (and its own) errors by default
 * @param xCache the {@code X-Cache} the CDN sends with its own errors, or null when it sends none
 * @param answers the CDN's answer per Telltale catalogue code; a code missing here keeps Telltale's answer
 * @param siteDefaults site settings, keyed by their path in a site's configuration (e.g. {@code cache.errorTtl}),
 *     that this CDN uses unless the site sets them itself; unknown values leave Telltale's own default
 */
public record ProfileSpec(
        String vendor,
        Map<String, Sourced<String>> originDefaults,
        OriginNameRule nameRule,
        List<Integer> httpPorts,
        List<Integer> httpsPorts,
        String portsSource,
        Sourced<Integer> connectAttempts,
        Sourced<List<String>> retriedMethods,
        Sourced<List<String>> groups,
        Sourced<List<RequestLimit>> requestLimits,
        Sourced<List<AddedHeader>> headersAdded,
        Sourced<List<String>> headersStripped,
        Sourced<String> errorCaching,
        String xCache,
        Map<String, VendorAnswer> answers,
        Map<String, Sourced<String>> siteDefaults) {

    /** Returns the CDN's answer to a failure with this catalogue code, or null when it answers as Telltale does. */
    public VendorAnswer answer(String code) {
        return answers.get(code);
    }
}
