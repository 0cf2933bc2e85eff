package io.telltale.core.profile;

import java.util.regex.Pattern;

/**
 * What a CDN accepts as an origin's name when it is configured, before any traffic.
 *
 * @param allowIpLiteral whether an IP address may stand for the name
 * @param maxLength the longest name accepted
 * @param allowed the characters a name may hold
 * @param source where the rule is documented
 */
public record OriginNameRule(boolean allowIpLiteral, int maxLength, Pattern allowed, String source) {
}
