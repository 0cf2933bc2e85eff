package io.telltale.core.failure;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The one sentence under "What happened?" on the HTML page, built from the failure's evidence so that it
 * names the host, the certificate, the date or the port instead of repeating the title.
 *
 * <p>It is the page's only source of that sentence: when the failure model carries such a sentence of its
 * own, this class is where the page switches to it. Public visitors get the catalogue's meaning, which
 * names nothing.
 */
final class WhatHappened {
    private WhatHappened() {
    }

    /** Returns the sentence for a view; {@code now} may be null, and then dates are told without "ago". */
    static String sentence(ErrorView v, Instant now) {
        if (!v.trusted()) {
            return v.detail();
        }
        Map<String, Object> e = v.evidence();
        String built = switch (v.code()) {
            case ORIGIN_SSL_CERTIFICATE_EXPIRED -> validity(e, now, true);
            case ORIGIN_SSL_CERTIFICATE_NOT_YET_VALID -> validity(e, now, false);
            case ORIGIN_SSL_CERTIFICATE_NAME_MISMATCH -> nameMismatch(e);
            case ORIGIN_SSL_SELF_SIGNED_CERTIFICATE -> selfSigned(e);
            case ORIGIN_SSL_UNTRUSTED_ROOT -> untrustedRoot(e);
            case ORIGIN_SSL_INCOMPLETE_CHAIN -> incompleteChain(e);
            case ORIGIN_CONNECTION_REFUSED -> refused(e);
            case ORIGIN_CONNECT_TIMEOUT -> connectTimeout(e, v);
            default -> null;
        };
        if (built != null) {
            return built;
        }
        boolean useless = v.detail().isEmpty() || v.detail().equals(v.code().title()) || EvidenceFacts.javaName(v.detail());
        return useless ? v.code().meaning() : v.detail();
    }

    private static String validity(Map<String, Object> e, Instant now, boolean expired) {
        Instant at = Html.instant(e.get(expired ? "notAfter" : "notBefore"));
        Object host = e.get("host");
        if (at == null || host == null) {
            return null;
        }
        Object index = e.get("certificateIndex");
        String whose = index instanceof Number n && n.intValue() > 0
                ? "The intermediate certificate " + quoted(Html.commonName(str(e.get("certificate")))) + " (chain position "
                        + n.intValue() + ") sent by " + host
                : "The certificate of " + host;
        String when = Html.dayAndTime(at) + (now == null ? "" : ", " + Html.relative(at, now));
        return whose + (expired ? " expired on " + when + "." : " is not valid until " + when + ".");
    }

    private static String nameMismatch(Map<String, Object> e) {
        Object expected = e.get("expectedName");
        Object host = e.get("host");
        if (expected == null || host == null || !(e.get("certificateNames") instanceof List<?> names)) {
            return null;
        }
        return "The certificate that " + host + " presents is for " + (names.isEmpty() ? "no name at all" : join(names))
                + ", not for " + expected + ".";
    }

    private static String selfSigned(Map<String, Object> e) {
        Map<?, ?> leaf = chainAt(e, 0);
        if (leaf == null) {
            return null;
        }
        return e.get("host") + " presents a certificate for " + join(names(leaf))
                + " that it signed itself, so no authority the gateway trusts vouches for it.";
    }

    private static String untrustedRoot(Map<String, Object> e) {
        Object root = e.get("untrustedRoot");
        if (root == null) {
            return null;
        }
        return "The certificate chain of " + e.get("host") + " ends at the root " + quoted(Html.commonName(str(root)))
                + ", which is not among the roots the gateway trusts.";
    }

    private static String incompleteChain(Map<String, Object> e) {
        Object missing = e.get("missingIssuer");
        Object last = e.get("lastCertificateSent");
        if (missing == null || last == null) {
            return null;
        }
        return e.get("host") + " sent its chain up to " + quoted(Html.commonName(str(last))) + " but not the intermediate "
                + quoted(Html.commonName(str(missing))) + " that issued it, so the chain does not reach a trusted root.";
    }

    private static String refused(Map<String, Object> e) {
        Object port = e.get("origin.port");
        if (port == null) {
            return null;
        }
        String alternate = e.get("alternatePort") instanceof String a && a.endsWith(" answers TLS")
                ? ", but " + a + ": set httpsPort: " + a.substring("port ".length(), a.indexOf(' ', "port ".length())) + "." : ".";
        return hostAndAddress(e) + " refused the gateway's connection to port " + port + ": nothing is listening there"
                + alternate;
    }

    private static String connectTimeout(Map<String, Object> e, ErrorView v) {
        Object port = e.get("origin.port");
        if (port == null) {
            return null;
        }
        long millis = v.steps().size() > 1 ? v.steps().get(1).millis() : -1;
        return hostAndAddress(e) + " did not answer the gateway's connection to port " + port
                + (millis >= 0 ? " within " + millis + " ms" : "") + ": packets are dropped on the way or at the host.";
    }

    private static String hostAndAddress(Map<String, Object> e) {
        Object host = e.get("origin.host");
        Object address = e.get("origin.address");
        if (address == null || address.equals(host)) {
            return String.valueOf(host);
        }
        return host + " (" + address + ")";
    }

    private static Map<?, ?> chainAt(Map<String, Object> e, int index) {
        if (e.get("chain") instanceof List<?> chain && chain.size() > index && chain.get(index) instanceof Map<?, ?> m) {
            return m;
        }
        return null;
    }

    private static List<?> names(Map<?, ?> certificate) {
        return certificate.get("subjectAltNames") instanceof List<?> l && !l.isEmpty()
                ? l : List.of(Html.commonName(str(certificate.get("subject"))));
    }

    private static String join(List<?> items) {
        return String.join(", ", items.stream().map(String::valueOf).toList());
    }

    private static String quoted(String s) {
        return "\u201c" + s + "\u201d";
    }

    private static String str(Object o) {
        return o == null ? null : String.valueOf(o);
    }
}
