package io.telltale.server.admin;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** What the admin API reads from the running gateway. */
public interface AdminView {
    /** Returns whether the gateway accepts traffic (false while draining). */
    boolean ready();

    /** Returns the metrics in the Prometheus text format. */
    String metrics();

    /** Returns the journaled failure of a request as JSON, or empty when it is not (or no longer) kept. */
    Optional<byte[]> failure(String requestId);

    /**
     * Returns recent failures as JSON, newest first.
     *
     * @param code a catalogue code to filter by, or null for all
     * @param limit the most entries to return
     * @throws IllegalArgumentException when the code is not in the catalogue
     */
    byte[] failures(String code, int limit);

    /**
     * Removes stored objects and returns how many were removed.
     *
     * @param site the site's name
     * @param host a host name to limit the purge to, or null for all of the site's hosts
     * @param path the exact path, or the prefix when {@code prefix} is true
     * @param prefix whether {@code path} is a prefix
     * @throws IllegalArgumentException when no site has that name
     */
    int purge(String site, String host, String path, boolean prefix);

    /**
     * Sends a purge on to every other node of the cluster; the answers are a JSON array with one object per node,
     * or null when the gateway is not part of a cluster.
     */
    default CompletableFuture<String> purgePeers(String site, String host, String path, boolean prefix) {
        return CompletableFuture.completedFuture(null);
    }

    /**
     * Probes an origin URL step by step (DNS, TCP, TLS, HTTP) with the gateway's resolvers.
     *
     * @param url the origin URL
     * @param sni the SNI name to send, or null for the URL's host
     * @param json whether to answer JSON rather than text
     * @throws IllegalArgumentException naming the field when the URL is not an http or https URL
     */
    CompletableFuture<AdminResponse> diagnose(String url, String sni, boolean json);

    /**
     * Re-reads every site's certificate and key files and swaps them in for new handshakes.
     *
     * @return the problems found (nothing was swapped then), empty when the new certificates are in use
     */
    java.util.List<String> reloadCertificates();

    /**
     * Reads the config file again and switches to it when all of it is valid, off the event loops (it reads files
     * and binds listeners).
     *
     * @return the problems found as {@code field: value (expected: ...)} lines (nothing changed then), empty when
     *     the new config is in use
     */
    CompletableFuture<java.util.List<String>> reloadConfig();

    /** Returns the config in use as JSON: its digest, when it was loaded and from which file. */
    byte[] loadedConfig();
    /** Returns every site's origins with their state, last failure, ejections and warnings, as JSON. */
    byte[] origins();

    /**
     * Runs {@code telltale preflight} against an origin URL with the gateway's resolvers and answers its JSON report.
     *
     * @param url the origin URL
     * @param cdns the profiles to judge by, comma-separated, or null for every CDN
     * @throws IllegalArgumentException naming the field when the URL or a profile name is unusable
     */
    CompletableFuture<AdminResponse> preflight(String url, String cdns);
}
