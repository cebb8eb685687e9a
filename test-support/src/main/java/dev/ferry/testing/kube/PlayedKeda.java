package dev.ferry.testing.kube;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Plays KEDA's operator against the Kubernetes API double, for ScaledObjects shaped like those of Onyx's
 * chart (deployment/helm/charts/onyx/templates/*-scaledobject.yaml: a Deployment target, a
 * {@code minReplicaCount}, CPU or memory triggers). Each tick does, per ScaledObject, what KEDA does for one
 * with no active trigger:
 * <ul>
 *   <li>{@code autoscaling.keda.sh/paused-replicas: "N"}: scale the target to N and do nothing else
 *       (kedacore/keda, controllers/keda/scaledobject_controller.go: a paused ScaledObject is scaled to the
 *       paused count, its scale loop stopped and its HPA deleted; a target found away from that count is
 *       scaled back on the next reconcile);
 *   <li>{@code autoscaling.keda.sh/paused: "true"}: nothing (the loop is stopped at the current count);
 *   <li>otherwise the scale loop (pkg/scaling/executor/scale_scaledobjects.go, RequestScale): a target
 *       below {@code minReplicaCount} is raised to it; with a minimum of 0 a target with replicas is
 *       scaled to 0 (no trigger is ever active here, so there is no cooldown to wait for).
 * </ul>
 * The HPA KEDA creates for scaling above the minimum is not played: no trigger is active in these tests.
 */
public final class PlayedKeda implements AutoCloseable {

    public static final ResourceDefinitionContext SCALED_OBJECT = new ResourceDefinitionContext.Builder()
            .withGroup("keda.sh")
            .withVersion("v1alpha1")
            .withKind("ScaledObject")
            .withPlural("scaledobjects")
            .withNamespaced(true)
            .build();

    private final KubernetesClient client;
    private final String namespace;
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "played-keda");
        thread.setDaemon(true);
        return thread;
    });

    public PlayedKeda(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    /** A ScaledObject as the chart renders it, targeting {@code deployment}, with extra annotations. */
    public void scaledObject(String name, String deployment, int minReplicaCount, Map<String, String> annotations) {
        client.genericKubernetesResources(SCALED_OBJECT)
                .inNamespace(namespace)
                .resource(new GenericKubernetesResourceBuilder()
                        .withApiVersion("keda.sh/v1alpha1")
                        .withKind("ScaledObject")
                        .withNewMetadata()
                        .withName(name)
                        .withAnnotations(annotations)
                        .endMetadata()
                        .addToAdditionalProperties(
                                "spec",
                                Map.of(
                                        "scaleTargetRef",
                                        Map.of("name", deployment),
                                        "minReplicaCount",
                                        minReplicaCount,
                                        "maxReplicaCount",
                                        10,
                                        "pollingInterval",
                                        30))
                        .build())
                .create();
    }

    /** Starts ticking every {@code interval}, as KEDA's polling interval, until closed. */
    public PlayedKeda start(Duration interval) {
        loop.scheduleWithFixedDelay(this::tickQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** One pass over every ScaledObject of the namespace. */
    public void tick() {
        for (GenericKubernetesResource scaledObject : client.genericKubernetesResources(SCALED_OBJECT)
                .inNamespace(namespace)
                .list()
                .getItems()) {
            act(scaledObject);
        }
    }

    public Map<String, String> annotations(String name) {
        GenericKubernetesResource found = client.genericKubernetesResources(SCALED_OBJECT)
                .inNamespace(namespace)
                .withName(name)
                .get();
        Map<String, String> annotations = found.getMetadata().getAnnotations();
        return annotations == null ? Map.of() : Map.copyOf(annotations);
    }

    private void act(GenericKubernetesResource scaledObject) {
        Map<String, String> annotations = scaledObject.getMetadata().getAnnotations() == null
                ? Map.of()
                : scaledObject.getMetadata().getAnnotations();
        Map<?, ?> spec = (Map<?, ?>) scaledObject.getAdditionalProperties().get("spec");
        String target = String.valueOf(((Map<?, ?>) spec.get("scaleTargetRef")).get("name"));
        Deployment deployment = client.apps()
                .deployments()
                .inNamespace(namespace)
                .withName(target)
                .get();
        if (deployment == null) {
            return;
        }
        int replicas = deployment.getSpec().getReplicas() == null
                ? 1
                : deployment.getSpec().getReplicas();
        String paused = annotations.get("autoscaling.keda.sh/paused-replicas");
        if (paused != null) {
            scaleIfDifferent(deployment, replicas, Integer.parseInt(paused.strip()));
            return;
        }
        if ("true".equalsIgnoreCase(annotations.get("autoscaling.keda.sh/paused"))) {
            return;
        }
        int minimum = ((Number) spec.get("minReplicaCount")).intValue();
        if (minimum == 0 && replicas > 0) {
            scaleIfDifferent(deployment, replicas, 0);
        } else if (replicas < minimum) {
            scaleIfDifferent(deployment, replicas, minimum);
        }
    }

    /**
     * Writes the count back onto the object as read, resourceVersion included, as KEDA's
     * updateScaleOnScaleTarget writes back the Scale it got: if someone scaled the target in between, the API
     * server refuses the write (409) and the next tick decides anew, instead of undoing that scale.
     */
    private void scaleIfDifferent(Deployment deployment, int current, int wanted) {
        if (current != wanted) {
            deployment.getSpec().setReplicas(wanted);
            client.apps()
                    .deployments()
                    .inNamespace(namespace)
                    .resource(deployment)
                    .update();
        }
    }

    private void tickQuietly() {
        for (GenericKubernetesResource scaledObject : client.genericKubernetesResources(SCALED_OBJECT)
                .inNamespace(namespace)
                .list()
                .getItems()) {
            try {
                act(scaledObject);
            } catch (RuntimeException conflictOrGone) {
                // Changed (409) or gone between the read and the write: the next tick sees it anew.
            }
        }
    }

    @Override
    public void close() {
        loop.shutdownNow();
    }
}
