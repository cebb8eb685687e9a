package dev.ferry.validate;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.OptionalInt;

/** Settings of the validate step (env vars {@code FERRY_VALIDATE_*}); the target is {@code POSTGRES_*}. */
@ConfigMapping(prefix = "ferry.validate")
public interface ValidateConfig {

    /**
     * FERRY_VALIDATE_STRICT_EXTENSIONS: treat an extension that is newer on the target than in the
     * source, or present only on the target, as a mismatch instead of a warning.
     */
    @WithDefault("false")
    boolean strictExtensions();

    /**
     * FERRY_VALIDATE_CONTENT: {@code full} digests every table's rows and the large objects on the target and
     * compares them with the digests dump took in its snapshot (a changed value, a flipped byte fails); {@code
     * sample} digests one row in 16 of each table (chosen by its key's hash, the same rows dump digested) and every
     * large object, at about the cost of counting; {@code counts} compares exact row counts only.
     */
    @WithDefault("full")
    Content content();

    /** What the tables are compared by. */
    enum Content {
        FULL("every row's content"),
        SAMPLE("the content of one row in " + dev.ferry.pg.ContentDigests.SAMPLE_ONE_IN + " of each table"),
        COUNTS("row counts only");

        private final String compares;

        Content(String compares) {
            this.compares = compares;
        }

        /** What this mode compares, for the report. */
        public String compares() {
            return compares;
        }
    }

    /**
     * FERRY_VALIDATE_JOBS: sessions that read the target's tables at once, all in one snapshot. Unset: one per
     * CPU the step may use, up to 8.
     */
    OptionalInt jobs();

    /**
     * FERRY_VALIDATE_PREDICT_FREEZE: the predicted outage's freeze part when no freeze ran (a rehearsal): how long
     * the writers' pods take to go. Kubernetes' default terminationGracePeriodSeconds is 30 s.
     */
    @WithDefault("30s")
    Duration predictFreeze();

    /**
     * FERRY_VALIDATE_PREDICT_ALEMBIC: the predicted outage's alembic-run part (it runs after validate): the Job's
     * pod start and `alembic upgrade head`. Take it from an earlier cutover's alembic-run when there is one.
     */
    @WithDefault("1m")
    Duration predictAlembic();

    /**
     * FERRY_VALIDATE_PREDICT_SCALE_UP: the predicted outage's scale-up part (it runs after validate): until every
     * writer's rollout is available again, Onyx's api-server start included.
     */
    @WithDefault("2m")
    Duration predictScaleUp();
}
