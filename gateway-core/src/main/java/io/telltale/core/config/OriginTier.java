package io.telltale.core.config;

/** What kind of server an origin is: a plain origin, or another Telltale tier (an origin shield). */
public enum OriginTier {
    /** An ordinary origin server: its responses pass through as they are. */
    ORIGIN,
    /** Another Telltale tier: its catalogue code and Proxy-Status member are relayed, its evidence is not. */
    SHIELD,
    /** Another Telltale tier trusted with evidence: its code, Proxy-Status details and request id cross too. */
    TRUSTED_SHIELD
}
