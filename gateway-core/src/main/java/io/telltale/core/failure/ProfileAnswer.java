package io.telltale.core.failure;

import io.telltale.core.profile.CdnProfile;
import io.telltale.core.profile.ProfileSpec;
import io.telltale.core.profile.VendorAnswer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns the gateway's error into the answer a site's CDN profile would give (that CDN's status, its {@code X-Cache}
 * wording and its own name for the failure) while keeping Telltale's code, {@code Proxy-Status} and explaining body.
 */
public final class ProfileAnswer {
    /** The header naming the profile a response was answered under. */
    public static final String PROFILE_HEADER = "X-Telltale-Profile";
    /** The header carrying the CDN's own name for the failure: a detailed result type, a code or a reason. */
    public static final String CDN_ERROR_HEADER = "X-Telltale-Cdn-Error";

    private ProfileAnswer() {
    }

    /** Returns the error as the profile answers it; unchanged under Telltale's own profile or for a code it keeps. */
    public static RenderedError apply(RenderedError error, CdnProfile profile, FailureCode code) {
        if (profile == null || profile == CdnProfile.TELLTALE) {
            return error;
        }
        ProfileSpec spec = profile.spec();
        VendorAnswer answer = spec.answer(code.code());
        if (answer == null) {
            return error;
        }
        List<Map.Entry<String, String>> headers = new ArrayList<>(error.headers().size() + 2);
        for (Map.Entry<String, String> h : error.headers()) {
            if (spec.xCache() != null && h.getKey().equalsIgnoreCase("X-Cache")) {
                headers.add(Map.entry(h.getKey(), spec.xCache()));
            } else {
                headers.add(h);
            }
        }
        headers.add(Map.entry(PROFILE_HEADER, profile.configName()));
        if (answer.code() != null) {
            headers.add(Map.entry(CDN_ERROR_HEADER, answer.code()));
        }
        return new RenderedError(answer.statusKnown() ? answer.status() : error.status(), headers,
                error.contentType(), error.body());
    }
}
