package dev.ferry.testing.pg;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The Onyx-shaped database every test uses, in one place: the tables, types and quirks of Onyx's
 * schema (see ONYX.md) with deterministic content, in a single-tenant ({@code public}) or a
 * multi-tenant layout (two {@code tenant_<uuid>} schemas plus the shared catalog in {@code public}).
 * Sizes scale up ({@link #withChatMessages}) for a local rehearsal or a benchmark.
 */
public final class OnyxFixture {

    /** Onyx's migrations create this cluster-wide role; a restore target may lack it. */
    public static final String READONLY_ROLE = "db_readonly_user";
    /** Its password on the source (DB_READONLY_PASSWORD): Onyx logs in as it for knowledge-graph SQL. */
    public static final String READONLY_PASSWORD = "ro-Onyx-kg-1";
    /** Revision stored in every tenant (or the single-tenant) schema's alembic_version. */
    public static final String ALEMBIC_HEAD = "3c8f4ba6e3f1";
    /** Revision of the public schema's own tree in the multi-tenant layout ({@code schema_private}). */
    public static final String ALEMBIC_PRIVATE_HEAD = "a1b2c3d4e5f6";
    /** Tenant schemas of the multi-tenant layout; the hyphens make them need quoting everywhere. */
    public static final List<String> TENANT_SCHEMAS =
            List.of("tenant_4f1c2b9e-8d3a-4c6b-9e2f-1a7d5c3b8e01", "tenant_9a0e7d6c-5b4a-4f3e-8d2c-1b0a9f8e7d02");
    /** Tables every Onyx schema holds in this fixture (alembic_version included). */
    public static final List<String> ONYX_TABLES = List.of(
            "user",
            "oauth_account",
            "accesstoken",
            "api_key",
            "llm_provider",
            "search_settings",
            "connector",
            "credential",
            "connector_credential_pair",
            "document",
            "document_by_connector_credential_pair",
            "index_attempt",
            "persona",
            "tool",
            "document_set",
            "chat_session",
            "chat_message",
            "search_doc",
            "user_file",
            "file_record",
            "file_content",
            "key_value_store",
            "kg_entity",
            "alembic_version");

    private final boolean multiTenant;
    private final int users;
    private final int chatMessages;
    private final int documents;
    private final int largeObjects;

    private OnyxFixture(boolean multiTenant, int users, int chatMessages, int documents, int largeObjects) {
        this.multiTenant = multiTenant;
        this.users = users;
        this.chatMessages = chatMessages;
        this.documents = documents;
        this.largeObjects = largeObjects;
    }

    /** Everything in {@code public}, as a self-hosted Onyx keeps it. */
    public static OnyxFixture singleTenant() {
        return new OnyxFixture(false, 40, 600, 300, 4);
    }

    /** Two tenant schemas plus the shared catalog tables in {@code public}. */
    public static OnyxFixture multiTenant() {
        return new OnyxFixture(true, 20, 200, 120, 3);
    }

    /** Scales the largest table up, e.g. for a rehearsal with a few hundred MB of chat history. */
    public OnyxFixture withChatMessages(int count) {
        return new OnyxFixture(multiTenant, users, count, documents, largeObjects);
    }

    public boolean isMultiTenant() {
        return multiTenant;
    }

    /** The schemas that hold Onyx's tables: {@code public}, or the tenant schemas. */
    public List<String> onyxSchemas() {
        return multiTenant ? TENANT_SCHEMAS : List.of("public");
    }

    public int users() {
        return users;
    }

    public int chatMessages() {
        return chatMessages;
    }

    public int documents() {
        return documents;
    }

    /** Large objects per Onyx schema (each referenced from {@code file_content.lobj_oid}). */
    public int largeObjectsPerSchema() {
        return largeObjects;
    }

    /** Creates {@code database} on {@code server} (from template0) and installs the fixture into it as the superuser. */
    public void installInto(PostgresServer server, String database) throws SQLException {
        server.createDatabase(database);
        try (Connection connection = server.connect(database)) {
            install(connection);
        }
    }

    /**
     * Keys {@code public.chat_message} as Onyx's own schema does, by {@code UNIQUE (id)} only with no primary key (the
     * fixture gives it one so the copy-only tests need no replica identity): what a follow must handle.
     */
    public static void keyChatMessageAsOnyxDoes(Connection connection) throws SQLException {
        keyChatMessageAsOnyxDoes(connection, "public");
    }

    /**
     * Keys every table Onyx keys by a unique constraint only as Onyx does, in this layout: each schema's {@code
     * chat_message} by {@code UNIQUE (id)}, and in the multi-tenant layout {@code public.user_tenant_mapping} by its
     * {@code uq_email} and {@code uq_user_tenant} constraints (alembic_tenants 14a83a331951): what a follow must key by
     * a unique index. Needs the tables' owner.
     */
    public void keyAsOnyxDoes(Connection connection) throws SQLException {
        for (String schema : onyxSchemas()) {
            keyChatMessageAsOnyxDoes(connection, schema);
        }
        if (multiTenant) {
            try (Statement sql = connection.createStatement()) {
                sql.execute("ALTER TABLE public.user_tenant_mapping DROP CONSTRAINT user_tenant_mapping_pkey,"
                        + " ADD CONSTRAINT uq_user_tenant UNIQUE (email, tenant_id),"
                        + " ADD CONSTRAINT uq_email UNIQUE (email)");
            }
        }
    }

    private static void keyChatMessageAsOnyxDoes(Connection connection, String schema) throws SQLException {
        try (Statement sql = connection.createStatement()) {
            sql.execute("ALTER TABLE " + PostgresServer.quote(schema) + ".chat_message"
                    + " DROP CONSTRAINT chat_message_pkey, ADD CONSTRAINT chat_message_id_key UNIQUE (id)");
        }
    }

    /** Installs the fixture into the database {@code connection} points at; needs a superuser. */
    public void install(Connection connection) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement sql = connection.createStatement()) {
            sql.execute(CLUSTER_ROLE);
            sql.execute("CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA public");
            sql.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public");
            if (multiTenant) {
                sql.execute(SHARED_CATALOG.replace("{private_head}", ALEMBIC_PRIVATE_HEAD));
            }
            int tenant = 0;
            for (String schema : onyxSchemas()) {
                tenant++;
                String quoted = PostgresServer.quote(schema);
                if (!"public".equals(schema)) {
                    sql.execute("CREATE SCHEMA " + quoted);
                    sql.execute("INSERT INTO public.available_tenant (tenant_id, alembic_version, date_created) "
                            + "VALUES ('" + schema + "', '" + ALEMBIC_HEAD + "', timestamptz '2025-01-0" + tenant
                            + " 00:00Z')");
                    sql.execute("INSERT INTO public.user_tenant_mapping (email, tenant_id, active) "
                            + "SELECT 'user' || i || '@tenant" + tenant + ".example', '" + schema + "', true "
                            + "FROM generate_series(1, " + users + ") i");
                }
                sql.execute(ONYX_SCHEMA.replace("{s}", quoted));
                sql.execute(data(quoted, tenant));
                sql.execute("GRANT USAGE ON SCHEMA " + quoted + " TO " + READONLY_ROLE + "; "
                        + "GRANT SELECT ON ALL TABLES IN SCHEMA " + quoted + " TO " + READONLY_ROLE);
            }
            if (multiTenant) {
                sql.execute("GRANT SELECT ON public.user_tenant_mapping, public.available_tenant TO " + READONLY_ROLE);
            }
            connection.commit();
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    // As Onyx's migration 495cb26ce93e (3b9f09038764 for the tenants tree) creates it: a login role with a password.
    private static final String CLUSTER_ROLE = """
            DO $$ BEGIN
              IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'db_readonly_user') THEN
                CREATE USER db_readonly_user WITH PASSWORD '%s';
              END IF;
            END $$""".formatted(READONLY_PASSWORD);

    private static final String SHARED_CATALOG = """
            CREATE TABLE public.available_tenant (
              tenant_id varchar PRIMARY KEY,
              alembic_version varchar NOT NULL,
              date_created timestamptz NOT NULL);
            CREATE TABLE public.user_tenant_mapping (
              email varchar PRIMARY KEY,
              tenant_id varchar NOT NULL,
              active boolean NOT NULL DEFAULT true);
            CREATE TABLE public.tenant_anonymous_user_path (
              tenant_id varchar PRIMARY KEY,
              anonymous_user_path varchar UNIQUE);
            CREATE TABLE public.alembic_version (version_num varchar(32) PRIMARY KEY);
            INSERT INTO public.alembic_version VALUES ('{private_head}');
            """;

    /** Onyx's tables with their quirks: quoted "user", UUID keys, JSONB, ARRAY, bytea, enums as VARCHAR. */
    private static final String ONYX_SCHEMA = """
            CREATE TABLE {s}."user" (
              id uuid PRIMARY KEY DEFAULT public.gen_random_uuid(),
              email varchar(320) NOT NULL UNIQUE CONSTRAINT ensure_lowercase_email CHECK (email = lower(email)),
              hashed_password varchar(1024) NOT NULL,
              is_active boolean NOT NULL,
              role varchar(10) NOT NULL,
              chosen_assistants jsonb,
              recent_assistants jsonb);
            CREATE TABLE {s}.oauth_account (
              id uuid PRIMARY KEY DEFAULT public.gen_random_uuid(),
              user_id uuid NOT NULL REFERENCES {s}."user"(id) ON DELETE CASCADE,
              oauth_name varchar(100) NOT NULL,
              access_token varchar(1024) NOT NULL,
              account_id varchar(320) NOT NULL,
              account_email varchar(320) NOT NULL);
            CREATE TABLE {s}.accesstoken (
              token varchar(43) PRIMARY KEY,
              user_id uuid NOT NULL REFERENCES {s}."user"(id) ON DELETE CASCADE,
              created_at timestamptz NOT NULL);
            CREATE TABLE {s}.api_key (
              id serial PRIMARY KEY,
              hashed_api_key varchar NOT NULL UNIQUE,
              api_key_display varchar NOT NULL,
              user_id uuid NOT NULL REFERENCES {s}."user"(id),
              owner_id uuid REFERENCES {s}."user"(id));
            CREATE TABLE {s}.llm_provider (
              id serial PRIMARY KEY,
              name varchar NOT NULL UNIQUE,
              provider varchar NOT NULL,
              api_key varchar,
              model_names varchar[],
              custom_config jsonb,
              is_default_provider boolean UNIQUE);
            CREATE TABLE {s}.search_settings (
              id serial PRIMARY KEY,
              model_name varchar NOT NULL,
              model_dim integer NOT NULL,
              normalize boolean NOT NULL,
              query_prefix varchar,
              status varchar NOT NULL,
              index_name varchar NOT NULL,
              multipass_indexing boolean NOT NULL DEFAULT true);
            CREATE TABLE {s}.connector (
              id serial PRIMARY KEY,
              name varchar NOT NULL,
              source varchar(50) NOT NULL,
              input_type varchar(10),
              connector_specific_config jsonb NOT NULL,
              refresh_freq integer,
              time_created timestamptz NOT NULL,
              disabled boolean NOT NULL DEFAULT false);
            CREATE TABLE {s}.credential (
              id serial PRIMARY KEY,
              credential_json bytea NOT NULL,
              user_id uuid REFERENCES {s}."user"(id) ON DELETE CASCADE,
              admin_public boolean NOT NULL,
              source varchar(100) NOT NULL,
              name varchar);
            CREATE TABLE {s}.connector_credential_pair (
              id serial PRIMARY KEY,
              connector_id integer NOT NULL REFERENCES {s}.connector(id),
              credential_id integer NOT NULL REFERENCES {s}.credential(id),
              name varchar NOT NULL,
              status varchar NOT NULL,
              access_type varchar NOT NULL,
              last_successful_index_time timestamptz,
              UNIQUE (connector_id, credential_id));
            CREATE TABLE {s}.document (
              id varchar PRIMARY KEY,
              from_ingestion_api boolean,
              boost integer,
              hidden boolean,
              semantic_id varchar NOT NULL,
              link varchar,
              doc_updated_at timestamptz,
              primary_owners varchar[],
              secondary_owners varchar[],
              external_user_emails varchar[],
              is_public boolean NOT NULL DEFAULT false);
            CREATE TABLE {s}.document_by_connector_credential_pair (
              id varchar NOT NULL REFERENCES {s}.document(id),
              connector_id integer NOT NULL,
              credential_id integer NOT NULL,
              PRIMARY KEY (id, connector_id, credential_id),
              FOREIGN KEY (connector_id, credential_id)
                REFERENCES {s}.connector_credential_pair(connector_id, credential_id));
            CREATE TABLE {s}.index_attempt (
              id serial PRIMARY KEY,
              connector_credential_pair_id integer NOT NULL REFERENCES {s}.connector_credential_pair(id),
              search_settings_id integer REFERENCES {s}.search_settings(id),
              from_beginning boolean NOT NULL,
              status varchar(10) NOT NULL,
              new_docs_indexed integer,
              total_docs_indexed integer,
              error_msg text,
              full_exception_trace text,
              time_created timestamptz NOT NULL,
              time_started timestamptz,
              time_updated timestamptz NOT NULL);
            CREATE TABLE {s}.persona (
              id serial PRIMARY KEY,
              user_id uuid REFERENCES {s}."user"(id),
              name varchar NOT NULL,
              description varchar NOT NULL,
              num_chunks double precision,
              llm_relevance_filter boolean NOT NULL,
              llm_filter_extraction boolean NOT NULL,
              recency_bias varchar NOT NULL,
              starter_messages jsonb,
              builtin_persona boolean NOT NULL,
              is_visible boolean NOT NULL,
              display_priority integer,
              deleted boolean NOT NULL DEFAULT false);
            CREATE TABLE {s}.tool (
              id serial PRIMARY KEY,
              name varchar NOT NULL,
              description text,
              in_code_tool_id varchar,
              openapi_schema jsonb,
              custom_headers jsonb);
            CREATE TABLE {s}.document_set (
              id integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
              name varchar NOT NULL UNIQUE,
              description varchar NOT NULL,
              user_id uuid REFERENCES {s}."user"(id),
              is_up_to_date boolean NOT NULL,
              is_public boolean NOT NULL DEFAULT true);
            CREATE TABLE {s}.chat_session (
              id uuid PRIMARY KEY DEFAULT public.gen_random_uuid(),
              user_id uuid REFERENCES {s}."user"(id) ON DELETE CASCADE,
              persona_id integer REFERENCES {s}.persona(id),
              description text,
              deleted boolean NOT NULL DEFAULT false,
              shared_status varchar NOT NULL,
              time_created timestamptz NOT NULL,
              time_updated timestamptz NOT NULL,
              description_tsv tsvector GENERATED ALWAYS AS (to_tsvector('english', coalesce(description, ''))) STORED);
            CREATE INDEX idx_chat_session_desc_tsv ON {s}.chat_session USING gin (description_tsv);
            CREATE TABLE {s}.chat_message (
              id serial PRIMARY KEY,
              chat_session_id uuid NOT NULL REFERENCES {s}.chat_session(id) ON DELETE CASCADE,
              parent_message integer,
              latest_child_message integer,
              message text NOT NULL,
              rephrased_query text,
              prompt_id integer,
              token_count integer NOT NULL,
              message_type varchar(9) NOT NULL,
              files jsonb,
              citations jsonb,
              time_sent timestamptz NOT NULL,
              -- Onyx's migration 3bd4c84fe72f: every restored row computes it, and its GIN index is the
              -- restore's longest index build.
              message_tsv tsvector GENERATED ALWAYS AS (to_tsvector('english', message)) STORED);
            CREATE INDEX ix_chat_message_session ON {s}.chat_message (chat_session_id);
            CREATE INDEX idx_chat_message_tsv ON {s}.chat_message USING gin (message_tsv);
            CREATE TABLE {s}.search_doc (
              id serial PRIMARY KEY,
              document_id varchar NOT NULL,
              chunk_ind integer NOT NULL,
              semantic_id varchar NOT NULL,
              link varchar,
              blurb varchar NOT NULL,
              boost integer NOT NULL,
              source_type varchar NOT NULL,
              hidden boolean NOT NULL,
              score double precision,
              match_highlights varchar[] NOT NULL,
              updated_at timestamptz,
              primary_owners varchar[],
              secondary_owners varchar[]);
            -- Onyx stores enums as VARCHAR with a CHECK (migration d8cdfee5df80): PostgreSQL 15 and 17 print its
            -- IN list differently (ANY (ARRAY[…])::text[] against ARRAY[(…)::text, …]) after a restore.
            CREATE TABLE {s}.user_file (
              id uuid PRIMARY KEY DEFAULT public.gen_random_uuid(),
              user_id uuid REFERENCES {s}."user"(id) ON DELETE CASCADE,
              name varchar NOT NULL,
              file_id varchar NOT NULL,
              created_at timestamptz NOT NULL,
              token_count integer,
              status varchar NOT NULL,
              incognito boolean NOT NULL DEFAULT false,
              incognito_session_id uuid,
              last_accessed_at timestamptz,
              CONSTRAINT ck_user_file_status
                CHECK (status IN ('PROCESSING', 'INDEXING', 'COMPLETED', 'SKIPPED', 'FAILED', 'CANCELED', 'DELETING')));
            CREATE INDEX ix_user_file_incognito_sweep ON {s}.user_file (incognito_session_id, status, last_accessed_at)
              WHERE incognito;
            CREATE TABLE {s}.file_record (
              file_id varchar PRIMARY KEY,
              display_name varchar,
              file_origin varchar NOT NULL,
              file_type varchar NOT NULL,
              file_metadata jsonb,
              bucket_name varchar,
              object_key varchar);
            CREATE TABLE {s}.file_content (
              file_id varchar PRIMARY KEY REFERENCES {s}.file_record(file_id) ON DELETE CASCADE,
              lobj_oid oid NOT NULL,
              file_size bigint NOT NULL);
            CREATE TABLE {s}.key_value_store (
              key varchar PRIMARY KEY,
              value jsonb,
              encrypted_value bytea);
            CREATE TABLE {s}.kg_entity (
              id_name varchar PRIMARY KEY,
              name varchar NOT NULL,
              entity_type_id_name varchar NOT NULL,
              name_trigrams varchar(3)[],
              occurrences integer NOT NULL DEFAULT 1);
            CREATE INDEX ix_kg_entity_name_trgm ON {s}.kg_entity USING gin (name public.gin_trgm_ops);
            -- Onyx's trigger calls public.show_trgm schema-qualified: pg_restore runs with an empty search_path.
            CREATE FUNCTION {s}.update_kg_entity_trigrams() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              NEW.name_trigrams := public.show_trgm(lower(NEW.name));
              RETURN NEW;
            END $$;
            CREATE TRIGGER kg_entity_trigrams BEFORE INSERT OR UPDATE OF name ON {s}.kg_entity
              FOR EACH ROW EXECUTE FUNCTION {s}.update_kg_entity_trigrams();
            CREATE TABLE {s}.alembic_version (version_num varchar(32) PRIMARY KEY);
            """;

    /**
     * The vocabulary chat messages are written in: real words, so that {@code to_tsvector} stems and
     * indexes them as it does Onyx's chat history (md5 hex would be one lexeme per message).
     */
    private static final String WORDS = "ARRAY["
            + "'the', 'a', 'to', 'of', 'and', 'in', 'is', 'for', 'on', 'with', 'that', 'this', 'it', 'you', "
            + "'can', 'be', 'as', 'are', 'from', 'or', 'by', 'we', 'at', 'have', 'will', 'not', 'your', 'an', "
            + "'if', 'use', 'all', 'our', 'when', 'which', 'more', 'how', 'about', 'what', 'new', 'they', "
            + "'data', 'team', 'should', 'also', 'one', 'there', 'so', 'but', 'please', 'thanks', 'need', "
            + "'query', 'search', 'document', 'connector', 'index', 'answer', 'question', 'user', 'users', "
            + "'help', 'support', 'report', 'customer', 'release', 'deploy', 'cluster', 'database', "
            + "'migration', 'backup', 'restore', 'schema', 'table', 'column', 'row', 'policy', 'security', "
            + "'access', 'token', 'credential', 'password', 'account', 'admin', 'review', 'meeting', 'notes', "
            + "'summary', 'project', 'plan', 'roadmap', 'issue', 'ticket', 'incident', 'outage', 'latency', "
            + "'error', 'warning', 'timeout', 'retry', 'failure', 'success', 'build', 'test', 'pipeline', "
            + "'commit', 'branch', 'merge', 'version', 'upgrade', 'config', 'setting', 'value', 'default', "
            + "'option', 'feature', 'request', 'invoice', 'contract', 'sales', 'revenue', 'quarter', 'budget', "
            + "'forecast', 'marketing', 'campaign', 'launch', 'product', 'design', 'engineering', "
            + "'onboarding', 'handbook', 'benefits', 'vacation', 'holiday', 'office', 'remote', 'hiring', "
            + "'interview', 'candidate', 'offer', 'salary', 'payroll', 'legal', 'compliance', 'audit', "
            + "'privacy', 'gdpr', 'retention', 'archive', 'storage', 'bucket', 'object', 'file', 'folder', "
            + "'page', 'link', 'wiki', 'confluence', 'slack', 'drive', 'email', 'calendar', 'event', "
            + "'channel', 'thread', 'message', 'reply', 'mention', 'reaction', 'attachment', 'image', 'video', "
            + "'slide', 'spreadsheet', 'chart', 'metric', 'dashboard', 'alert', 'monitor', 'log', 'trace', "
            + "'span', 'service', 'endpoint', 'api', 'response', 'status', 'code', 'header', 'payload', "
            + "'json', 'yaml', 'kubernetes', 'pod', 'node', 'namespace', 'secret', 'volume', 'network', "
            + "'proxy', 'gateway', 'router', 'balancer', 'certificate', 'domain', 'dns', 'cache', 'queue', "
            + "'worker', 'celery', 'redis', 'postgres', 'vespa', 'model', 'embedding', 'vector', 'prompt', "
            + "'assistant', 'persona', 'tool', 'agent', 'chat', 'session', 'history', 'context', 'citation', "
            + "'source', 'chunk', 'passage', 'relevance', 'ranking', 'filter', 'recency', 'boost', 'score', "
            + "'feedback', 'thumbs', 'quality', 'evaluation', 'benchmark', 'dataset', 'training', 'inference', "
            + "'gpu', 'memory', 'cpu', 'disk', 'throughput', 'partner', 'vendor', 'renewal', 'churn', "
            + "'growth', 'weekly', 'monthly', 'yearly'"
            + "]";

    /** Deterministic rows: every value derives from the row number and the tenant number. */
    private String data(String s, int tenant) {
        String t = Integer.toString(tenant);
        return """
                INSERT INTO {s}.alembic_version VALUES ('{head}');
                INSERT INTO {s}."user" (id, email, hashed_password, is_active, role, chosen_assistants, recent_assistants)
                  SELECT md5('user-{t}-' || i)::uuid, 'user' || i || '@tenant{t}.example', '$2b$12$' || md5('pw' || i),
                         i % 7 <> 0, CASE WHEN i = 1 THEN 'ADMIN' WHEN i % 5 = 0 THEN 'CURATOR' ELSE 'BASIC' END,
                         jsonb_build_array(1, i % 3), jsonb_build_object('recent', jsonb_build_array(i, i + 1))
                  FROM generate_series(1, {users}) i;
                INSERT INTO {s}.oauth_account (id, user_id, oauth_name, access_token, account_id, account_email)
                  SELECT md5('oauth-{t}-' || i)::uuid, md5('user-{t}-' || i)::uuid, 'google', md5('tok' || i),
                         'acct' || i, 'user' || i || '@tenant{t}.example'
                  FROM generate_series(1, {users}, 2) i;
                INSERT INTO {s}.accesstoken (token, user_id, created_at)
                  SELECT substr(md5('at-{t}-' || i) || md5('at2-' || i), 1, 43), md5('user-{t}-' || i)::uuid,
                         timestamptz '2025-03-01 00:00Z' + i * interval '1 hour'
                  FROM generate_series(1, {users}) i;
                INSERT INTO {s}.api_key (hashed_api_key, api_key_display, user_id, owner_id)
                  SELECT md5('key-{t}-' || i), 'on_' || left(md5('k' || i), 4) || '****', md5('user-{t}-' || i)::uuid,
                         md5('user-{t}-1')::uuid
                  FROM generate_series(1, 5) i;
                INSERT INTO {s}.llm_provider (name, provider, api_key, model_names, custom_config, is_default_provider)
                  VALUES ('OpenAI', 'openai', 'sk-fixture-{t}', ARRAY['gpt-4o', 'gpt-4o-mini'], '{"temperature": 0}', true),
                         ('Local', 'ollama', NULL, ARRAY['llama3'], NULL, NULL);
                INSERT INTO {s}.search_settings (model_name, model_dim, normalize, query_prefix, status, index_name)
                  VALUES ('nomic-ai/nomic-embed-text-v1', 768, true, 'search_query: ', 'PRESENT', 'danswer_chunk_nomic'),
                         ('intfloat/e5-base-v2', 768, true, 'query: ', 'PAST', 'danswer_chunk_e5');
                INSERT INTO {s}.connector (name, source, input_type, connector_specific_config, refresh_freq, time_created)
                  SELECT 'connector ' || i, (ARRAY['web', 'confluence', 'slack', 'google_drive'])[1 + i % 4], 'poll',
                         jsonb_build_object('base_url', 'https://wiki' || i || '.example', 'pages', jsonb_build_array(i)),
                         3600, timestamptz '2025-01-01 00:00Z' + i * interval '1 day'
                  FROM generate_series(1, 8) i;
                INSERT INTO {s}.credential (credential_json, user_id, admin_public, source, name)
                  SELECT convert_to('{"token": "secret-{t}-' || i || '"}', 'UTF8') || '\\x00ff'::bytea,
                         md5('user-{t}-1')::uuid, true, 'confluence', 'cred ' || i
                  FROM generate_series(1, 8) i;
                INSERT INTO {s}.connector_credential_pair (connector_id, credential_id, name, status, access_type,
                                                           last_successful_index_time)
                  SELECT c.id, c.id, 'pair ' || c.id, 'ACTIVE', 'PUBLIC', timestamptz '2025-06-01 00:00Z'
                  FROM {s}.connector c;
                INSERT INTO {s}.document (id, semantic_id, link, doc_updated_at, primary_owners, secondary_owners,
                                          external_user_emails, is_public, boost, hidden, from_ingestion_api)
                  SELECT 'https://wiki.example/page/' || i, 'Page ' || i, 'https://wiki.example/page/' || i,
                         timestamptz '2025-02-01 00:00Z' + i * interval '1 minute',
                         ARRAY['owner' || i % 9], ARRAY[]::varchar[], ARRAY['user' || i % 5 || '@tenant{t}.example'],
                         i % 2 = 0, 0, false, false
                  FROM generate_series(1, {documents}) i;
                INSERT INTO {s}.document_by_connector_credential_pair (id, connector_id, credential_id)
                  SELECT 'https://wiki.example/page/' || i, 1 + i % 8, 1 + i % 8 FROM generate_series(1, {documents}) i;
                INSERT INTO {s}.index_attempt (connector_credential_pair_id, search_settings_id, from_beginning, status,
                                               new_docs_indexed, total_docs_indexed, error_msg, time_created, time_updated)
                  SELECT 1 + i % 8, 1, i % 10 = 0, CASE WHEN i % 11 = 0 THEN 'failed' ELSE 'success' END, i, i * 2,
                         CASE WHEN i % 11 = 0 THEN 'timeout talking to https://wiki.example' END,
                         timestamptz '2025-04-01 00:00Z' + i * interval '1 hour',
                         timestamptz '2025-04-01 00:30Z' + i * interval '1 hour'
                  FROM generate_series(1, 60) i;
                INSERT INTO {s}.persona (user_id, name, description, num_chunks, llm_relevance_filter,
                                         llm_filter_extraction, recency_bias, starter_messages, builtin_persona,
                                         is_visible, display_priority)
                  SELECT CASE WHEN i > 2 THEN md5('user-{t}-' || i)::uuid END, 'Assistant ' || i, 'Helps with ' || i,
                         10, false, true, 'auto', jsonb_build_array(jsonb_build_object('message', 'Hi ' || i)),
                         i <= 2, true, i
                  FROM generate_series(1, 6) i;
                INSERT INTO {s}.document_set (name, description, user_id, is_up_to_date)
                  SELECT 'set ' || i, 'documents of team ' || i, md5('user-{t}-1')::uuid, true FROM generate_series(1, 4) i;
                INSERT INTO {s}.chat_session (id, user_id, persona_id, description, shared_status, time_created,
                                              time_updated)
                  SELECT md5('session-{t}-' || i)::uuid, md5('user-{t}-' || (1 + i % {users}))::uuid, 1 + i % 6,
                         'Session ' || i, 'private', timestamptz '2025-05-01 00:00Z' + i * interval '1 minute',
                         timestamptz '2025-05-01 00:00Z' + i * interval '1 minute'
                  FROM generate_series(1, {sessions}) i;
                INSERT INTO {s}.chat_message (chat_session_id, parent_message, message, token_count, message_type,
                                              files, citations, time_sent)
                  SELECT md5('session-{t}-' || (1 + i % {sessions}))::uuid, NULLIF(i - 1, 0),
                         'Message ' || i || ': ' || (SELECT string_agg(({words})[1 + get_byte(decode(md5('m' || i || '.' || k), 'hex'), b)], ' ')
                                                     FROM generate_series(0, i % 4) k, generate_series(0, 15) b)
                           || ' ünïcødé ✓',
                         20 + i % 300, CASE WHEN i % 2 = 0 THEN 'ASSISTANT' ELSE 'USER' END,
                         CASE WHEN i % 50 = 0 THEN jsonb_build_array(jsonb_build_object('id', 'file-' || i)) END,
                         jsonb_build_object('1', i), timestamptz '2025-05-01 00:00Z' + i * interval '1 second'
                  FROM generate_series(1, {messages}) i;
                INSERT INTO {s}.search_doc (document_id, chunk_ind, semantic_id, link, blurb, boost, source_type, hidden,
                                            score, match_highlights, updated_at)
                  SELECT 'https://wiki.example/page/' || i, i % 4, 'Page ' || i, NULL, 'blurb ' || md5('b' || i), 0,
                         'confluence', false, 1.0 / i, ARRAY['<hi>match</hi> ' || i], NULL
                  FROM generate_series(1, 80) i;
                INSERT INTO {s}.user_file (id, user_id, name, file_id, created_at, token_count, status)
                  SELECT md5('ufile-{t}-' || i)::uuid, md5('user-{t}-' || i)::uuid, 'notes' || i || '.txt',
                         'file-{t}-' || i, timestamptz '2025-07-01 00:00Z', 100 + i, 'COMPLETED'
                  FROM generate_series(1, {lobs}) i;
                INSERT INTO {s}.file_record (file_id, display_name, file_origin, file_type, file_metadata)
                  SELECT 'file-{t}-' || i, 'notes' || i || '.txt', 'USER_FILE', 'text/plain', '{"pages": 1}'
                  FROM generate_series(1, {lobs}) i;
                INSERT INTO {s}.file_content (file_id, lobj_oid, file_size)
                  SELECT 'file-{t}-' || i, lo_from_bytea(700000 + {t} * 1000 + i, convert_to(repeat('file {t} ' || i || E'\\n', 500 * i), 'UTF8')),
                         length(repeat('file {t} ' || i || E'\\n', 500 * i))
                  FROM generate_series(1, {lobs}) i;
                INSERT INTO {s}.key_value_store (key, value, encrypted_value)
                  VALUES ('onyx_settings', '{"maximum_chat_retention_days": null}', NULL),
                         ('slack_bot_tokens', NULL, '\\xdeadbeef'::bytea);
                INSERT INTO {s}.kg_entity (id_name, name, entity_type_id_name)
                  SELECT 'ENTITY::' || i, 'Entity ' || md5('e' || i), (ARRAY['ACCOUNT', 'PERSON', 'TICKET'])[1 + i % 3]
                  FROM generate_series(1, 50) i;
                -- Non-trivial sequence values: as after years of inserts and deletes.
                SELECT setval('{s}.connector_id_seq', 1000 + {t});
                SELECT setval('{s}.index_attempt_id_seq', 52000 + {t});
                SELECT setval(pg_get_serial_sequence('{s}.document_set', 'id'), 77);
                """.replace("{s}", s)
                .replace("{t}", t)
                .replace("{head}", ALEMBIC_HEAD)
                .replace("{words}", WORDS)
                .replace("{users}", Integer.toString(users))
                .replace("{documents}", Integer.toString(documents))
                .replace("{sessions}", Integer.toString(Math.max(1, chatMessages / 10)))
                .replace("{messages}", Integer.toString(chatMessages))
                .replace("{lobs}", Integer.toString(largeObjects));
    }
}
