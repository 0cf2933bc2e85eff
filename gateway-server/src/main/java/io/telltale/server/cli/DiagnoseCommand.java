package io.telltale.server.cli;

import io.telltale.core.config.Durations;
import io.telltale.core.diagnosis.DiagnosisJson;
import io.telltale.core.diagnosis.DiagnosisReport;
import io.telltale.core.diagnosis.DiagnosisText;
import io.telltale.core.diagnosis.OriginProbe;
import io.telltale.core.diagnosis.ProbeOptions;
import io.telltale.core.diagnosis.ProbeTarget;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Probes an origin from a terminal, step by step, and prints what the gateway would answer and how to check it. */
@Command(name = "diagnose", mixinStandardHelpOptions = true,
        description = {"Probe an origin step by step (DNS, TCP, TLS, HTTP): each step ok or FAILED with its evidence,",
                "the error code the gateway would answer with, and the commands that repeat each check.",
                "Exit status: 0 healthy, 3 a step failed, 2 bad input."})
final class DiagnoseCommand implements Callable<Integer> {
    /** The exit status when a step failed or the probe could not finish. */
    static final int FAILED = 3;
    /** The exit status when the arguments are unusable. */
    static final int BAD_INPUT = 2;
    private static final Duration GRACE = Duration.ofSeconds(5);

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "URL", description = "The origin URL, http://HOST[:PORT]/PATH or https://...")
    private String url;

    @Option(names = "--resolver", paramLabel = "IP[:PORT]",
            description = "A recursive resolver to ask, repeatable; host names are never looked up through the system resolver.")
    private List<String> resolvers = new ArrayList<>();

    @Option(names = "--sni", paramLabel = "NAME",
            description = "The name sent as SNI and Host and verified in the certificate (default: the URL's host).")
    private String sni;

    @Option(names = "--ca-bundle", paramLabel = "FILE", description = "A PEM file of extra trusted root certificates.")
    private Path caBundle;

    @Option(names = "--json", description = "Print the report as JSON.")
    private boolean json;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "5s",
            description = "The time each step may take (default: ${DEFAULT-VALUE}).")
    private String timeout;

    @Option(names = "--total-timeout", paramLabel = "DURATION",
            description = "The time the whole probe may take (default: four step timeouts).")
    private String totalTimeout;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ProbeTarget target;
        ProbeOptions options;
        try {
            target = ProbeTarget.parse(url);
            options = options(target);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.flush();
            return BAD_INPUT;
        }
        // dnsjava checks its timeouts once per selector wake-up, by default once a second.
        System.getProperties().putIfAbsent("dnsjava.nio.selector_timeout", "20");
        try (OriginProbe probe = new OriginProbe(Clock.systemUTC(), null)) {
            DiagnosisReport report = probe.probe(target, options)
                    .get(options.totalTimeout().plus(GRACE).toMillis(), TimeUnit.MILLISECONDS);
            out.print(json ? DiagnosisJson.write(report) + System.lineSeparator() : DiagnosisText.render(report));
            return report.healthy() ? 0 : FAILED;
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return BAD_INPUT;
        } catch (ExecutionException | TimeoutException e) {
            err.println("the probe did not finish within " + options.totalTimeout().plus(GRACE).toMillis() + " ms: " + e);
            return FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return FAILED;
        } finally {
            out.flush();
            err.flush();
        }
    }

    private ProbeOptions options(ProbeTarget target) {
        ProbeArguments.check(resolvers, caBundle, target);
        return new ProbeOptions(resolvers, sni, caBundle == null ? null : caBundle.toString(), duration("--timeout", timeout),
                totalTimeout == null ? null : duration("--total-timeout", totalTimeout), null, 0);
    }

    private static Duration duration(String option, String text) {
        Duration d;
        try {
            d = Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
        }
        if (d.isZero()) {
            throw new IllegalArgumentException(option + ": " + text + " (expected: a positive duration such as 500ms or 5s)");
        }
        return d;
    }
}
