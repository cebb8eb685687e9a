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
