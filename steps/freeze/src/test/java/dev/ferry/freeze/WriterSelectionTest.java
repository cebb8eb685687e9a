package dev.ferry.freeze;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WriterSelectionTest {

    @Test
    void knowsTheWriterNamesOfEveryOnyxChartGeneration() {
        for (String writer : new String[] {
            "onyx-api-server",
            "api-server-deployment",
            "prod-onyx-celery-beat",
            "onyx-celery-worker-primary",
            "onyx-celery-worker-user-files-indexing",
            "onyx-celery-worker-indexing",
            "onyx-slackbot",
            "onyx-discordbot",
            "background-deployment",
            "danswer-background"
        }) {
            assertThat(WriterSelection.onyxWriterReason(writer)).as(writer).isPresent();
        }
    }

    @Test
    void leavesNonWritersAlone() {
        for (String other : new String[] {
            "onyx-web-server",
            "web-server-deployment",
            "onyx-inference-model",
            "onyx-indexing-model",
            "onyx-mcp-server",
            "onyx-postgresql",
            "relational-db-statefulset",
            "onyx-vespa"
        }) {
            assertThat(WriterSelection.onyxWriterReason(other)).as(other).isEmpty();
        }
    }

    /**
     * The chart of late 2026 (deployment/helm/charts/onyx/templates): the Teams bot runs
     * onyx/onyxbot/teams/server.py with the Postgres credentials, like the Slack and Discord bots. The agent
     * service (Redis and the API only), the CLI SSH server (the API only), PgBouncer (the dump may connect
     * through it) and the sandbox proxy are not writers.
     */
    @Test
    void theLate2026ChartsWritersAndNoneOfItsOtherWorkloads() {
        for (String writer : new String[] {
            "onyx-api-server",
            "onyx-celery-beat",
            "onyx-celery-worker-primary",
            "onyx-celery-worker-docfetching",
            "onyx-celery-worker-docprocessing",
            "onyx-celery-worker-user-file-processing",
            "onyx-slackbot",
            "onyx-discordbot",
            "onyx-teamsbot"
        }) {
            assertThat(WriterSelection.onyxWriterReason(writer)).as(writer).isPresent();
        }
        for (String other : new String[] {
            "onyx-web-server",
            "onyx-agent",
            "onyx-cli-server",
            "onyx-pgbouncer",
            "onyx-sandbox-proxy",
            "onyx-redis-exporter",
            "onyx-mcp-server"
        }) {
            assertThat(WriterSelection.onyxWriterReason(other)).as(other).isEmpty();
        }
    }

    /**
     * The plain manifests before the Helm chart (deployment/kubernetes): the API server, one background
     * Deployment running every celery process under supervisord, and the Slack bot
     * (slackbot-service-deployment.yaml, {@code slack-bot-deployment}, python onyx/onyxbot/slack/listener.py).
     */
    @Test
    void thePlainManifestsWritersAndNoneOfTheirOtherWorkloads() {
        assertWriters("api-server-deployment", "background-deployment", "slack-bot-deployment");
        assertNotWriters(
                "web-server-deployment",
                "inference-model-server-deployment",
                "indexing-model-server-deployment",
                "relational-db-statefulset",
                "vespa-statefulset",
                "nginx-deployment");
    }

    /**
     * The onyx-stack chart of 2024 (templates/api-deployment.yaml, celery-beat.yaml, celery-worker-heavy.yaml,
     * -light, -primary, -indexing, -monitoring, -user-files-indexing, slackbot.yaml; names
     * {@code <fullname>-<suffix>}).
     */
    @Test
    void theOnyxStackChartOf2024sWritersAndNoneOfItsOtherWorkloads() {
        assertWriters(
                "onyx-stack-api-server",
                "onyx-stack-celery-beat",
                "onyx-stack-celery-worker-heavy",
                "onyx-stack-celery-worker-light",
                "onyx-stack-celery-worker-primary",
                "onyx-stack-celery-worker-indexing",
                "onyx-stack-celery-worker-monitoring",
                "onyx-stack-celery-worker-user-files-indexing",
                "onyx-stack-slackbot");
        assertNotWriters(
                "onyx-stack-webserver",
                "onyx-stack-web-server",
                "onyx-stack-inference-model",
                "onyx-stack-indexing-model",
                "onyx-stack-nginx",
                "onyx-stack-redis");
    }

    /**
     * The chart of 2025 (templates/celery-worker-docfetching.yaml, -docprocessing, -document-processing,
     * -user-file-processing, -scheduled-tasks, discordbot.yaml, mcp-server-deployment.yaml).
     */
    @Test
    void theChartOf2025sWritersAndNoneOfItsOtherWorkloads() {
        assertWriters(
                "onyx-celery-worker-docfetching",
                "onyx-celery-worker-docprocessing",
                "onyx-celery-worker-document-processing",
                "onyx-celery-worker-user-file-processing",
                "onyx-celery-worker-scheduled-tasks",
                "onyx-discordbot");
        assertNotWriters("onyx-mcp-server", "onyx-web-server", "onyx-inference-model", "onyx-indexing-model");
    }

    private static void assertWriters(String... names) {
        for (String name : names) {
            assertThat(WriterSelection.onyxWriterReason(name)).as(name).isPresent();
        }
    }

    private static void assertNotWriters(String... names) {
        for (String name : names) {
            assertThat(WriterSelection.onyxWriterReason(name)).as(name).isEmpty();
        }
    }

    @Test
    void globsAreShellLike() {
        assertThat(WriterSelection.glob("onyx-celery-*")
                        .matcher("onyx-celery-worker-light")
                        .matches())
                .isTrue();
        assertThat(WriterSelection.glob("onyx-api-serve?")
                        .matcher("onyx-api-server")
                        .matches())
                .isTrue();
        assertThat(WriterSelection.glob("onyx.api").matcher("onyx-api").matches())
                .as("dot is literal")
                .isFalse();
    }
}
