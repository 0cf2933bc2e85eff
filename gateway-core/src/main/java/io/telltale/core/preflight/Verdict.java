package io.telltale.core.preflight;

import java.util.List;

/**
 * One CDN's verdict on an origin.
 *
 * @param profile the profile's configuration name, e.g. {@code cloudfront}
 * @param vendor the CDN's name
 * @param pass whether a visitor would be served
 * @param status the status a visitor would get, 0 when it passes or the CDN would refuse the configuration itself
 * @param cdnError the CDN's own name for the failure, or null
 * @param code Telltale's catalogue code for the failure, or null
 * @param what one line saying what fails, or {@code pass}
 * @param fix one line saying how to make it pass, or null when it passes
 * @param warnings what would break later under this CDN
 */
public record Verdict(String profile, String vendor, boolean pass, int status, String cdnError, String code,
        String what, String fix, List<String> warnings) {

    public Verdict {
        warnings = List.copyOf(warnings);
    }
}
