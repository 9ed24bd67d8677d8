-- mcpgateway rate_limit schema at head on postgresql: made by make db-schema, do not edit
-- heads: 070ddfcc0950
-- digest: 03822099bda10fadb9a4963e2a2e9f7e9a65e7ee0266e8d01bc537fd09de3db4
-- content: 032adf64860d50d8dc132da70a5ff67ca45c8f8ebdb70045fd4016be37cc8ed3
-- db-up loads this file into an empty database: it builds what the revisions build
SET check_function_bodies = false;
CREATE TABLE public.rate_limit_counters (
    id bigint NOT NULL,
    tool_id character varying(36) NOT NULL,
    subject character varying(255) NOT NULL,
    window_start timestamp with time zone NOT NULL,
    calls integer NOT NULL
);
CREATE SEQUENCE public.rate_limit_counters_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE public.rate_limit_counters_id_seq OWNED BY public.rate_limit_counters.id;
CREATE TABLE public.rate_limit_policies (
    id character varying(36) NOT NULL,
    tool_id character varying(36) NOT NULL,
    team_id character varying(36),
    max_calls integer NOT NULL,
    window_seconds integer NOT NULL,
    enabled boolean NOT NULL,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    CONSTRAINT ck_rate_limit_policies_positive_limits CHECK (((max_calls > 0) AND (window_seconds > 0)))
);
ALTER TABLE ONLY public.rate_limit_counters ALTER COLUMN id SET DEFAULT nextval('public.rate_limit_counters_id_seq'::regclass);
SELECT pg_catalog.setval('public.rate_limit_counters_id_seq', 1, false);
ALTER TABLE ONLY public.rate_limit_counters
    ADD CONSTRAINT pk_rate_limit_counters PRIMARY KEY (id);
ALTER TABLE ONLY public.rate_limit_policies
    ADD CONSTRAINT pk_rate_limit_policies PRIMARY KEY (id);
ALTER TABLE ONLY public.rate_limit_counters
    ADD CONSTRAINT uq_rate_limit_counters_tool_id_subject_window_start UNIQUE (tool_id, subject, window_start);
ALTER TABLE ONLY public.rate_limit_policies
    ADD CONSTRAINT uq_rate_limit_policies_tool_id_team_id UNIQUE (tool_id, team_id);
CREATE INDEX ix_rate_limit_counters_tool_id ON public.rate_limit_counters USING btree (tool_id);
CREATE INDEX ix_rate_limit_counters_window_start ON public.rate_limit_counters USING btree (window_start);
CREATE INDEX ix_rate_limit_policies_created_at ON public.rate_limit_policies USING btree (created_at);
CREATE INDEX ix_rate_limit_policies_team_id ON public.rate_limit_policies USING btree (team_id);
CREATE INDEX ix_rate_limit_policies_tool_id ON public.rate_limit_policies USING btree (tool_id);
ALTER TABLE ONLY public.rate_limit_counters
    ADD CONSTRAINT fk_rate_limit_counters_tool_id_tools FOREIGN KEY (tool_id) REFERENCES public.tools(id) ON DELETE CASCADE;
ALTER TABLE ONLY public.rate_limit_policies
    ADD CONSTRAINT fk_rate_limit_policies_team_id_email_teams FOREIGN KEY (team_id) REFERENCES public.email_teams(id) ON DELETE CASCADE;
ALTER TABLE ONLY public.rate_limit_policies
    ADD CONSTRAINT fk_rate_limit_policies_tool_id_tools FOREIGN KEY (tool_id) REFERENCES public.tools(id) ON DELETE CASCADE;
INSERT INTO mcpgateway_revisions (revision, checksum, state, recorded_at) VALUES ('070ddfcc0950', '3a30b012f11854ff7a9b3d11b33a4e386e423ef7fd68a7b76f83adbc7e5d8efa', 'applied', CURRENT_TIMESTAMP);
INSERT INTO alembic_version (version_num) VALUES ('070ddfcc0950');
