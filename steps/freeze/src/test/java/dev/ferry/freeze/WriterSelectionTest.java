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
