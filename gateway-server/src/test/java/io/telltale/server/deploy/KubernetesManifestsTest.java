package io.telltale.server.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.telltale.core.config.ConfigLoader;
import io.telltale.core.config.GatewayConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every kustomization under deploy/kubernetes, rendered by kubectl as CI and an operator render it, against the
 * admission policy and against what the gateway and its image actually do.
 */
class KubernetesManifestsTest {
    private static final Path KUBERNETES = Path.of("..", "deploy", "kubernetes");

    private static final Map<String, List<JsonNode>> RENDERED = new ConcurrentHashMap<>();

    private static final Optional<Kubectl> KUBECTL = Kubectl.onPath();

    private static final String WATCH = "--watch-config";

    /** Renders each kustomization once (kubectl takes seconds on a busy machine); skips the test without kubectl. */
    private static List<JsonNode> render(String kustomization) throws IOException, InterruptedException {
        assumeTrue(KUBECTL.isPresent(), "kubectl is not on the PATH (Debian: apt-get install kubernetes-client;"
                + " .ci/run installs it): the Kubernetes manifests were not rendered or checked");
        List<JsonNode> objects = RENDERED.get(kustomization);
        if (objects == null) {
            objects = KUBECTL.orElseThrow().kustomize(KUBERNETES.resolve(kustomization));
            RENDERED.put(kustomization, objects);
        }
        return objects;
    }

    private static JsonNode only(List<JsonNode> objects, String kind, Predicate<JsonNode> which) {
        List<JsonNode> matching = objects.stream()
                .filter(object -> kind.equals(object.path("kind").asText())).filter(which).toList();
        assertThat(matching).as("rendered %s objects", kind).hasSize(1);
        return matching.get(0);
    }

    private static JsonNode only(List<JsonNode> objects, String kind) {
        return only(objects, kind, object -> true);
    }

    private static JsonNode container(JsonNode deployment) {
        JsonNode containers = deployment.path("spec").path("template").path("spec").path("containers");
        assertThat(containers).hasSize(1);
        return containers.get(0);
    }

    private static int containerPort(JsonNode container, String name) {
        for (JsonNode port : container.path("ports")) {
            if (name.equals(port.path("name").asText())) {
                return port.path("containerPort").asInt();
            }
        }
        throw new AssertionError("container " + container.path("name").asText() + " has no port named " + name);
    }

    private static String mountPath(JsonNode container, String volume) {
        for (JsonNode mount : container.path("volumeMounts")) {
            if (volume.equals(mount.path("name").asText())) {
                return mount.path("mountPath").asText();
            }
        }
        throw new AssertionError("container " + container.path("name").asText() + " does not mount " + volume);
    }

    private static JsonNode volume(JsonNode deployment, String name) {
        for (JsonNode volume : deployment.path("spec").path("template").path("spec").path("volumes")) {
            if (name.equals(volume.path("name").asText())) {
                return volume;
            }
        }
        throw new AssertionError("no volume named " + name);
    }

