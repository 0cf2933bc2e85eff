package io.telltale.server.lab;

/**
 * One origin of the lab's CDN matrix: an origin some CDNs reach and others do not.
 *
 * @param name a short name, the row's id on the landing page
 * @param breaks what about the origin the CDNs disagree on
 * @param url the origin URL preflight probes, through the lab DNS
 * @param originRulePort whether Cloudflare is told an Origin Rule sets its port, so that only the origin itself is judged
 */
record CdnCase(String name, String breaks, String url, boolean originRulePort) {
    /** Returns the {@code telltale preflight} command that prints this row's verdicts, for the landing page and the tour. */
    String command(String resolver, String caFile, double timeScale) {
        return "./telltale preflight " + url + " --resolver " + resolver
                + (url.startsWith("https:") ? " --ca-bundle " + caFile : "")
                + (originRulePort ? " --origin-rule-port" : "") + (timeScale < 1 ? " --time-scale " + timeScale : "");
    }
}
