package dev.ferry.alembicrun;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Settings of the alembic-run step (shared ones: {@code FerryConfig}, {@code KubeConfig}, {@code PostgresConfig}). */
@ConfigMapping(prefix = "ferry.alembic")
public interface AlembicConfig {

    /** Where alembic runs. */
    enum Mode {
        /** A Kubernetes Job with the Onyx backend image. */
        JOB,
        /** A child process of this step (alembic on the PATH, the Onyx backend checked out in the work directory). */
        LOCAL
    }

    /** FERRY_ALEMBIC_MODE: {@code job} (a Kubernetes Job with the backend image) or {@code local} (a child process). */
    @WithDefault("job")
    Mode mode();

    /** FERRY_ALEMBIC_IMAGE: the Onyx backend image of the tag being deployed, e.g. {@code onyxdotapp/onyx-backend:v2.1.0}; required in job mode. */
    Optional<String> image();

    /** FERRY_ALEMBIC_CONFIG_MAP: the Onyx ConfigMap given to the Job as its environment (Helm {@code config.envConfigMapName}). */
    @WithDefault("env-configmap")
    String configMap();

    /** FERRY_ALEMBIC_SECRET: the Secret holding the database login, mapped to POSTGRES_USER/POSTGRES_PASSWORD. */
    @WithDefault("onyx-postgresql")
    String secret();

    /** FERRY_ALEMBIC_SECRET_USER_KEY: key of the user name in that Secret ({@code username}; older installs {@code postgres_user}). */
    @WithDefault("username")
    String secretUserKey();

    /** FERRY_ALEMBIC_SECRET_PASSWORD_KEY: key of the password in that Secret ({@code password}; older installs {@code postgres_password}). */
    @WithDefault("password")
    String secretPasswordKey();

    /**
     * FERRY_ALEMBIC_SECRET_ENV_FROM: give the whole Secret to the Job with {@code envFrom} instead of
     * mapping the two keys, for Secrets whose keys already are POSTGRES_USER/POSTGRES_PASSWORD.
     */
    @WithDefault("false")
    boolean secretEnvFrom();

    /**
     * FERRY_ALEMBIC_OBJECT_STORAGE_SECRET: Onyx's object-storage Secret (Helm {@code onyx-objectstorage}: {@code
     * S3_AWS_ACCESS_KEY_ID}, {@code S3_AWS_SECRET_ACCESS_KEY}) given to the Job with envFrom; the endpoint and bucket come
     * with the ConfigMap. Onyx migration c9e2cd766c29 (June 2025) moves a database's file_store large objects into that
     * store during alembic upgrade: a database that still has them is refused (exit 2) when neither this nor
     * FERRY_ALEMBIC_SERVICE_ACCOUNT is set, and then the Secret must exist. Unset: none.
     */
    Optional<String> objectStorageSecret();

    /** FERRY_ALEMBIC_SERVICE_ACCOUNT: service account of the Job's pod (unset: the namespace default). */
    Optional<String> serviceAccount();

    /** FERRY_ALEMBIC_MULTI_TENANT: force the multi-tenant layout on or off; unset: detected from tenant_* schemas. */
    Optional<Boolean> multiTenant();

    /**
     * FERRY_ALEMBIC_TENANT_JOBS: multi-tenant only: parallel alembic processes of Onyx's tenant runner
     * (alembic/run_multitenant_migrations.py -j), used when the image has it. Unset: the runner's own default (6).
     */
    java.util.OptionalInt tenantJobs();

    /** FERRY_ALEMBIC_TIMEOUT: how long the migrations may take before exit 5. */
    @WithDefault("30m")
    Duration timeout();

    /** FERRY_ALEMBIC_WORKDIR: local mode only: the folder holding alembic.ini, alembic/ and alembic_tenants/. */
    @WithDefault("/app")
    Path workdir();

    /** FERRY_ALEMBIC_EXECUTABLE: local mode only: the alembic program to run. */
    @WithDefault("alembic")
    String executable();
}
