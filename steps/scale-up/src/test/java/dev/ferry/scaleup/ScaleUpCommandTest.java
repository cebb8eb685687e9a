package dev.ferry.scaleup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.testing.InProcessStep;
import dev.ferry.kube.Cluster;
import dev.ferry.kube.KubeConfig;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** scale-up's failures a user fixes with a setting, each with the one line a user reads. */
class ScaleUpCommandTest {

    @TempDir
    Path workdir;

    static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    ScaleUpCommand command(KubernetesClient client, Map<String, String> env) {
        ScaleUpCommand command = InProcessStep.configured(new ScaleUpCommand(), env);
        command.cluster = Cluster.of(InProcessStep.config(KubeConfig.class, env), client);
        return command;
    }

    @Test
    void anUnreachableApiServerIsNamedWithTheFix() throws Exception {
        Config config = new ConfigBuilder(Config.empty())
                .withMasterUrl("http://127.0.0.1:" + closedPort())
                .withRequestRetryBackoffLimit(0)
                .withConnectionTimeout(2000)
                .build();
        try (KubernetesClient client =
                new KubernetesClientBuilder().withConfig(config).build()) {
            InProcessStep.Outcome outcome = InProcessStep.run(command(
                    client,
                    Map.of(
                            "FERRY_WORKDIR",
                            workdir.toString(),
                            "FERRY_NAMESPACE",
                            "onyx",
                            "FERRY_SCALE_UP_REPLICAS",
                            "api-server=2")));

            assertThat(outcome.exitCode()).isEqualTo(2);
            assertThat(outcome.lastLine())
                    .startsWith("step=scale-up outcome=failed exit=2 (bad configuration): cannot reach the "
                            + "Kubernetes API server: ")
                    .endsWith("(run in a cluster, or set KUBECONFIG)");
        }
    }

    @Test
    void noNamespaceAnywhereIsNamed() throws Exception {
        Config config = new ConfigBuilder(Config.empty())
                .withMasterUrl("http://127.0.0.1:" + closedPort())
                .build();
        try (KubernetesClient client =
                new KubernetesClientBuilder().withConfig(config).build()) {
            InProcessStep.Outcome outcome =
                    InProcessStep.run(command(client, Map.of("FERRY_WORKDIR", workdir.toString())));

            assertThat(outcome.exitCode()).isEqualTo(2);
            assertThat(outcome.lastLine())
                    .endsWith("FERRY_NAMESPACE is not set and neither a service account nor KUBECONFIG names "
                            + "a namespace");
        }
    }
}
