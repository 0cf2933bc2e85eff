package io.telltale.core.config;

import java.net.URI;
import java.net.URISyntaxException;

/** Checks the observability section: the OTLP endpoint is an absolute http or https URL, its timeout above 0. */
final class ObserveValidator {
    private ObserveValidator() {
    }

    /** Adds a problem for each setting of {@code observe} that cannot work. */
    static void check(ObserveConfig observe, Problems problems) {
        OtlpConfig otlp = observe == null ? null : observe.otlp();
        if (otlp == null) {
            return;
        }
        if (otlp.endpoint() == null || !isHttpUrl(otlp.endpoint())) {
            problems.add("observe.otlp.endpoint", Problems.shorten(String.valueOf(otlp.endpoint())),
                    "an http or https URL such as http://127.0.0.1:4318/v1/traces");
        }
        if (otlp.timeout().isNegative() || otlp.timeout().isZero()) {
            problems.add("observe.otlp.timeout", Durations.format(otlp.timeout()), "a duration above 0");
        }
    }

    private static boolean isHttpUrl(String text) {
        try {
            URI uri = new URI(text);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
