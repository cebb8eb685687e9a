package dev.ferry.testing.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Onyx-shaped workloads on a Kubernetes API double (the fabric8 CRUD mock), for the Kubernetes
 * steps' tests. The mock has no controllers, so this class also plays them: it creates the pods a
 * ReplicaSet would, deletes them as a scale-down would, and writes rollout status.
 */
public final class OnyxCluster {

    /** Writers of the current Helm chart (0.8.x, release {@code onyx}) with production-like counts. */
    public static final Map<String, Integer> HELM_WRITERS = ordered(
            "onyx-api-server",
            2,
            "onyx-celery-beat",
            1,
            "onyx-celery-worker-primary",
            1,
            "onyx-celery-worker-light",
            2,
            "onyx-celery-worker-heavy",
            1,
            "onyx-celery-worker-docfetching",
            1,
            "onyx-celery-worker-docprocessing",
            3,
            "onyx-celery-worker-monitoring",
            1,
            "onyx-celery-worker-user-file-processing",
            1,
            "onyx-slackbot",
            1);
    /** Components of the same chart that never write to Postgres. */
    public static final List<String> HELM_NON_WRITERS =
            List.of("onyx-web-server", "onyx-inference-model", "onyx-indexing-model", "onyx-mcp-server");
    /** The old plain manifests: one API server, one supervisord container running every celery process. */
    public static final Map<String, Integer> LEGACY_WRITERS =
            ordered("api-server-deployment", 1, "background-deployment", 1);

    private final KubernetesClient client;
    private final String namespace;

