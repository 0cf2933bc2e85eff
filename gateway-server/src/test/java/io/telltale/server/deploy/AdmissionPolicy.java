package io.telltale.server.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a cluster's admission policy (Pod Security "restricted" and the usual operator rules) demands of rendered
 * objects: each broken rule comes back as one line naming the object, the container and the field.
 */
final class AdmissionPolicy {
    private static final Set<String> POD_TEMPLATE_KINDS = Set.of("Deployment", "StatefulSet", "DaemonSet",
            "ReplicaSet", "Job");
    private static final Set<String> DISRUPTABLE_KINDS = Set.of("Deployment", "StatefulSet");
    private static final List<String> RESOURCES = List.of("requests.cpu", "requests.memory", "limits.cpu",
            "limits.memory");

    private AdmissionPolicy() {
    }

    /** Returns every rule the objects break together, empty when an admission controller would admit them all. */
    static List<String> violations(List<JsonNode> objects) {
        List<String> found = new ArrayList<>();
        for (JsonNode object : objects) {
            JsonNode pod = podSpec(object);
            if (pod != null) {
                checkPod(name(object), pod, found);
            }
            if (DISRUPTABLE_KINDS.contains(object.path("kind").asText()) && !hasDisruptionBudget(object, objects)) {
                found.add(name(object) + ": no PodDisruptionBudget selects its pods");
            }
        }
        return found;
    }

    /** Returns the pod spec an object runs, or null when it runs none. */
    static JsonNode podSpec(JsonNode object) {
        String kind = object.path("kind").asText();
        if ("Pod".equals(kind)) {
            return object.path("spec");
        }
        if ("CronJob".equals(kind)) {
            return object.path("spec").path("jobTemplate").path("spec").path("template").path("spec");
        }
        return POD_TEMPLATE_KINDS.contains(kind) ? object.path("spec").path("template").path("spec") : null;
    }

    static String name(JsonNode object) {
        return object.path("kind").asText() + "/" + object.path("metadata").path("name").asText();
    }

    private static void checkPod(String owner, JsonNode pod, List<String> found) {
        for (String hostField : List.of("hostNetwork", "hostPID", "hostIPC")) {
            if (pod.path(hostField).asBoolean(false)) {
                found.add(owner + ": spec." + hostField + " is true (expected: false or absent)");
            }
        }
        for (JsonNode volume : pod.path("volumes")) {
            if (volume.has("hostPath")) {
                found.add(owner + ": volume " + volume.path("name").asText() + " is a hostPath (expected: none)");
            }
        }
        JsonNode podContext = pod.path("securityContext");
        if (podContext.path("runAsUser").asInt(-1) == 0) {
            found.add(owner + ": securityContext.runAsUser is 0 (expected: a non-root user)");
        }
        for (String list : List.of("initContainers", "containers")) {
            for (JsonNode container : pod.path(list)) {
                String where = owner + " container " + container.path("name").asText();
                checkContainer(where, container, podContext, found);
                if ("containers".equals(list)) {
                    for (String probe : List.of("readinessProbe", "livenessProbe")) {
                        if (container.path(probe).isMissingNode()) {
                            found.add(where + ": no " + probe + " (expected: one)");
                        }
                    }
                }
            }
        }
        if (!pod.path("containers").elements().hasNext()) {
            found.add(owner + ": no containers");
        }
    }

    private static void checkContainer(String where, JsonNode container, JsonNode podContext, List<String> found) {
        JsonNode context = container.path("securityContext");
        if (!effective(context, podContext, "runAsNonRoot").asBoolean(false)) {
            found.add(where + ": securityContext.runAsNonRoot is not true (expected: true)");
        }
        if (context.path("runAsUser").asInt(-1) == 0) {
            found.add(where + ": securityContext.runAsUser is 0 (expected: a non-root user)");
        }
        if (!context.path("readOnlyRootFilesystem").asBoolean(false)) {
            found.add(where + ": securityContext.readOnlyRootFilesystem is not true (expected: true)");
        }
        if (!context.path("allowPrivilegeEscalation").isBoolean()
                || context.path("allowPrivilegeEscalation").asBoolean()) {
            found.add(where + ": securityContext.allowPrivilegeEscalation is not false (expected: false)");
        }
        if (context.path("privileged").asBoolean(false)) {
            found.add(where + ": securityContext.privileged is true (expected: false)");
        }
        if (!contains(context.path("capabilities").path("drop"), "ALL")) {
            found.add(where + ": securityContext.capabilities.drop lacks ALL (expected: [ALL])");
        }
        if (context.path("capabilities").path("add").elements().hasNext()) {
            found.add(where + ": securityContext.capabilities.add is "
                    + context.path("capabilities").path("add") + " (expected: none)");
        }
        String seccomp = effective(context, podContext, "seccompProfile").path("type").asText();
        if (!"RuntimeDefault".equals(seccomp) && !"Localhost".equals(seccomp)) {
            found.add(where + ": securityContext.seccompProfile.type is " + (seccomp.isEmpty() ? "unset" : seccomp)
                    + " (expected: RuntimeDefault)");
        }
        for (String resource : RESOURCES) {
            String[] parts = resource.split("\\.");
            if (container.path("resources").path(parts[0]).path(parts[1]).asText().isEmpty()) {
                found.add(where + ": resources." + resource + " is unset (expected: a quantity)");
            }
        }
        String image = container.path("image").asText();
        String lastPart = image.substring(image.lastIndexOf('/') + 1);
        if (!image.contains("@sha256:") && (!lastPart.contains(":") || lastPart.endsWith(":latest"))) {
            found.add(where + ": image " + image + " has no version (expected: a tag other than latest, or a digest)");
        }
    }

    private static JsonNode effective(JsonNode container, JsonNode pod, String field) {
        return container.has(field) ? container.path(field) : pod.path(field);
    }

    private static boolean contains(JsonNode array, String value) {
        for (JsonNode item : array) {
            if (value.equals(item.asText())) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasDisruptionBudget(JsonNode workload, List<JsonNode> objects) {
        JsonNode labels = workload.path("spec").path("template").path("metadata").path("labels");
        String namespace = workload.path("metadata").path("namespace").asText();
        for (JsonNode object : objects) {
            if ("PodDisruptionBudget".equals(object.path("kind").asText())
                    && namespace.equals(object.path("metadata").path("namespace").asText())
                    && selects(object.path("spec").path("selector").path("matchLabels"), labels)) {
                return true;
            }
        }
        return false;
    }

    /** Returns whether a non-empty label selector matches these labels. */
    static boolean selects(JsonNode selector, JsonNode labels) {
        if (!selector.isObject() || selector.isEmpty()) {
            return false;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = selector.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> label = it.next();
            if (!label.getValue().asText().equals(labels.path(label.getKey()).asText(null))) {
                return false;
            }
        }
        return true;
    }
}
