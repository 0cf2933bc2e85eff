package io.telltale.core.failure;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The certificate chain an origin presented, as one card per certificate: its name, issuer, names,
 * validity as a bar with today marked, and, on the one that failed, why.
 */
final class CertificateCards {
    private CertificateCards() {
    }

    /** Writes the cards when the evidence holds a chain. */
    static void write(StringBuilder out, ErrorView v, Instant now) {
        if (!(v.evidence().get("chain") instanceof List<?> chain) || chain.isEmpty()) {
            return;
        }
        Instant at = now != null ? now : Html.instant(v.evidence().get("now"));
        out.append("<h3>Certificate chain</h3><ol class=\"chain\">");
        for (int i = 0; i < chain.size(); i++) {
            if (chain.get(i) instanceof Map<?, ?> cert) {
                card(out, i, chain.size(), cert, problem(v, i, cert, at), at);
            }
        }
        out.append("</ol>");
    }

    private static void card(StringBuilder out, int index, int count, Map<?, ?> cert, String problem, Instant now) {
        String subject = str(cert.get("subject"));
        out.append("<li class=\"cert").append(problem == null ? "" : " failed").append("\"><div class=\"cert-head\">")
                .append("<span class=\"role\">").append(role(index, count, cert)).append("</span> <strong>")
                .append(Html.esc(Html.commonName(subject))).append("</strong></div>");
        if (problem != null) {
            out.append("<p class=\"verdict\">&#10007; ").append(Html.esc(problem)).append("</p>");
        }
        out.append("<dl class=\"facts\"><dt>Subject</dt><dd>").append(Html.esc(subject)).append("</dd><dt>Issued by</dt><dd>")
                .append(Html.esc(str(cert.get("issuer")))).append("</dd>");
        // A CA certificate's "names" are only its common name again; the leaf's are what the host is checked against.
        if (index == 0 && cert.get("subjectAltNames") instanceof List<?> names && !names.isEmpty()) {
            out.append("<dt>Names</dt><dd>").append(Html.esc(String.join(", ", names.stream().map(String::valueOf).toList())))
                    .append("</dd>");
        }
        Instant from = Html.instant(cert.get("notBefore"));
        Instant to = Html.instant(cert.get("notAfter"));
        if (from != null && to != null) {
            out.append("<dt>Valid</dt><dd>").append(Html.day(from)).append(" &ndash; ").append(Html.day(to)).append("</dd></dl>");
            validityBar(out, from, to, now);
        } else {
            out.append("</dl>");
        }
        out.append("</li>");
    }

    /** Draws the validity period on a scale that also holds now, so an expired certificate shows the gap. */
    private static void validityBar(StringBuilder out, Instant from, Instant to, Instant now) {
        long start = from.getEpochSecond();
        long end = to.getEpochSecond();
        long lo = now == null ? start : Math.min(start, now.getEpochSecond());
        long hi = now == null ? end : Math.max(end, now.getEpochSecond());
        long margin = Math.max(1, (hi - lo) / 20);
        lo -= margin;
        hi += margin;
        boolean valid = now == null || (!now.isBefore(from) && !now.isAfter(to));
        out.append("<div class=\"validity\" role=\"img\" aria-label=\"valid from ").append(Html.day(from)).append(" to ")
                .append(Html.day(to)).append("\"><span class=\"period").append(valid ? "" : " out").append("\" style=\"left:")
                .append(percent(start, lo, hi)).append("%;width:").append(percent(end, lo, hi) - percent(start, lo, hi))
                .append("%\"></span>");
        if (now != null) {
            double x = percent(now.getEpochSecond(), lo, hi);
            out.append("<span class=\"now\" style=\"left:").append(x).append("%\"></span><span class=\"now-label")
                    .append(x > 80 ? " end" : "").append("\" style=\"left:").append(x).append("%\">now</span>");
        }
        out.append("</div>");
    }

    private static double percent(long t, long lo, long hi) {
        return Math.round(1000.0 * (t - lo) / (hi - lo)) / 10.0;
    }

    private static String role(int index, int count, Map<?, ?> cert) {
        if (index == 0) {
            return "leaf";
        }
        if (index == count - 1 && Boolean.TRUE.equals(cert.get("selfSigned"))) {
            return "root";
        }
        return "intermediate";
    }

    /** Returns why this certificate failed, or null when it is not the one that failed. */
    private static String problem(ErrorView v, int index, Map<?, ?> cert, Instant now) {
        Map<String, Object> e = v.evidence();
        String subject = str(cert.get("subject"));
        Instant from = Html.instant(cert.get("notBefore"));
        Instant to = Html.instant(cert.get("notAfter"));
        if (now != null && to != null && now.isAfter(to)) {
            return "expired on " + Html.dayAndTime(to) + ", " + Html.relative(to, now);
        }
        if (now != null && from != null && now.isBefore(from)) {
            return "not valid until " + Html.dayAndTime(from) + ", " + Html.relative(from, now);
        }
        return switch (v.code()) {
            case ORIGIN_SSL_CERTIFICATE_NAME_MISMATCH -> index == 0 ? "not valid for " + e.get("expectedName") : null;
            case ORIGIN_SSL_SELF_SIGNED_CERTIFICATE -> index == 0 ? "signed by itself, and not trusted" : null;
            case ORIGIN_SSL_UNTRUSTED_ROOT -> subject != null && subject.equals(e.get("untrustedRoot"))
                    ? "a root the gateway does not trust" : null;
            case ORIGIN_SSL_INCOMPLETE_CHAIN -> subject != null && subject.equals(e.get("lastCertificateSent"))
                    ? "its issuer " + Html.commonName(str(e.get("missingIssuer"))) + " was not sent" : null;
            case ORIGIN_SSL_CHAIN_OUT_OF_ORDER -> outOfOrder(e, index, subject);
            default -> null;
        };
    }

    private static String outOfOrder(Map<String, Object> e, int index, String subject) {
        if (!(e.get("orderExpected") instanceof List<?> expected)) {
            return null;
        }
        int belongs = expected.indexOf(subject);
        return belongs >= 0 && belongs != index
                ? String.format(Locale.ROOT, "sent at position %d, belongs at position %d", index, belongs) : null;
    }

    private static String str(Object o) {
        return o == null ? null : String.valueOf(o);
    }
}
