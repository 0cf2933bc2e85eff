package io.telltale.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.telltale.core.profile.CdnProfile;
import io.telltale.core.profile.Sourced;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLContext;

/**
 * Writes a CDN profile's origin settings into the configuration tree before it is bound, wherever the origin does not
 * set them itself, so that a profile changes nothing but the values the ordinary origin path already reads.
 */
final class ProfileDefaults {
    private static final String PROFILE = "profile";

    private ProfileDefaults() {
    }

    /** Fills each origin of each site from its profile (its own, else its site's); leaves anything unexpected alone. */
    static void fill(JsonNode root) {
        JsonNode sites = root.get("sites");
        if (sites == null || !sites.isArray()) {
            return;
        }
        for (JsonNode site : sites) {
            if (!(site instanceof ObjectNode s) || !(s.get("origins") instanceof ArrayNode origins)) {
                continue;
            }
            JsonNode siteProfile = s.get(PROFILE);
            fillSite(s, siteProfile);
            for (JsonNode origin : origins) {
                if (origin instanceof ObjectNode o) {
                    fillOrigin(o, siteProfile);
                }
            }
        }
    }

    /**
     * Fills the site's own settings from its profile (error caching); a section the site leaves out is made, which
     * binds as the section's defaults would.
     */
    private static void fillSite(ObjectNode site, JsonNode named) {
        CdnProfile profile = named != null && named.isTextual() ? CdnProfile.byName(named.textValue()) : null;
        if (profile == null) {
            return;
        }
        for (Map.Entry<String, Sourced<String>> setting : profile.spec().siteDefaults().entrySet()) {
            String[] path = setting.getKey().split("\\.");
            JsonNode section = site;
            for (int i = 0; i < path.length - 1 && section instanceof ObjectNode o; i++) {
                section = o.has(path[i]) ? o.get(path[i]) : o.putObject(path[i]);
            }
            String field = path[path.length - 1];
            if (section instanceof ObjectNode o && !o.has(field) && setting.getValue().known()) {
                o.put(field, setting.getValue().value());
            }
        }
    }

    private static void fillOrigin(ObjectNode origin, JsonNode siteProfile) {
        if (!origin.has(PROFILE) && siteProfile != null && siteProfile.isTextual()
                && CdnProfile.byName(siteProfile.textValue()) != null) {
            origin.put(PROFILE, siteProfile.textValue());
        }
        JsonNode named = origin.get(PROFILE);
        CdnProfile profile = named != null && named.isTextual() ? CdnProfile.byName(named.textValue()) : null;
        if (profile == null) {
            return;
        }
        for (Map.Entry<String, Sourced<String>> setting : profile.spec().originDefaults().entrySet()) {
            if (origin.has(setting.getKey()) || !setting.getValue().known()) {
                continue;
            }
            if (setting.getKey().equals("ciphers")) {
                ArrayNode ciphers = origin.putArray("ciphers");
                for (String c : setting.getValue().value().split(",")) {
                    if (SupportedCiphers.NAMES.contains(c)) {
                        ciphers.add(c);
                    }
                }
            } else if (setting.getValue().value().chars().allMatch(Character::isDigit)) {
                origin.put(setting.getKey(), Integer.parseInt(setting.getValue().value()));
            } else {
                origin.put(setting.getKey(), setting.getValue().value());
            }
        }
    }

    /** The JVM's cipher suites: a vendor suite the JVM lacks (RC4) cannot be offered and is left out. */
    private static final class SupportedCiphers {
        static final Set<String> NAMES = lookUp();

        private static Set<String> lookUp() {
            try {
                return Set.of(SSLContext.getDefault().getSupportedSSLParameters().getCipherSuites());
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("this JVM has no default TLS context", e);
            }
        }
    }
}