    public OnyxCluster(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    /** Removes every workload, pod and autoscaler (HPAs, KEDA ScaledObjects) the tests create, so each test starts empty. */
    public void clear() {
        client.apps().deployments().inNamespace(namespace).delete();
        client.apps().statefulSets().inNamespace(namespace).delete();
        client.pods().inNamespace(namespace).delete();
        client.autoscaling()
                .v2()
                .horizontalPodAutoscalers()
                .inNamespace(namespace)
                .delete();
        client.batch().v1().jobs().inNamespace(namespace).delete();
        client.genericKubernetesResources(PlayedKeda.SCALED_OBJECT)
                .inNamespace(namespace)
                .delete();
    }

    /** The current chart's writers and non-writers, a Bitnami Postgres StatefulSet, each with its running pods. */
    public void installHelmChart() {
        HELM_WRITERS.forEach((name, replicas) -> deployment(name, replicas, Map.of()));
        HELM_NON_WRITERS.forEach(name -> deployment(name, 1, Map.of()));
        statefulSet("onyx-postgresql", 1, Map.of("app.kubernetes.io/name", "postgresql"));
    }

    /** The old plain manifests: writers, web server, and the relational-db StatefulSet. */
    public void installLegacyManifests() {
        LEGACY_WRITERS.forEach((name, replicas) -> deployment(name, replicas, Map.of()));
        deployment("web-server-deployment", 1, Map.of());
        statefulSet("relational-db-statefulset", 1, Map.of());
    }

    public Deployment deployment(String name, int replicas, Map<String, String> labels) {
        return deployment(name, replicas, labels, Map.of());
    }

    /** A Deployment with {@code replicas} running pods selected by {@code app=<name>}, rolled out. */
    public Deployment deployment(
            String name, int replicas, Map<String, String> labels, Map<String, String> annotations) {
        Deployment created = client.apps()
                .deployments()
                .inNamespace(namespace)
                .resource(new DeploymentBuilder()
                        .withMetadata(meta(name, labels, annotations))
                        .withNewSpec()
                        .withReplicas(replicas)
                        .withSelector(appSelector(name))
                        .withTemplate(podTemplate(name, "onyxdotapp/onyx-backend:v2.0.0"))
                        .endSpec()
                        .build())
                .create();
        startPods(name, replicas);
        markRolledOut(created);
        return created;
    }

    /** Pods labelled {@code app: <name>}, as the chart labels a workload's pods. */
    private static LabelSelector appSelector(String name) {
        return new LabelSelectorBuilder().addToMatchLabels("app", name).build();
    }

    private static PodTemplateSpec podTemplate(String name, String image) {
        return new PodTemplateSpecBuilder()
                .withNewMetadata()
                .addToLabels("app", name)
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("main")
                .withImage(image)
                .endContainer()
                .endSpec()
                .build();
    }

    public StatefulSet statefulSet(String name, int replicas, Map<String, String> labels) {
        StatefulSet created = client.apps()
                .statefulSets()
                .inNamespace(namespace)
                .resource(new StatefulSetBuilder()
                        .withMetadata(meta(name, labels, Map.of()))
                        .withNewSpec()
                        .withReplicas(replicas)
                        .withServiceName(name)
                        .withSelector(appSelector(name))
                        .withTemplate(podTemplate(name, "postgres:15.2-alpine"))
                        .endSpec()
                        .build())
                .create();
        startPods(name, replicas);
        markRolledOut(created);
        return created;
    }

    /** An HPA (autoscaling/v2) on a Deployment, as production installs of the api-server have. */
    public void horizontalPodAutoscaler(String deployment, int minReplicas, int maxReplicas) {
        client.autoscaling()
                .v2()
                .horizontalPodAutoscalers()
                .inNamespace(namespace)
                .resource(new HorizontalPodAutoscalerBuilder()
                        .withNewMetadata()
                        .withName(deployment)
                        .endMetadata()
                        .withNewSpec()
                        .withMinReplicas(minReplicas)
                        .withMaxReplicas(maxReplicas)
                        .withNewScaleTargetRef()
                        .withApiVersion("apps/v1")
                        .withKind("Deployment")
                        .withName(deployment)
                        .endScaleTargetRef()
                        .endSpec()
                        .build())
                .create();
    }

    /** Pods {@code <workload>-<i>} labelled {@code app=<workload>}, Running and Ready. */
    public void startPods(String workload, int count) {
        for (int i = 0; i < count; i++) {
            client.pods()
                    .inNamespace(namespace)
                    .resource(new PodBuilder()
                            .withNewMetadata()
                            .withName(workload + "-" + i)
                            .addToLabels("app", workload)
                            .endMetadata()
                            .withNewSpec()
                            .addNewContainer()
                            .withName("main")
                            .withImage("onyxdotapp/onyx-backend:v2.0.0")
                            .endContainer()
                            .endSpec()
                            .withNewStatus()
                            .withPhase("Running")
                            .addNewCondition()
                            .withType("Ready")
                            .withStatus("True")
                            .endCondition()
                            .endStatus()
                            .build())
                    .createOr(existing -> existing.update());
        }
    }

    /** What the ReplicaSet controller does after a scale-down to 0: the pods go away. */
    public void stopPods(String workload) {
        client.pods().inNamespace(namespace).withLabel("app", workload).delete();
    }

    public List<Pod> pods(String workload) {
        return client.pods()
                .inNamespace(namespace)
                .withLabel("app", workload)
                .list()
                .getItems();
    }

    public Deployment getDeployment(String name) {
        return client.apps().deployments().inNamespace(namespace).withName(name).get();
    }

    public StatefulSet getStatefulSet(String name) {
        return client.apps()
                .statefulSets()
                .inNamespace(namespace)
                .withName(name)
                .get();
    }

    /** What the Deployment/StatefulSet controller reports once every desired pod is updated and available. */
    public void markRolledOut(HasMetadata workload) {
        String name = workload.getMetadata().getName();
        if (workload instanceof Deployment) {
            Deployment current = getDeployment(name);
            int replicas = current.getSpec().getReplicas();
            current.setStatus(new DeploymentStatusBuilder()
                    .withObservedGeneration(generation(current.getMetadata()))
                    .withReplicas(replicas)
                    .withUpdatedReplicas(replicas)
                    .withReadyReplicas(replicas)
                    .withAvailableReplicas(replicas)
                    .build());
            client.apps().deployments().inNamespace(namespace).resource(current).updateStatus();
        } else {
            StatefulSet current = getStatefulSet(name);
            int replicas = current.getSpec().getReplicas();
            current.setStatus(new StatefulSetStatusBuilder()
                    .withObservedGeneration(generation(current.getMetadata()))
                    .withReplicas(replicas)
                    .withUpdatedReplicas(replicas)
                    .withReadyReplicas(replicas)
                    .withAvailableReplicas(replicas)
                    .build());
            client.apps()
                    .statefulSets()
                    .inNamespace(namespace)
                    .resource(current)
                    .updateStatus();
        }
    }

    private static long generation(ObjectMeta meta) {
        return meta.getGeneration() == null ? 0 : meta.getGeneration();
    }

    private static ObjectMeta meta(String name, Map<String, String> labels, Map<String, String> annotations) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("app.kubernetes.io/instance", "onyx");
        all.put("app", name);
        all.putAll(labels);
        return new ObjectMetaBuilder()
                .withName(name)
                .withLabels(all)
                .withAnnotations(annotations)
                .build();
    }

    private static Map<String, Integer> ordered(Object... pairs) {
        Map<String, Integer> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], (Integer) pairs[i + 1]);
        }
        return map;
    }
}
