package io.telltale.server.cli;

import io.telltale.core.config.ResolverAddresses;
import io.telltale.core.diagnosis.ProbeTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The checks that the commands which probe an origin ({@code diagnose}, {@code preflight}) make of their options. */
final class ProbeArguments {
    private ProbeArguments() {
    }

    /**
     * Checks every {@code --resolver}, that a name has one (the system resolver is never used) and that
     * {@code --ca-bundle} can be read.
     *
     * @throws IllegalArgumentException naming the option, its value and what was expected
     */
    static void check(List<String> resolvers, Path caBundle, ProbeTarget target) {
        for (String r : resolvers) {
            try {
                ResolverAddresses.parse(r);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--resolver: " + r + " (expected: " + ResolverAddresses.EXPECTED + ")", e);
            }
        }
        if (resolvers.isEmpty() && !target.ipLiteral()) {
            throw new IllegalArgumentException("--resolver: none (expected: a resolver IP[:PORT] to look up " + target.host()
                    + "; the system resolver is never used)");
        }
        if (caBundle != null && !Files.isReadable(caBundle)) {
            throw new IllegalArgumentException("--ca-bundle: " + caBundle + " (expected: a readable PEM file of CA certificates)");
        }
    }
}
