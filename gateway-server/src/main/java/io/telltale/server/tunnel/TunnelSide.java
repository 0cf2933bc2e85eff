package io.telltale.server.tunnel;

import java.util.Locale;

/** Who ended a tunnel: one of its two peers, or the gateway itself. */
public enum TunnelSide {
    /** The client, the connection that asked for the upgrade. */
    CLIENT,
    /** The origin, the connection that answered 101. */
    ORIGIN,
    /** The gateway: the tunnel's idle timeout, or a stop. */
    GATEWAY;

    /** Returns the lower-case name shown in evidence and logs. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
