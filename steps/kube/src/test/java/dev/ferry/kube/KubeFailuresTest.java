package dev.ferry.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.ExitCode;
import dev.ferry.core.StepFailure;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

class KubeFailuresTest {

    @Test
    void forbiddenNamesTheRoleToBind() {
        KubernetesClientException forbidden = new KubernetesClientException(new StatusBuilder()
                .withCode(403)
                .withMessage(
                        "deployments.apps/scale \"onyx-api-server\" is forbidden: User \"system:serviceaccount:onyx:ferry\" cannot update")
                .build());

        StepFailure failure = KubeFailures.explain(forbidden, "onyx", "deploy/rbac/freeze-role.yaml");

        assertThat(failure.exitCode()).isEqualTo(ExitCode.BAD_CONFIGURATION);
        assertThat(failure.getMessage())
                .isEqualTo("the Kubernetes API refused an operation in namespace onyx: deployments.apps/scale "
                        + "\"onyx-api-server\" is forbidden: User \"system:serviceaccount:onyx:ferry\" cannot update "
                        + "(bind the Role in deploy/rbac/freeze-role.yaml to the step's service account)");
    }

    @Test
    void anUnreachableApiServerIsBadConfiguration() {
        KubernetesClientException unreachable = new KubernetesClientException(
                "Operation: [list] for kind: [Deployment] failed.", new ConnectException("Connection refused"));

        StepFailure failure = KubeFailures.explain(unreachable, "onyx", "deploy/rbac/freeze-role.yaml");

        assertThat(failure.exitCode()).isEqualTo(ExitCode.BAD_CONFIGURATION);
        assertThat(failure.getMessage())
                .startsWith("cannot reach the Kubernetes API server: Operation: [list]")
                .contains("Connection refused")
                .endsWith("(run in a cluster, or set KUBECONFIG)");
    }
}
