package io.telltale.server.admin;

/** What the admin API reads from the running gateway. */
public interface AdminView {
    /** Returns whether the gateway accepts traffic (false while draining). */
    boolean ready();

    /** Returns the metrics in the Prometheus text format. */
    String metrics();
}
