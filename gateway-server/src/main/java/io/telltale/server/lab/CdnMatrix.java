package io.telltale.server.lab;

import io.telltale.core.diagnosis.OriginProbe;
import io.telltale.core.preflight.Preflight;
import io.telltale.core.preflight.PreflightReport;
import io.telltale.core.profile.CdnProfile;
import java.net.InetAddress;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The lab's CDN matrix: runs {@code telltale preflight} against the lab's own origins, on a thread of its own once the
 * lab is up, so the landing page shows each CDN's verdict as computed, never as written down.
 */
final class CdnMatrix implements AutoCloseable {
    /** The factor every CDN timeout is multiplied by, so that the slow origin's 22 s first byte takes 2.2 s. */
    static final double TIME_SCALE = 0.1;
    private static final int EXPIRY_WINDOW_DAYS = 0;

    private final List<CdnCase> cases;
    private final String resolver;
    private final String caFile;
    private final OriginProbe probe;
    private final Map<String, PreflightReport> reports = new LinkedHashMap<>();
    private Thread runner;

    /**
     * Creates the matrix of these origins; nothing is probed until {@link #start}.
     *
     * @param authoritativePorts the lab DNS's authoritative ports, as the gateway uses them
     */
    CdnMatrix(List<CdnCase> cases, String resolver, String caFile, Function<InetAddress, Integer> authoritativePorts) {
        this.cases = List.copyOf(cases);
        this.resolver = resolver;
        this.caFile = caFile;
        this.probe = new OriginProbe(Clock.systemUTC(), authoritativePorts);
    }

    /** Probes every origin in turn and calls {@code updated} after each, so the page fills in row by row. */
    synchronized void start(Runnable updated) {
        runner = new Thread(() -> {
            for (CdnCase c : cases) {
                Preflight preflight = new Preflight(probe, List.of(resolver), caFile, TIME_SCALE, EXPIRY_WINDOW_DAYS,
                        c.originRulePort(), null);
                try {
                    PreflightReport report = preflight.run(c.url(), columns());
                    synchronized (this) {
                        reports.put(c.name(), report);
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (IllegalArgumentException | IllegalStateException e) {
                    // A probe that cannot finish leaves its row pending; the lab goes on serving the rest.
                    continue;
                }
                updated.run();
            }
        }, "telltale-lab-cdn-matrix");
        runner.setDaemon(true);
        runner.start();
    }

    /** Returns the origins of the matrix, in the order shown. */
    List<CdnCase> cases() {
        return cases;
    }

    /** Returns the reports computed so far, by case name. */
    synchronized Map<String, PreflightReport> reports() {
        return Map.copyOf(reports);
    }

    /** Returns the command that prints a row's matrix. */
    String command(CdnCase c) {
        return c.command(resolver, caFile, TIME_SCALE);
    }

    /** Returns the profiles of every column. */
    static List<CdnProfile> columns() {
        return CdnProfile.vendors();
    }

    /** Stops probing and releases the probe's threads. */
    @Override
    public synchronized void close() {
        if (runner != null) {
            runner.interrupt();
        }
        probe.close();
    }
}
