package dev.ferry.kube;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;

/**
 * The container of a guard Job Ferry starts to outlive a run (freeze's unfreeze guard, follow mode's slot guard): a
 * step program that mostly waits, so it asks for little, and runs as restricted as the Tasks' own steps.
 */
public final class GuardContainer {

    private GuardContainer() {}

    /** The step program of {@code image} with {@code env}; add more (envFrom) through a builder over it. */
    public static Container of(String image, List<EnvVar> env) {
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
