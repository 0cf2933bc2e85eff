package io.telltale.core.failure;

import java.time.Instant;

/**
 * Writes the self-contained HTML pages a person reads: the page of a failed request (what happened in one
 * sentence, what to do, and for trusted clients the evidence drawn as a waterfall, certificate cards and a
 * delegation table) and the catalogue page of one entry.
 *
 * <p>Every value that did not come from this class is HTML-escaped: the Host, the evidence and even the
 * catalogue texts, so that no request data can inject markup. Nothing is fetched: the style is inline and
 * there is no script.
 */
final class ErrorPage {
    private ErrorPage() {
    }

    /**
     * Returns the HTML page for a failed request.
     *
     * @param v what the client may see
     * @param timeline the request's timeline, drawn for trusted clients only, or null
     * @param now the instant of the answer, against which certificate dates are told, or null
     */
    static String html(ErrorView v, RequestTimeline timeline, Instant now) {
        FailureCode c = v.code();
        StringBuilder out = new StringBuilder(8192);
        head(out, v.host() == null ? c.title() : v.host() + " | " + v.status() + ": " + c.title());
        out.append("<header><p class=\"code\">Error ").append(v.status()).append(" &middot; ").append(Html.esc(c.code()));
        if (c.edgeNumber() != null) {
            out.append(" &middot; edge ").append(Html.esc(c.edgeNumber()));
        }
        out.append("</p><h1>").append(Html.esc(c.title())).append("</h1></header>");
        strip(out, v);
        out.append("<section class=\"what\"><h2>What happened?</h2><p id=\"what-happened\">")
                .append(RemediationHtml.prose(WhatHappened.sentence(v, now))).append("</p></section>");
        out.append("<section><h2>What can I do?</h2><h3>If you are a visitor of this site</h3><p>")
                .append(RemediationHtml.prose(c.visitorAdvice())).append("</p>");
        if (v.trusted() && !v.remediation().isEmpty()) {
            out.append("<h3>If you are the owner of this site</h3><ol class=\"steps-to-fix\">");
            for (String step : v.remediation()) {
                out.append("<li>").append(RemediationHtml.step(step)).append("</li>");
            }
            out.append("</ol>");
        }
        out.append("</section>");
        if (v.trusted()) {
            out.append("<section class=\"evidence\"><h2>Evidence</h2>");
            TimelineWaterfall.write(out, v.steps(), timeline);
            CertificateCards.write(out, v, now);
            DelegationTable.write(out, v.evidence());
            EvidenceFacts.write(out, v);
            out.append("</section>");
        }
        if (!v.attempts().isEmpty()) {
            out.append("<section class=\"attempts\"><h2>Attempts</h2><ol>");
            for (AttemptRecord a : v.attempts()) {
                out.append("<li>").append(Html.esc(a.describe())).append("</li>");
            }
            out.append("</ol></section>");
        }
        alsoKnownAs(out, c);
        out.append("<footer><p>Request id: <code>").append(Html.esc(v.requestId())).append("</code> &middot; <a href=\"")
                .append(Html.esc(v.typeUri())).append("\">About ").append(Html.esc(c.code())).append("</a> &middot; ")
                .append(Html.esc(v.gatewayName())).append("</p></footer></main></body></html>\n");
        return out.toString();
    }

    /** Returns the HTML catalogue page of one entry. */
    static String entryHtml(FailureCode c, String gatewayName) {
        StringBuilder out = new StringBuilder(4096);
        head(out, c.code() + " | " + c.title());
        out.append("<header><p class=\"code\">").append(Html.esc(c.code())).append("</p><h1>").append(Html.esc(c.title()))
                .append("</h1></header><section><dl class=\"facts\">");
        fact(out, "Status", String.valueOf(c.status()));
        fact(out, "Edge error", c.edgeNumber() == null ? "-" : c.edgeNumber());
        fact(out, "Phase", c.phase().label());
        fact(out, "Proxy-Status", c.proxyStatusError());
        out.append("</dl></section><section><h2>What it means</h2><p>").append(RemediationHtml.prose(c.meaning()))
                .append("</p><h2>What a visitor can do</h2><p>").append(RemediationHtml.prose(c.visitorAdvice()))
                .append("</p><h2>What the owner can do</h2><ol class=\"steps-to-fix\">");
        for (String step : c.ownerAdvice()) {
            out.append("<li>").append(RemediationHtml.step(step)).append("</li>");
        }
        out.append("</ol></section>");
        alsoKnownAs(out, c);
        out.append("<footer><p>").append(Html.esc(gatewayName)).append("</p></footer></main></body></html>\n");
        return out.toString();
    }

    private static void head(StringBuilder out, String title) {
        out.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">")
                // An empty inline icon, or the browser fetches /favicon.ico from the failing site.
                .append("<link rel=\"icon\" href=\"data:,\"><title>")
                .append(Html.esc(title)).append("</title><style>").append(ErrorPageStyle.CSS).append("</style></head><body><main>");
    }

    private static void strip(StringBuilder out, ErrorView v) {
        boolean gatewayFailed = v.steps().stream().noneMatch(s -> s.state() == HopStrip.State.FAILED);
        out.append("<div class=\"strip\"><div class=\"hop ok\">You<br><small>browser</small></div>&rarr;")
                .append("<div class=\"hop ").append(gatewayFailed ? "failed" : "ok").append("\">").append(Html.esc(v.gatewayName()))
                .append("<br><small>gateway</small></div>&rarr;<div class=\"steps\">");
        for (HopStrip.Step s : v.steps()) {
            out.append("<span class=\"step ").append(s.state().label().replace(' ', '-')).append("\" title=\"")
                    .append(s.state().label()).append("\">").append(s.name()).append(' ').append(symbol(s.state())).append("</span>");
        }
        out.append("</div>&rarr;<div class=\"hop").append(gatewayFailed ? "" : " failed").append("\">")
                .append(v.origin() == null ? "origin" : Html.esc(v.origin())).append("<br><small>origin</small></div></div>");
    }

    private static String symbol(HopStrip.State state) {
        return switch (state) {
            case OK -> "&#10003;";
            case FAILED -> "&#10007;";
            case SKIPPED -> "&ndash;";
            case NOT_REACHED -> "&middot;";
        };
    }

    private static void alsoKnownAs(StringBuilder out, FailureCode c) {
        out.append("<section><h2>Also known as</h2><table class=\"aka\">");
        for (AlsoKnownAs a : c.alsoKnownAs()) {
            out.append("<tr><td>").append(Html.esc(a.vendor())).append("</td><td>").append(Html.esc(a.name())).append("</td></tr>");
        }
        out.append("</table></section>");
    }

    private static void fact(StringBuilder out, String name, String value) {
        out.append("<dt>").append(Html.esc(name)).append("</dt><dd>").append(Html.esc(value)).append("</dd>");
    }
}
