package io.telltale.server.lab;

import java.nio.file.Path;

/**
 * Where a running lab can be reached.
 *
 * @param httpPort the gateway's HTTP port
 * @param httpsPort the gateway's HTTPS port
 * @param adminPort the gateway's admin port
 * @param caFile the lab CA's PEM file, which HTTPS clients must trust
 * @param dnsResolver the lab DNS server as {@code IP:port}
 */
public record LabEndpoints(int httpPort, int httpsPort, int adminPort, Path caFile, String dnsResolver) {
    /** Returns the landing page's URL. */
    public String landingUrl() {
        return "http://" + LabScenario.DOMAIN + ":" + httpPort + "/";
    }

    /** Returns the admin URL of the scenario list as JSON. */
    public String scenariosJsonUrl() {
        return "http://127.0.0.1:" + adminPort + Lab.SCENARIOS_PATH;
    }

    /** Returns the admin URL of every origin's state, health checks and the origin doctor's warnings. */
    public String originsUrl() {
        return "http://127.0.0.1:" + adminPort + "/origins";
    }

    /** Returns an HTTPS URL of the healthy scenario. */
    public String httpsExampleUrl() {
        return "https://www." + LabScenario.DOMAIN + ":" + httpsPort + "/";
    }
}
