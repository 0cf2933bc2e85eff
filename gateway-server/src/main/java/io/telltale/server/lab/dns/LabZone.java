package io.telltale.server.lab.dns;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Zone;

/**
 * A zone read from master-file text, with the faults its comments script.
 *
 * <p>The origin comes from the file's {@code $ORIGIN} line. A fault is a comment of the form
 * {@code ;@fault NAME KIND [INFO-CODE [TEXT]]}, with NAME relative to the origin like any owner name,
 * so the file stays a valid zone file for other tools.
 *
 * @param zone the records
 * @param faults the scripted faults by name
 */
public record LabZone(Zone zone, Map<Name, LabDnsFault> faults) {
    private static final String FAULT = ";@fault";

    public LabZone {
        faults = Map.copyOf(faults);
    }

    /** Reads a zone file. */
    public static LabZone load(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8));
    }

    /** Parses zone text that starts with an {@code $ORIGIN} line. */
    public static LabZone parse(String text) throws IOException {
        Name origin = null;
        Map<Name, LabDnsFault> faults = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            String trimmed = line.trim();
            if (origin == null && trimmed.startsWith("$ORIGIN")) {
                origin = name(trimmed.substring("$ORIGIN".length()).trim(), Name.root);
            } else if (trimmed.startsWith(FAULT)) {
                if (origin == null) {
                    throw new IOException("zone: " + trimmed + " (expected: $ORIGIN before the first ;@fault)");
                }
                String[] parts = trimmed.substring(FAULT.length()).trim().split("\\s+", 2);
                if (parts.length < 2) {
                    throw new IOException("zone: " + trimmed + " (expected: ;@fault NAME KIND [INFO-CODE [TEXT]])");
                }
                faults.put(name(parts[0], origin), LabDnsFault.parse(parts[1]));
            }
        }
        if (origin == null) {
            throw new IOException("zone: no $ORIGIN line (expected: $ORIGIN example.test. at the top)");
        }
        Zone zone = new Zone(origin, new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
        return new LabZone(zone, faults);
    }

    private static Name name(String text, Name origin) throws TextParseException {
        return Name.fromString(text.equals("@") ? origin.toString() : text, origin);
    }
}
