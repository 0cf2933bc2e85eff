package io.telltale.core.failure;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Another product's or standard's name for the same failure, the teaching part of the catalogue.
 *
 * @param vendor who uses the name: CloudFront, Cloudflare, nginx, Envoy or RFC 9209
 * @param name their words for it (an error code, a log line, a flag)
 */
public record AlsoKnownAs(String vendor, String name) {

    public AlsoKnownAs {
        Objects.requireNonNull(vendor, "vendor");
        Objects.requireNonNull(name, "name");
    }

    /** Returns the names from alternating vendor and name arguments. */
    static List<AlsoKnownAs> list(String... vendorThenName) {
        if (vendorThenName.length % 2 != 0) {
            throw new IllegalArgumentException("vendorThenName: " + vendorThenName.length + " (expected: pairs)");
        }
        List<AlsoKnownAs> names = new ArrayList<>(vendorThenName.length / 2);
        for (int i = 0; i < vendorThenName.length; i += 2) {
            names.add(new AlsoKnownAs(vendorThenName[i], vendorThenName[i + 1]));
        }
        return List.copyOf(names);
    }

    @Override
    public String toString() {
        return vendor + ": " + name;
    }
}
