package io.telltale.core.preflight;

import io.telltale.core.config.ConfigException;
import io.telltale.core.config.OriginConfig;
import io.telltale.core.diagnosis.DiagnosisReport;
import io.telltale.core.diagnosis.DiagnosisStep;
import io.telltale.core.diagnosis.OriginProbe;
import io.telltale.core.diagnosis.ProbeOptions;
import io.telltale.core.diagnosis.ProbeTarget;
import io.telltale.core.diagnosis.StepStatus;
import io.telltale.core.dns.ProhibitedAddresses;
import io.telltale.core.failure.Failure;
import io.telltale.core.failure.FailureCode;
import io.telltale.core.profile.CdnProfile;
import io.telltale.core.profile.ProfileSpec;
import io.telltale.core.profile.Sourced;
import io.telltale.core.profile.VendorAnswer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Probes one origin once under each asked profile, through the gateway's own probe (resolver, connector, TLS recording
 * and classifier) with that profile's origin, and judges each result in that CDN's terms.
 *
 * @param probe the probe to run, shared by every profile
 * @param resolvers the gateway's resolvers; never the system's
 * @param caBundle extra trusted roots for HTTPS, or null
 * @param timeScale what every profile timeout is multiplied by (1 for the vendors' own; tests and the lab shorten them)
 * @param expiryWindowDays a certificate expiring within this many days is a warning
 * @param originRulePort whether an Origin Rule overrides the port Cloudflare connects to, so that an origin port
 *     its edge does not proxy is a warning rather than a failure
 * @param addressRules the addresses the probe may connect to, as the admin API limits them; null allows every one
 */
public record Preflight(OriginProbe probe, List<String> resolvers, String caBundle, double timeScale,
        int expiryWindowDays, boolean originRulePort, ProhibitedAddresses addressRules) {
    private static final Duration GRACE = Duration.ofSeconds(5);

    /** Runs the profiles against the URL and returns the matrix. */
    public PreflightReport run(String url, List<CdnProfile> profiles) throws InterruptedException {
        ProbeTarget target = ProbeTarget.parse(url);
        List<Verdict> verdicts = new ArrayList<>();
        for (CdnProfile profile : profiles) {
            verdicts.add(judge(target, profile));
        }
        return new PreflightReport(url, verdicts, Warnings.across(verdicts));
    }

    private Verdict judge(ProbeTarget target, CdnProfile profile) throws InterruptedException {
        ProfileSpec spec = profile.spec();
        ProbeTarget toward = ProfileOrigins.towardOrigin(target, profile, originRulePort);
        OriginConfig origin;
        try {
            origin = ProfileOrigins.origin(toward, profile);
        } catch (ConfigException e) {
            String problem = e.problems().get(0);
            return new Verdict(profile.configName(), spec.vendor(), false, 0, "configuration refused", null,
                    spec.vendor() + " refuses this origin when it is configured: " + problem,
                    "Give " + spec.vendor() + " an origin it accepts (" + problem.replaceFirst(".*\\(expected: ", "")
                            .replaceFirst("\\)$", "") + ").", List.of());
        }
        List<Integer> ports = target.tls() ? spec.httpsPorts() : spec.httpPorts();
        boolean portProxied = ports.isEmpty() || ports.contains(target.port());
        if (!portProxied && !originRulePort) {
            return new Verdict(profile.configName(), spec.vendor(), false, 0, "port not proxied", null,
                    spec.vendor() + " does not proxy port " + target.port() + ", and reaches the origin on the visitor's"
                            + " port",
                    "Serve the origin on one of " + ports + ", or add an Origin Rule that overrides the port.", List.of());
        }
        DiagnosisReport report = probe(toward, origin);
        Sourced<String> idle = spec.originDefaults().get("idleTimeout");
        List<String> warnings = new ArrayList<>(Warnings.of(report, origin, expiryWindowDays, spec.vendor(),
                idle != null && idle.known() ? origin.idleTimeout() : null));
        if (ProfileOrigins.flexibleOverHttps(target, profile) && toward.tls()) {
            warnings.add("Flexible applies to visitors on port 443 only: on port " + target.port() + " "
                    + spec.vendor() + " uses Full, TLS without a certificate check [C2]");
        }
        if (!portProxied) {
            warnings.add(spec.vendor() + " proxies no port " + target.port() + ": it reaches the origin only through the "
                    + "Origin Rule that overrides the port");
        }
        Failure failure = report.verdict().orElse(null);
        if (failure == null && report.complete()) {
            DiagnosisStep tcp = report.step("tcp");
            if (tcp.status() == StepStatus.OK && tcp.millis() > scaled(origin.connectTimeout()).toMillis()) {
                return failed(profile, FailureCode.ORIGIN_CONNECT_TIMEOUT, "connecting took " + tcp.millis() + " ms, over "
                        + spec.vendor() + "'s " + scaled(origin.connectTimeout()).toMillis() + " ms",
                        FailureCode.ORIGIN_CONNECT_TIMEOUT.ownerAdvice().get(0), warnings);
            }
            return new Verdict(profile.configName(), spec.vendor(), true, 0, null, null, "pass", null, warnings);
        }
        if (failure == null) {
            return failed(profile, FailureCode.ORIGIN_RESPONSE_TIMEOUT, "the origin did not answer within "
                    + scaled(origin.responseTimeout()).toMillis() + " ms", null, warnings);
        }
        List<String> advice = failure.code().ownerAdvice(failure.evidence());
        String fix = advice.isEmpty() ? null : advice.get(0);
        if (ProfileOrigins.flexibleOverHttps(target, profile) && !toward.tls()) {
            fix = spec.vendor() + " reaches the origin over plain HTTP on port " + toward.port() + ", never HTTPS [C2 C7]: "
                    + "serve HTTP there, or use Full (strict) for an HTTPS-only origin.";
        }
        return failed(profile, failure.code(), report.verdictLine(), fix, warnings);
    }

    private Verdict failed(CdnProfile profile, FailureCode code, String what, String fix, List<String> warnings) {
        VendorAnswer answer = profile.spec().answer(code.code());
        int status = answer != null && answer.statusKnown() ? answer.status() : code.status();
        return new Verdict(profile.configName(), profile.spec().vendor(), false, status,
                answer == null ? null : answer.code(), code.code(), what,
                fix == null ? code.ownerAdvice().get(0) : fix, warnings);
    }

    private DiagnosisReport probe(ProbeTarget target, OriginConfig origin) throws InterruptedException {
        ProbeOptions options = new ProbeOptions(resolvers, null, caBundle, scaled(origin.responseTimeout()), null,
                addressRules, 0, origin);
        try {
            return probe.probe(target, options).get(options.totalTimeout().plus(GRACE).toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the probe of " + target.url() + " did not finish: " + e, e);
        }
    }

    private Duration scaled(Duration d) {
        return Duration.ofNanos(Math.max(1_000_000L, (long) (d.toNanos() * timeScale)));
    }
}
