package io.telltale.server.cli;

import io.telltale.core.diagnosis.OriginProbe;
import io.telltale.core.diagnosis.ProbeTarget;
import io.telltale.core.preflight.Preflight;
import io.telltale.core.preflight.PreflightJson;
import io.telltale.core.preflight.PreflightJunit;
import io.telltale.core.preflight.PreflightProfiles;
import io.telltale.core.preflight.PreflightReport;
import io.telltale.core.preflight.PreflightText;
import io.telltale.core.profile.CdnProfile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Asks, before launch, whether CloudFront, Cloudflare, Fastly and Akamai would reach an origin, each in its own terms. */
@Command(name = "preflight", mixinStandardHelpOptions = true,
        description = {"Probe an origin once under each CDN profile (its origin rules, TLS offer and timeouts) and print",
                "a verdict per CDN: pass, or the error a visitor would get and the fix; plus warnings.",
                "Exit status: 0 every CDN passes, 1 passes with warnings, 3 a CDN fails, 2 bad input."})
final class PreflightCommand implements Callable<Integer> {
    /** The exit status when the arguments are unusable. */
    static final int BAD_INPUT = 2;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "URL", description = "The origin URL, http://HOST[:PORT]/PATH or https://...")
    private String url;

    @Option(names = "--cdn", paramLabel = "PROFILE", split = ",",
            description = "The profiles to judge by, comma-separated (default: every CDN): cloudfront, cloudflare-full, "
                    + "cloudflare-strict, cloudflare-flexible, fastly, akamai, telltale.")
    private List<String> cdns = new ArrayList<>();

    @Option(names = "--resolver", paramLabel = "IP[:PORT]",
            description = "A recursive resolver to ask, repeatable; host names are never looked up through the system resolver.")
    private List<String> resolvers = new ArrayList<>();

    @Option(names = "--ca-bundle", paramLabel = "FILE", description = "A PEM file of extra trusted root certificates.")
    private Path caBundle;

    @Option(names = "--json", description = "Print the matrix as JSON.")
    private boolean json;

    @Option(names = "--junit", paramLabel = "FILE", description = "Also write the matrix as a JUnit XML report.")
    private Path junit;

    @Option(names = "--expiry-window", paramLabel = "DAYS", defaultValue = "30",
            description = "Warn about a certificate expiring within this many days (default: ${DEFAULT-VALUE}).")
    private int expiryWindowDays;

    @Option(names = "--time-scale", paramLabel = "FACTOR", defaultValue = "1",
            description = "Multiply every CDN timeout by this factor (default: ${DEFAULT-VALUE}, the vendors' own); "
                    + "the lab uses a small one so a 20 s first byte is seen in a fraction of a second.")
    private double timeScale;

    @Option(names = "--origin-rule-port",
            description = "An Origin Rule overrides the port Cloudflare connects to: a port its edge does not proxy "
                    + "is a warning, not a failure.")
    private boolean originRulePort;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<CdnProfile> profiles;
        try {
            profiles = PreflightProfiles.named("--cdn", cdns);
            check(ProbeTarget.parse(url));
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.flush();
            return BAD_INPUT;
        }
        System.getProperties().putIfAbsent("dnsjava.nio.selector_timeout", "20");
        try (OriginProbe probe = new OriginProbe(Clock.systemUTC(), null)) {
            Preflight preflight = new Preflight(probe, resolvers, caBundle == null ? null : caBundle.toString(),
                    timeScale, expiryWindowDays, originRulePort, null);
            PreflightReport report = preflight.run(url, profiles);
            out.print(json ? PreflightJson.write(report) + System.lineSeparator() : PreflightText.render(report));
            if (junit != null) {
                Files.writeString(junit, PreflightJunit.write(report), StandardCharsets.UTF_8);
            }
            return report.exitStatus();
        } catch (IOException e) {
            err.println("--junit: " + junit + " (expected: a writable file; " + e.getMessage() + ")");
            return BAD_INPUT;
        } catch (IllegalArgumentException | IllegalStateException e) {
            err.println(e.getMessage());
            return PreflightReport.FAILURES;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return PreflightReport.FAILURES;
        } finally {
            out.flush();
            err.flush();
        }
    }

    private void check(ProbeTarget target) {
        ProbeArguments.check(resolvers, caBundle, target);
        if (!(timeScale > 0) || timeScale > 1) {
            throw new IllegalArgumentException("--time-scale: " + timeScale + " (expected: a factor above 0, at most 1)");
        }
    }
}
