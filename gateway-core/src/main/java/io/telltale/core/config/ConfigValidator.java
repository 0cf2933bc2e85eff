package io.telltale.core.config;

/** Checks a bound configuration for what its types alone cannot say: names, addresses, ports and consistency. */
public final class ConfigValidator {
    private ConfigValidator() {
    }

    /** Validates a configuration, throwing {@link ConfigException} with every problem found. */
    public static void validate(GatewayConfig config) {
        Problems problems = new Problems();
        problems.throwIfAny();
    }
}
