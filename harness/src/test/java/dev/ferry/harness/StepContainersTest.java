package dev.ferry.harness;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StepContainersTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final StepContainers containers = new StepContainers("local", Path.of("/etc/ferry/containers.conf"));

    @Test
    void aStepRunsAsItsTaskSaysWithSecretsByNameOnly() throws Exception {
        JsonNode step = JSON.readTree("""
                {"name": "dump", "securityContext": {"runAsNonRoot": true, "allowPrivilegeEscalation": false,
                   "readOnlyRootFilesystem": true, "capabilities": {"drop": ["ALL"]}},
                 "computeResources": {"limits": {"cpu": "500m", "memory": "2Gi"}}}
                """);
        Map<String, String> env = new LinkedHashMap<>();
        env.put("FERRY_WORKDIR", "/workspace/data");
        env.put("POSTGRES_PASSWORD", "s3cret");
        Map<String, Path> mounts = new LinkedHashMap<>();
        mounts.put("/tekton/results", Path.of("/runs/dump/results"));
        mounts.put("/tmp", Path.of("/runs/dump/volumes/tmp"));

        List<String> argv = containers.command(
                "ferry-step-1",
                containers.localImage("quay.io/ferry/ferry-dump@sha256:00"),
                step,
                List.of("/deployments/ferry-step"),
                List.of(),
                env,
                Set.of("POSTGRES_PASSWORD"),
                mounts);

        String line = String.join(" ", argv);
        assertThat(line)
                .startsWith("podman run --rm --name ferry-step-1 --pull never --network host --user " + containers.uid()
                        + ":0 ")
                .contains("--read-only --read-only-tmpfs=false")
                .contains("--security-opt no-new-privileges")
                .contains("--cap-drop all")
                .contains("--memory 2147483648 --cpus 0.5")
                .contains("--volume /runs/dump/results:/tekton/results --volume /runs/dump/volumes/tmp:/tmp")
                .contains("--env FERRY_WORKDIR=/workspace/data --env POSTGRES_PASSWORD ")
                .endsWith("--entrypoint=[\"/deployments/ferry-step\"] localhost/ferry-dump:local")
                .doesNotContain("s3cret");
        assertThat(containers.uid()).isBetween(1_000_000_000L, 1_999_999_999L);
    }

    @Test
    void limitsTranslateToPodmansUnits() {
        assertThat(StepContainers.bytes("512Mi")).isEqualTo("536870912");
        assertThat(StepContainers.bytes("1G")).isEqualTo("1000000000");
        assertThat(StepContainers.cpus("250m")).isEqualTo("0.25");
        assertThat(StepContainers.cpus("1")).isEqualTo("1");
    }
}
