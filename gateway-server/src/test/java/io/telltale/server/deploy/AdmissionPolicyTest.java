package io.telltale.server.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The admission rules themselves, on the base's Deployment as written (no kubectl needed) and broken copies. */
class AdmissionPolicyTest {
    private static final Path BASE = Path.of("..", "deploy", "kubernetes", "base");

    private static ObjectNode deployment() throws IOException {
        return (ObjectNode) Kubectl.parse(Files.readString(BASE.resolve("deployment.yaml"), StandardCharsets.UTF_8))
                .get(0);
    }

    private static JsonNode budget() throws IOException {
        return Kubectl.parse(Files.readString(BASE.resolve("poddisruptionbudget.yaml"), StandardCharsets.UTF_8))
                .get(0);
    }

    private static ObjectNode container(ObjectNode deployment) {
        return (ObjectNode) deployment.path("spec").path("template").path("spec").path("containers").get(0);
    }

    /** Adds what Kustomize adds to the file as written: the template's label and the image's tag. */
    private static ObjectNode labelled(ObjectNode deployment) {
        ((ObjectNode) deployment.path("spec").path("template")).putObject("metadata").putObject("labels")
                .put("app.kubernetes.io/name", "telltale");
        container(deployment).put("image", "telltale:0.1.0");
        return deployment;
    }

    @Test
    void admitsTheBaseDeploymentWithItsBudget() throws IOException {
        assertThat(AdmissionPolicy.violations(List.of(labelled(deployment()), budget()))).isEmpty();
    }

    @Test
    void namesEveryWeakenedSecuritySetting() throws IOException {
        ObjectNode deployment = labelled(deployment());
        ObjectNode pod = (ObjectNode) deployment.path("spec").path("template").path("spec");
        pod.remove("securityContext");
        pod.put("hostNetwork", true);
        ObjectNode context = (ObjectNode) container(deployment).path("securityContext");
        context.remove(List.of("runAsNonRoot", "seccompProfile"));
        context.put("readOnlyRootFilesystem", false);
        context.put("allowPrivilegeEscalation", true);
        ((ObjectNode) context.path("capabilities")).putArray("drop").add("NET_RAW");
        ((ObjectNode) context.path("capabilities")).putArray("add").add("NET_BIND_SERVICE");

        assertThat(AdmissionPolicy.violations(List.of(deployment, budget()))).containsExactly(
                "Deployment/telltale: spec.hostNetwork is true (expected: false or absent)",
                "Deployment/telltale container telltale: securityContext.runAsNonRoot is not true (expected: true)",
                "Deployment/telltale container telltale: securityContext.readOnlyRootFilesystem is not true"
                        + " (expected: true)",
                "Deployment/telltale container telltale: securityContext.allowPrivilegeEscalation is not false"
                        + " (expected: false)",
                "Deployment/telltale container telltale: securityContext.capabilities.drop lacks ALL"
                        + " (expected: [ALL])",
                "Deployment/telltale container telltale: securityContext.capabilities.add is [\"NET_BIND_SERVICE\"]"
                        + " (expected: none)",
                "Deployment/telltale container telltale: securityContext.seccompProfile.type is unset"
                        + " (expected: RuntimeDefault)");
    }

    @Test
    void namesMissingProbesResourcesVersionAndBudget() throws IOException {
        ObjectNode deployment = labelled(deployment());
        ObjectNode container = container(deployment);
        container.remove(List.of("readinessProbe", "livenessProbe"));
        ((ObjectNode) container.path("resources")).remove("limits");
        container.put("image", "registry.example.com/telltale:latest");

        assertThat(AdmissionPolicy.violations(List.of(deployment))).containsExactly(
                "Deployment/telltale container telltale: resources.limits.cpu is unset (expected: a quantity)",
                "Deployment/telltale container telltale: resources.limits.memory is unset (expected: a quantity)",
                "Deployment/telltale container telltale: image registry.example.com/telltale:latest has no version"
                        + " (expected: a tag other than latest, or a digest)",
                "Deployment/telltale container telltale: no readinessProbe (expected: one)",
                "Deployment/telltale container telltale: no livenessProbe (expected: one)",
                "Deployment/telltale: no PodDisruptionBudget selects its pods");
    }

    @Test
    void checksInitContainersToo() throws IOException {
        ObjectNode deployment = labelled(deployment());
        ArrayNode init = ((ObjectNode) deployment.path("spec").path("template").path("spec")).putArray("initContainers");
        ObjectNode copy = container(deployment).deepCopy();
        copy.put("name", "warm-up");
        copy.remove("securityContext");
        init.add(copy);

        assertThat(AdmissionPolicy.violations(List.of(deployment, budget())))
                .contains("Deployment/telltale container warm-up: securityContext.readOnlyRootFilesystem is not true"
                        + " (expected: true)")
                .noneMatch(line -> line.contains("warm-up: no readinessProbe"));
    }
}
