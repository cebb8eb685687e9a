package dev.ferry.kube;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import java.util.Locale;

/**
 * What the guard Jobs Ferry starts to outlive a run have in common (freeze's unfreeze guard, follow mode's slot
 * guard): a name that is a valid DNS label, created once and kept when asked again, and a container that mostly waits,
 * so it asks for little, and runs as restricted as the Tasks' own steps.
 */
public final class GuardJobs {

    private GuardJobs() {}

    /** {@code prefix} + {@code id} as a Job name: lower case, other characters as '-', at most 63 characters. */
    public static String name(String prefix, String id) {
        String name = prefix + id.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
        return (name.length() > 63 ? name.substring(0, 63) : name).replaceAll("-+$", "");
    }

    /**
     * Creates {@code job}; true when created, false when a Job of that name was already there (an earlier run armed
     * it, and it is kept as it is).
     */
    public static boolean createOrKeep(KubernetesClient client, Job job) {
        try {
            client.batch()
                    .v1()
                    .jobs()
                    .inNamespace(job.getMetadata().getNamespace())
                    .resource(job)
                    .create();
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            return false;
        }
    }

    /** The step program of {@code image} with {@code env}; add more (envFrom) through a builder over it. */
    public static Container container(String image, List<EnvVar> env) {
        return new ContainerBuilder()
                .withName("guard")
                .withImage(image)
                .withCommand("/deployments/ferry-step")
                .withEnv(env)
                .withNewResources()
                .addToRequests("cpu", new Quantity("10m"))
                .addToRequests("memory", new Quantity("128Mi"))
                .addToLimits("memory", new Quantity("256Mi"))
                .endResources()
                .withNewSecurityContext()
                .withRunAsNonRoot(true)
                .withAllowPrivilegeEscalation(false)
                .withNewCapabilities()
                .addToDrop("ALL")
                .endCapabilities()
                .withNewSeccompProfile()
                .withType("RuntimeDefault")
                .endSeccompProfile()
                .endSecurityContext()
                .build();
    }
}
