package io.telltale.server;

import io.telltale.core.diagnosis.OriginProbe;
import io.telltale.core.diagnosis.ProbeTarget;
import io.telltale.core.dns.ProhibitedAddresses;
import io.telltale.core.preflight.Preflight;
import io.telltale.core.preflight.PreflightJson;
import io.telltale.core.preflight.PreflightProfiles;
import io.telltale.core.profile.CdnProfile;
import io.telltale.server.admin.AdminResponse;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs the admin API's preflights one at a time on a thread of their own: a preflight waits for each CDN's probe in
 * turn (up to Cloudflare's 100 s first byte), which must never hold an event loop.
 */
final class AdminPreflights implements AutoCloseable {
    private static final int EXPIRY_WINDOW_DAYS = 30;

    private final AtomicBoolean running = new AtomicBoolean();
    private ExecutorService thread;

    /**
     * Starts a preflight of the URL and answers its report as JSON, the same as {@code telltale preflight --json}.
     *
     * @param probe the gateway's origin probe
     * @param resolvers the gateway's resolvers
     * @param addressRules the addresses the probe may reach, as for {@code /diagnose}
     * @param url the origin URL
     * @param cdns the profiles as a comma-separated list, or null for every CDN
     * @throws IllegalArgumentException naming the field when the URL or a profile name is unusable
     */
    CompletableFuture<AdminResponse> start(OriginProbe probe, List<String> resolvers, ProhibitedAddresses addressRules,
            String url, String cdns) {
        ProbeTarget.parse(url);
        List<CdnProfile> profiles = PreflightProfiles.named("cdn", cdns == null ? List.of() : Arrays.asList(cdns.split(",")));
        if (!running.compareAndSet(false, true)) {
            return CompletableFuture.completedFuture(AdminResponse.text(429,
                    "preflight: already running (expected: one preflight at a time; try again when it has answered)\n"));
        }
        Preflight preflight = new Preflight(probe, resolvers, null, 1, EXPIRY_WINDOW_DAYS, false, addressRules);
        try {
            return CompletableFuture.supplyAsync(() -> run(preflight, url, profiles), executor());
        } catch (RejectedExecutionException e) {
            running.set(false);
            return CompletableFuture.completedFuture(AdminResponse.text(503, "preflight: the gateway is stopping\n"));
        }
    }

    private AdminResponse run(Preflight preflight, String url, List<CdnProfile> profiles) {
        try {
            return AdminResponse.json(200, PreflightJson.write(preflight.run(url, profiles)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return AdminResponse.text(503, "preflight: interrupted (the gateway is stopping)\n");
        } catch (IllegalArgumentException | IllegalStateException e) {
            return AdminResponse.text(502, "preflight: " + e.getMessage() + "\n");
        } finally {
            running.set(false);
        }
    }

    private synchronized ExecutorService executor() {
        if (thread == null) {
            thread = Executors.newSingleThreadExecutor(task -> {
                Thread t = new Thread(task, "telltale-admin-preflight");
                t.setDaemon(true);
                return t;
            });
        }
        return thread;
    }

    /** Stops the thread, interrupting a preflight under way. */
    @Override
    public synchronized void close() {
        if (thread != null) {
            thread.shutdownNow();
        }
    }
}