    /** Returns the name of the volume mounted at a directory, or of the one whose mount holds it. */
    private static String volumeHolding(JsonNode container, String path) {
        String best = null;
        int bestLength = -1;
        for (JsonNode mount : container.path("volumeMounts")) {
            String mounted = mount.path("mountPath").asText();
            if ((path.equals(mounted) || path.startsWith(mounted + "/")) && mounted.length() > bestLength) {
                best = mount.path("name").asText();
                bestLength = mounted.length();
            }
        }
        assertThat(best).as("a volume mounted at or above %s", path).isNotNull();
        return best;
    }

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/production"})
    void passesTheAdmissionPolicy(String kustomization) throws Exception {
        List<JsonNode> objects = render(kustomization);
        assertThat(objects).extracting(object -> object.path("kind").asText()).contains("Deployment",
                "PodDisruptionBudget", "HorizontalPodAutoscaler", "ConfigMap", "Service");
        assertThat(AdmissionPolicy.violations(objects)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/production"})
    void runsTheImageWithItsConfigFromTheConfigMap(String kustomization) throws Exception {
        List<JsonNode> objects = render(kustomization);
        JsonNode deployment = only(objects, "Deployment");
        JsonNode container = container(deployment);
        Dockerfile image = DockerfileTest.dockerfile();

        List<String> args = new ArrayList<>();
        container.path("args").forEach(arg -> args.add(arg.asText()));
        List<String> imageCommand = new ArrayList<>(args);
        imageCommand.removeIf(arg -> arg.equals(WATCH) || arg.startsWith(WATCH + "="));
        assertThat(imageCommand).containsExactlyElementsOf(image.cmd());
        String configPath = args.get(args.indexOf("--config") + 1);
        String configDir = configPath.substring(0, configPath.lastIndexOf('/'));
        String configKey = configPath.substring(configPath.lastIndexOf('/') + 1);
        assertThat(mountPath(container, "config")).isEqualTo(configDir);
        JsonNode configMap = only(objects, "ConfigMap", object -> object.path("metadata").path("name").asText()
                .equals(volume(deployment, "config").path("configMap").path("name").asText()));
        assertThat(configMap.path("data").has(configKey)).as("ConfigMap key %s", configKey).isTrue();

        JsonNode pod = deployment.path("spec").path("template").path("spec");
        String uid = image.user().split(":")[0];
        assertThat(pod.path("securityContext").path("runAsUser").asText()).isEqualTo(uid);
    }

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/production"})
    void aChangedConfigMapReachesTheRunningGatewayAsAReload(String kustomization) throws Exception {
        List<JsonNode> objects = render(kustomization);
        JsonNode deployment = only(objects, "Deployment");
        JsonNode container = container(deployment);

        List<String> args = new ArrayList<>();
        container.path("args").forEach(arg -> args.add(arg.asText()));
        assertThat(args).as("the gateway watches its config file").anyMatch(arg -> arg.equals(WATCH)
                || arg.startsWith(WATCH + "="));
        // The kubelet updates a ConfigMap volume in place, but never a file mounted from it with subPath.
        for (JsonNode mount : container.path("volumeMounts")) {
            if (mount.path("name").asText().equals("config")) {
                assertThat(mount.has("subPath") || mount.has("subPathExpr")).as("config mounted with subPath")
                        .isFalse();
            }
        }
        // A content hash in the name would make each change a new ConfigMap and a rollout, not an update.
        String name = volume(deployment, "config").path("configMap").path("name").asText();
        assertThat(name).isEqualTo("telltale-config");
        assertThat(only(objects, "ConfigMap").path("metadata").path("name").asText()).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/production"})
    void probesPortsAndVolumesMatchTheGatewaysConfig(String kustomization) throws Exception {
        List<JsonNode> objects = render(kustomization);
        JsonNode deployment = only(objects, "Deployment");
        JsonNode container = container(deployment);
        JsonNode configMap = only(objects, "ConfigMap");
        GatewayConfig config = ConfigLoader.parse(configMap.path("data").path("gateway.yaml").asText(),
                kustomization + " ConfigMap gateway.yaml");

        assertThat(config.admin().enabled()).isTrue();
        assertThat(config.admin().bindAddress()).as("admin.bindAddress: probes come from outside the pod")
                .isNotIn("127.0.0.1", "::1");
        assertThat(containerPort(container, "admin")).isEqualTo(config.admin().port());
        assertThat(containerPort(container, "http")).isEqualTo(config.server().httpPort());
        if (config.server().httpsPort() != null) {
            assertThat(containerPort(container, "https")).isEqualTo(config.server().httpsPort());
        }
        assertThat(container.path("readinessProbe").path("httpGet").path("path").asText()).isEqualTo("/readyz");
        assertThat(container.path("readinessProbe").path("httpGet").path("port").asText()).isEqualTo("admin");
        assertThat(container.path("livenessProbe").path("httpGet").path("path").asText()).isEqualTo("/healthz");
        assertThat(container.path("livenessProbe").path("httpGet").path("port").asText()).isEqualTo("admin");

        // A read-only root file system: the disk cache and the JVM's temporary files need writable volumes.
        assertThat(config.cache().disk()).isNotNull();
        assertThat(volume(deployment, volumeHolding(container, config.cache().disk().path())).has("emptyDir"))
                .isTrue();
        assertThat(volume(deployment, volumeHolding(container, "/tmp")).has("emptyDir")).isTrue();

        // The pause before SIGTERM and the drain after it both fit in the grace period.
        long preStop = container.path("lifecycle").path("preStop").path("sleep").path("seconds").asLong(-1);
        assertThat(preStop).isPositive();
        long grace = deployment.path("spec").path("template").path("spec").path("terminationGracePeriodSeconds")
                .asLong();
        assertThat(preStop + config.server().drainTimeout().toSeconds()).isLessThan(grace);
    }

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/production"})
    void servicesReachTheGatewaysPortsAndPeersFindEachOther(String kustomization) throws Exception {
        List<JsonNode> objects = render(kustomization);
        JsonNode deployment = only(objects, "Deployment");
        JsonNode container = container(deployment);
        JsonNode labels = deployment.path("spec").path("template").path("metadata").path("labels");
        JsonNode headless = only(objects, "Service", service -> "None".equals(service.path("spec")
                .path("clusterIP").asText()));
        JsonNode traffic = only(objects, "Service", service -> !"None".equals(service.path("spec")
                .path("clusterIP").asText()));
        JsonNode policy = only(objects, "NetworkPolicy");

        List<Integer> openToAll = new ArrayList<>();
        for (JsonNode rule : policy.path("spec").path("ingress")) {
            if (!rule.has("from")) {
                rule.path("ports").forEach(port -> openToAll.add(port.path("port").asInt()));
            }
        }
        for (JsonNode service : List.of(headless, traffic)) {
            assertThat(AdmissionPolicy.selects(service.path("spec").path("selector"), labels)).isTrue();
            for (JsonNode port : service.path("spec").path("ports")) {
                int target = containerPort(container, port.path("targetPort").asText());
                assertThat(openToAll).as("NetworkPolicy lets %s reach port %d", AdmissionPolicy.name(service), target)
                        .contains(target);
            }
        }
        assertThat(openToAll).doesNotContain(containerPort(container, "admin"));
        assertThat(AdmissionPolicy.selects(policy.path("spec").path("podSelector").path("matchLabels"), labels))
                .isTrue();

        JsonNode autoscaler = only(objects, "HorizontalPodAutoscaler");
        assertThat(autoscaler.path("spec").path("scaleTargetRef").path("name").asText())
                .isEqualTo(deployment.path("metadata").path("name").asText());
        // With one pod a PodDisruptionBudget could never let a node drain, or would let the only gateway go.
        assertThat(autoscaler.path("spec").path("minReplicas").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(deployment.path("spec").has("replicas")).as("replicas left to the autoscaler").isFalse();
        assertThat(Set.of("LoadBalancer", "NodePort", "ClusterIP")).contains(traffic.path("spec").path("type")
                .asText("ClusterIP"));
    }
}
