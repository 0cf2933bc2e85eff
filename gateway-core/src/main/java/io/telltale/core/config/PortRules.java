package io.telltale.core.config;

/** Which ports the gateway listens on and connects to origins on, enforced when the config is loaded. */
public final class PortRules {
    /** What an origin port must be, for error messages. */
    public static final String ORIGIN_PORT_EXPECTED = "80, 443 or 1024-65535";
    /** What a listener port must be, for error messages. */
    public static final String LISTENER_PORT_EXPECTED = "an integer 0-65535";

    private PortRules() {
    }

    /**
     * Returns whether an origin may be reached on this port: 80, 443 or an unprivileged port, as CloudFront allows,
     * so that the gateway cannot be pointed at a host's SSH, SMTP or other system services.
     */
    public static boolean isAllowedOriginPort(long port) {
        return port == 80 || port == 443 || (port >= 1024 && port <= 65535);
    }

    /** Returns whether a listener may bind this port; 0 asks the system for a free one. */
    public static boolean isListenerPort(long port) {
        return port >= 0 && port <= 65535;
    }
}
