package dev.ferry.testing.pg;

/**
 * A table with every kind of printed definition validate compares, on top of the Onyx fixture (it references
 * {@code public."user"} and {@code db_readonly_user}): CHECKs with {@code IN} lists on varchar and text, defaults with
 * casts, expression and partial indexes, a generated tsvector, a trigger {@code WHEN}, domains, policies, views and an
 * SQL-standard function body. Each of them prints differently on some PostgreSQL major, or after a restore, than
 * where it was created: a schema that must validate across majors.
 */
public final class SchemaShapes {

    private SchemaShapes() {}

    /** The statements, run after the Onyx fixture is installed. */
    public static final String SQL = """
            CREATE DOMAIN public.ferry_positive AS integer CONSTRAINT ferry_positive_check CHECK (VALUE > 0);
            CREATE DOMAIN public.ferry_state AS varchar(20)
              CONSTRAINT ferry_state_check CHECK (VALUE IN ('open', 'closed'));
            CREATE TABLE public.ferry_shapes (
              id serial PRIMARY KEY,
              kind varchar NOT NULL DEFAULT 'x'::character varying,
              label text NOT NULL DEFAULT 'y',
              phase varchar(16) DEFAULT 'NEW',
              created timestamptz NOT NULL DEFAULT now(),
              attrs jsonb NOT NULL DEFAULT '{}'::jsonb,
              tags varchar[] DEFAULT ARRAY[]::varchar[],
              amount public.ferry_positive,
              state public.ferry_state,
              owner_email varchar(320),
              body text,
              body_tsv tsvector GENERATED ALWAYS AS (to_tsvector('english', coalesce(label, '') || ' ' || coalesce(body, '')))
                STORED,
              CONSTRAINT ck_shapes_kind CHECK (kind IN ('x', 'a', 'b')),
              CONSTRAINT ck_shapes_label CHECK (label IN ('p', 'q', 'y')),
              CONSTRAINT ck_shapes_phase CHECK (phase::text = ANY (ARRAY['NEW', 'OLD'])),
              CONSTRAINT ck_shapes_email CHECK (owner_email = lower(owner_email)),
              CONSTRAINT fk_shapes_user FOREIGN KEY (owner_email) REFERENCES public."user"(email) ON DELETE SET NULL);
            CREATE INDEX ix_shapes_partial ON public.ferry_shapes (created) WHERE kind IN ('a', 'b');
            CREATE INDEX ix_shapes_lower_email ON public.ferry_shapes (lower(owner_email));
            CREATE UNIQUE INDEX ix_shapes_active ON public.ferry_shapes (kind, label) WHERE phase IN ('NEW');
            CREATE INDEX ix_shapes_attrs ON public.ferry_shapes USING gin (attrs jsonb_path_ops);
            CREATE FUNCTION public.ferry_touch() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN NEW.created := now(); RETURN NEW; END $$;
            CREATE TRIGGER ferry_shapes_touch BEFORE UPDATE ON public.ferry_shapes FOR EACH ROW
              WHEN (OLD.kind IS DISTINCT FROM NEW.kind AND NEW.kind IN ('a', 'b')) EXECUTE FUNCTION public.ferry_touch();
            ALTER TABLE public.ferry_shapes ENABLE ROW LEVEL SECURITY;
            CREATE POLICY ferry_shapes_read ON public.ferry_shapes FOR SELECT TO db_readonly_user
              USING (kind IN ('a', 'b') AND state::text <> 'closed');
            CREATE POLICY ferry_shapes_write ON public.ferry_shapes AS RESTRICTIVE FOR INSERT
              WITH CHECK (label IN ('p', 'q'));
            CREATE VIEW public.ferry_open_shapes AS
              SELECT id, kind FROM public.ferry_shapes WHERE kind IN ('a', 'b') AND state = 'open';
            CREATE MATERIALIZED VIEW public.ferry_shape_counts AS
              SELECT kind, count(*) AS n FROM public.ferry_shapes WHERE phase IN ('NEW', 'OLD') GROUP BY kind;
            -- An SQL-standard body; through EXECUTE, as the JDBC driver would split it at its inner semicolon.
            DO $do$ BEGIN EXECUTE $body$
              CREATE FUNCTION public.ferry_is_listed(k varchar) RETURNS boolean LANGUAGE sql
              BEGIN ATOMIC SELECT k IN ('a', 'b'); END$body$; END $do$;
            INSERT INTO public.ferry_shapes (kind, label, amount, state, owner_email, body)
              VALUES ('a', 'p', 3, 'open', 'user1@tenant1.example', 'hello world'), ('b', 'q', 5, 'closed', NULL, NULL);
            """;
}
