package dev.ferry.upload;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the upload step (env vars {@code FERRY_UPLOAD_*}); the store is {@code AWS_*} and {@code FERRY_S3_*}. */
@ConfigMapping(prefix = "ferry.upload")
public interface UploadConfig {

    /**
     * FERRY_UPLOAD_CONTENT: {@code migration} uploads the dump's artifacts and then manifest.json; {@code report}
     * uploads the files of FERRY_WORKDIR/report (validate's validation.json, validation.md and timeline.svg) next
     * to the migration the workspace's manifest.json names, under {@code <migration-id>/report/}, and nothing else.
     */
    @WithDefault("migration")
    Content content();

    /** What one run of the step uploads. */
    enum Content {
        MIGRATION,
        REPORT
    }
}
