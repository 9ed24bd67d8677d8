-- mcpgateway core schema at head on postgresql: made by make db-schema, do not edit
-- heads: ea947c81d9ef
-- digest: b5555d3d317c045141d858ad4a0ebe9b9bddf753e2cccdcbcda3c97425baab70
-- content: d4c912d71acf26b8da8eeb0ded402a48b0fa450d9c54f515970ba9bc998d58ef
-- db-up loads this file into an empty database: it builds what the revisions build
SET check_function_bodies = false;
CREATE TABLE public.alembic_version (
    version_num character varying(32) NOT NULL
);
CREATE TABLE public.email_team_members (
    id character varying(36) NOT NULL,
    team_id character varying(36) NOT NULL,
    user_email character varying(255) NOT NULL,
    role character varying(6) NOT NULL,
    joined_at timestamp with time zone NOT NULL,
    CONSTRAINT ck_email_team_members_role CHECK ((role IN ('owner'::character varying, 'member'::character varying)))
);
CREATE TABLE public.email_teams (
    id character varying(36) NOT NULL,
    name character varying(255) NOT NULL,
    slug character varying(255) NOT NULL,
    description text,
    created_by character varying(255),
    is_personal boolean NOT NULL,
    visibility character varying(7) DEFAULT 'private'::character varying NOT NULL,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    CONSTRAINT ck_email_teams_visibility CHECK ((visibility IN ('private'::character varying, 'team'::character varying, 'public'::character varying)))
);
CREATE TABLE public.email_users (
    email character varying(255) NOT NULL,
    full_name character varying(255),
    password_hash character varying(255),
    is_admin boolean NOT NULL,
    is_active boolean NOT NULL,
    last_login timestamp with time zone,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL
);
CREATE TABLE public.gateways (
    id character varying(36) NOT NULL,
    name character varying(255) NOT NULL,
    slug character varying(255) NOT NULL,
    url character varying(767) NOT NULL,
    description text,
    transport character varying(14) NOT NULL,
    capabilities json NOT NULL,
    auth_type character varying(32),
    enabled boolean NOT NULL,
    reachable boolean NOT NULL,
    last_seen timestamp with time zone,
    team_id character varying(36),
    owner_email character varying(255),
    visibility character varying(7) DEFAULT 'private'::character varying NOT NULL,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    CONSTRAINT ck_gateways_transport CHECK ((transport IN ('sse'::character varying, 'streamablehttp'::character varying, 'stdio'::character varying))),
    CONSTRAINT ck_gateways_visibility CHECK ((visibility IN ('private'::character varying, 'team'::character varying, 'public'::character varying)))
);
CREATE TABLE public.mcpgateway_revisions (
    revision character varying(64) NOT NULL,
    checksum character varying(64) NOT NULL,
    state character varying(16) NOT NULL,
    recorded_at timestamp with time zone NOT NULL
);
CREATE TABLE public.prompt_metrics (
    id bigint NOT NULL,
    prompt_id character varying(36) NOT NULL,
    "timestamp" timestamp with time zone NOT NULL,
    response_time double precision NOT NULL,
    is_success boolean NOT NULL,
    error_message text
);
CREATE SEQUENCE public.prompt_metrics_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE public.prompt_metrics_id_seq OWNED BY public.prompt_metrics.id;
CREATE TABLE public.prompts (
    id character varying(36) NOT NULL,
    name character varying(255) NOT NULL,
    description text,
    template text NOT NULL,
    argument_schema json NOT NULL,
    enabled boolean NOT NULL,
    gateway_id character varying(36),
    team_id character varying(36),
    owner_email character varying(255),
    visibility character varying(7) DEFAULT 'private'::character varying NOT NULL,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    CONSTRAINT ck_prompts_visibility CHECK ((visibility IN ('private'::character varying, 'team'::character varying, 'public'::character varying)))
);
CREATE TABLE public.resource_metrics (
    id bigint NOT NULL,
    resource_id character varying(36) NOT NULL,
    "timestamp" timestamp with time zone NOT NULL,
    response_time double precision NOT NULL,
    is_success boolean NOT NULL,
    error_message text
);
CREATE SEQUENCE public.resource_metrics_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE public.resource_metrics_id_seq OWNED BY public.resource_metrics.id;
CREATE TABLE public.resource_subscriptions (
    id bigint NOT NULL,
    resource_id character varying(36) NOT NULL,
    subscriber_id character varying(255) NOT NULL,
    created_at timestamp with time zone NOT NULL
);
CREATE SEQUENCE public.resource_subscriptions_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE public.resource_subscriptions_id_seq OWNED BY public.resource_subscriptions.id;
CREATE TABLE public.resources (
    id character varying(36) NOT NULL,
    uri character varying(767) NOT NULL,
    name character varying(255) NOT NULL,
    description text,
    mime_type character varying(255),
    size integer,
    text_content text,
    enabled boolean NOT NULL,
    gateway_id character varying(36),
    team_id character varying(36),
    owner_email character varying(255),
    visibility character varying(7) DEFAULT 'private'::character varying NOT NULL,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    CONSTRAINT ck_resources_visibility CHECK ((visibility IN ('private'::character varying, 'team'::character varying, 'public'::character varying)))
);
CREATE TABLE public.server_metrics (
    id bigint NOT NULL,
    server_id character varying(36) NOT NULL,
    "timestamp" timestamp with time zone NOT NULL,
    response_time double precision NOT NULL,
    is_success boolean NOT NULL,
    error_message text
);
CREATE SEQUENCE public.server_metrics_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE public.server_metrics_id_seq OWNED BY public.server_metrics.id;
CREATE TABLE public.server_prompt_association (
    server_id character varying(36) NOT NULL,
    prompt_id character varying(36) NOT NULL
);
CREATE TABLE public.server_resource_association (
    server_id character varying(36) NOT NULL,
    resource_id character varying(36) NOT NULL
);
CREATE TABLE public.server_tool_association (
    server_id character varying(36) NOT NULL,
    tool_id character varying(36) NOT NULL
);
CREATE TABLE public.servers (
    id character varying(36) NOT NULL,
    name character varying(255) NOT NULL,
    description text,
    icon character varying(767),
    enabled boolean NOT NULL,
    team_id character varying(36),
    owner_email character varying(255),
    visibility character varying(7) DEFAULT 'private'::character varying NOT NULL,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    CONSTRAINT ck_servers_visibility CHECK ((visibility IN ('private'::character varying, 'team'::character varying, 'public'::character varying)))
);
CREATE TABLE public.tool_metrics (
    id bigint NOT NULL,
    tool_id character varying(36) NOT NULL,
    "timestamp" timestamp with time zone NOT NULL,
    response_time double precision NOT NULL,
    is_success boolean NOT NULL,
    error_message text
);
CREATE SEQUENCE public.tool_metrics_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE public.tool_metrics_id_seq OWNED BY public.tool_metrics.id;
CREATE TABLE public.tools (
    id character varying(36) NOT NULL,
    name character varying(255) NOT NULL,
    original_name character varying(255) NOT NULL,
    url character varying(767),
    description text,
    integration_type character varying(4) NOT NULL,
    request_type character varying(16) NOT NULL,
    headers json NOT NULL,
    input_schema json NOT NULL,
    annotations json NOT NULL,
    enabled boolean NOT NULL,
    reachable boolean NOT NULL,
    gateway_id character varying(36),
    team_id character varying(36),
    owner_email character varying(255),
    visibility character varying(7) DEFAULT 'private'::character varying NOT NULL,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    slug character varying(255) NOT NULL,
    CONSTRAINT ck_tools_integration_type CHECK ((integration_type IN ('mcp'::character varying, 'rest'::character varying))),
    CONSTRAINT ck_tools_visibility CHECK ((visibility IN ('private'::character varying, 'team'::character varying, 'public'::character varying)))
);
ALTER TABLE ONLY public.prompt_metrics ALTER COLUMN id SET DEFAULT nextval('public.prompt_metrics_id_seq'::regclass);
ALTER TABLE ONLY public.resource_metrics ALTER COLUMN id SET DEFAULT nextval('public.resource_metrics_id_seq'::regclass);
ALTER TABLE ONLY public.resource_subscriptions ALTER COLUMN id SET DEFAULT nextval('public.resource_subscriptions_id_seq'::regclass);
ALTER TABLE ONLY public.server_metrics ALTER COLUMN id SET DEFAULT nextval('public.server_metrics_id_seq'::regclass);
ALTER TABLE ONLY public.tool_metrics ALTER COLUMN id SET DEFAULT nextval('public.tool_metrics_id_seq'::regclass);
SELECT pg_catalog.setval('public.prompt_metrics_id_seq', 1, false);
SELECT pg_catalog.setval('public.resource_metrics_id_seq', 1, false);
SELECT pg_catalog.setval('public.resource_subscriptions_id_seq', 1, false);
SELECT pg_catalog.setval('public.server_metrics_id_seq', 1, false);
SELECT pg_catalog.setval('public.tool_metrics_id_seq', 1, false);
ALTER TABLE ONLY public.alembic_version
    ADD CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num);
ALTER TABLE ONLY public.mcpgateway_revisions
    ADD CONSTRAINT mcpgateway_revisions_pkey PRIMARY KEY (revision);
ALTER TABLE ONLY public.email_team_members
    ADD CONSTRAINT pk_email_team_members PRIMARY KEY (id);
ALTER TABLE ONLY public.email_teams
    ADD CONSTRAINT pk_email_teams PRIMARY KEY (id);
ALTER TABLE ONLY public.email_users
    ADD CONSTRAINT pk_email_users PRIMARY KEY (email);
ALTER TABLE ONLY public.gateways
    ADD CONSTRAINT pk_gateways PRIMARY KEY (id);
ALTER TABLE ONLY public.prompt_metrics
    ADD CONSTRAINT pk_prompt_metrics PRIMARY KEY (id);
ALTER TABLE ONLY public.prompts
    ADD CONSTRAINT pk_prompts PRIMARY KEY (id);
ALTER TABLE ONLY public.resource_metrics
    ADD CONSTRAINT pk_resource_metrics PRIMARY KEY (id);
ALTER TABLE ONLY public.resource_subscriptions
    ADD CONSTRAINT pk_resource_subscriptions PRIMARY KEY (id);
ALTER TABLE ONLY public.resources
    ADD CONSTRAINT pk_resources PRIMARY KEY (id);
ALTER TABLE ONLY public.server_metrics
    ADD CONSTRAINT pk_server_metrics PRIMARY KEY (id);
ALTER TABLE ONLY public.server_prompt_association
    ADD CONSTRAINT pk_server_prompt_association PRIMARY KEY (server_id, prompt_id);
ALTER TABLE ONLY public.server_resource_association
    ADD CONSTRAINT pk_server_resource_association PRIMARY KEY (server_id, resource_id);
ALTER TABLE ONLY public.server_tool_association
    ADD CONSTRAINT pk_server_tool_association PRIMARY KEY (server_id, tool_id);
ALTER TABLE ONLY public.servers
    ADD CONSTRAINT pk_servers PRIMARY KEY (id);
ALTER TABLE ONLY public.tool_metrics
    ADD CONSTRAINT pk_tool_metrics PRIMARY KEY (id);
ALTER TABLE ONLY public.tools
    ADD CONSTRAINT pk_tools PRIMARY KEY (id);
ALTER TABLE ONLY public.email_team_members
    ADD CONSTRAINT uq_email_team_members_team_id_user_email UNIQUE (team_id, user_email);
ALTER TABLE ONLY public.email_teams
    ADD CONSTRAINT uq_email_teams_slug UNIQUE (slug);
ALTER TABLE ONLY public.gateways
    ADD CONSTRAINT uq_gateways_slug UNIQUE (slug);
ALTER TABLE ONLY public.prompts
    ADD CONSTRAINT uq_prompts_gateway_id_name UNIQUE (gateway_id, name);
ALTER TABLE ONLY public.resource_subscriptions
    ADD CONSTRAINT uq_resource_subscriptions_resource_id_subscriber_id UNIQUE (resource_id, subscriber_id);
ALTER TABLE ONLY public.resources
    ADD CONSTRAINT uq_resources_gateway_id_uri UNIQUE (gateway_id, uri);
ALTER TABLE ONLY public.tools
    ADD CONSTRAINT uq_tools_gateway_id_name UNIQUE (gateway_id, name);
ALTER TABLE ONLY public.tools
    ADD CONSTRAINT uq_tools_gateway_id_slug UNIQUE (gateway_id, slug);
CREATE INDEX ix_email_team_members_team_id ON public.email_team_members USING btree (team_id);
CREATE INDEX ix_email_team_members_user_email ON public.email_team_members USING btree (user_email);
CREATE INDEX ix_email_teams_created_at ON public.email_teams USING btree (created_at);
CREATE INDEX ix_email_teams_created_by ON public.email_teams USING btree (created_by);
CREATE INDEX ix_email_teams_name ON public.email_teams USING btree (name);
CREATE INDEX ix_email_users_created_at ON public.email_users USING btree (created_at);
CREATE INDEX ix_gateways_created_at ON public.gateways USING btree (created_at);
CREATE INDEX ix_gateways_name ON public.gateways USING btree (name);
CREATE INDEX ix_gateways_owner_email ON public.gateways USING btree (owner_email);
CREATE INDEX ix_gateways_team_id ON public.gateways USING btree (team_id);
CREATE INDEX ix_prompt_metrics_prompt_id ON public.prompt_metrics USING btree (prompt_id);
CREATE INDEX ix_prompt_metrics_timestamp ON public.prompt_metrics USING btree ("timestamp");
CREATE INDEX ix_prompts_created_at ON public.prompts USING btree (created_at);
CREATE INDEX ix_prompts_gateway_id ON public.prompts USING btree (gateway_id);
CREATE INDEX ix_prompts_name ON public.prompts USING btree (name);
CREATE INDEX ix_prompts_owner_email ON public.prompts USING btree (owner_email);
CREATE INDEX ix_prompts_team_id ON public.prompts USING btree (team_id);
CREATE INDEX ix_resource_metrics_resource_id ON public.resource_metrics USING btree (resource_id);
CREATE INDEX ix_resource_metrics_timestamp ON public.resource_metrics USING btree ("timestamp");
CREATE INDEX ix_resource_subscriptions_created_at ON public.resource_subscriptions USING btree (created_at);
CREATE INDEX ix_resource_subscriptions_resource_id ON public.resource_subscriptions USING btree (resource_id);
CREATE INDEX ix_resources_created_at ON public.resources USING btree (created_at);
CREATE INDEX ix_resources_gateway_id ON public.resources USING btree (gateway_id);
CREATE INDEX ix_resources_name ON public.resources USING btree (name);
CREATE INDEX ix_resources_owner_email ON public.resources USING btree (owner_email);
CREATE INDEX ix_resources_team_id ON public.resources USING btree (team_id);
CREATE INDEX ix_resources_uri ON public.resources USING btree (uri);
CREATE INDEX ix_server_metrics_server_id ON public.server_metrics USING btree (server_id);
CREATE INDEX ix_server_metrics_timestamp ON public.server_metrics USING btree ("timestamp");
CREATE INDEX ix_server_prompt_association_prompt_id ON public.server_prompt_association USING btree (prompt_id);
CREATE INDEX ix_server_resource_association_resource_id ON public.server_resource_association USING btree (resource_id);
CREATE INDEX ix_server_tool_association_tool_id ON public.server_tool_association USING btree (tool_id);
CREATE INDEX ix_servers_created_at ON public.servers USING btree (created_at);
CREATE INDEX ix_servers_name ON public.servers USING btree (name);
CREATE INDEX ix_servers_owner_email ON public.servers USING btree (owner_email);
CREATE INDEX ix_servers_team_id ON public.servers USING btree (team_id);
CREATE INDEX ix_tool_metrics_timestamp ON public.tool_metrics USING btree ("timestamp");
CREATE INDEX ix_tool_metrics_tool_id ON public.tool_metrics USING btree (tool_id);
CREATE INDEX ix_tools_created_at ON public.tools USING btree (created_at);
CREATE INDEX ix_tools_gateway_id ON public.tools USING btree (gateway_id);
CREATE INDEX ix_tools_name ON public.tools USING btree (name);
CREATE INDEX ix_tools_owner_email ON public.tools USING btree (owner_email);
CREATE INDEX ix_tools_team_id ON public.tools USING btree (team_id);
ALTER TABLE ONLY public.email_team_members
    ADD CONSTRAINT fk_email_team_members_team_id_email_teams FOREIGN KEY (team_id) REFERENCES public.email_teams(id) ON DELETE CASCADE;
ALTER TABLE ONLY public.email_team_members
    ADD CONSTRAINT fk_email_team_members_user_email_email_users FOREIGN KEY (user_email) REFERENCES public.email_users(email) ON DELETE CASCADE;
ALTER TABLE ONLY public.email_teams
    ADD CONSTRAINT fk_email_teams_created_by_email_users FOREIGN KEY (created_by) REFERENCES public.email_users(email) ON DELETE SET NULL;
ALTER TABLE ONLY public.gateways
    ADD CONSTRAINT fk_gateways_owner_email_email_users FOREIGN KEY (owner_email) REFERENCES public.email_users(email) ON DELETE SET NULL;
ALTER TABLE ONLY public.gateways
    ADD CONSTRAINT fk_gateways_team_id_email_teams FOREIGN KEY (team_id) REFERENCES public.email_teams(id) ON DELETE SET NULL;
ALTER TABLE ONLY public.prompt_metrics
    ADD CONSTRAINT fk_prompt_metrics_prompt_id_prompts FOREIGN KEY (prompt_id) REFERENCES public.prompts(id) ON DELETE CASCADE;
ALTER TABLE ONLY public.prompts
    ADD CONSTRAINT fk_prompts_gateway_id_gateways FOREIGN KEY (gateway_id) REFERENCES public.gateways(id) ON DELETE CASCADE;
ALTER TABLE ONLY public.prompts
    ADD CONSTRAINT fk_prompts_owner_email_email_users FOREIGN KEY (owner_email) REFERENCES public.email_users(email) ON DELETE SET NULL;
ALTER TABLE ONLY public.prompts
    ADD CONSTRAINT fk_prompts_team_id_email_teams FOREIGN KEY (team_id) REFERENCES public.email_teams(id) ON DELETE SET NULL;
ALTER TABLE ONLY public.resource_metrics
    ADD CONSTRAINT fk_resource_metrics_resource_id_resources FOREIGN KEY (resource_id) REFERENCES public.resources(id) ON DELETE CASCADE;
ALTER TABLE ONLY public.resource_subscriptions
    ADD CONSTRAINT fk_resource_subscriptions_resource_id_resources FOREIGN KEY (resource_id) REFERENCES public.resources(id) ON DELETE CASCADE;
ALTER TABLE ONLY public.resources
    ADD CONSTRAINT fk_resources_gateway_id_gateways FOREIGN KEY (gateway_id) REFERENCES public.gateways(id) ON DELETE CASCADE;
ALTER TABLE ONLY public.resources
    ADD CONSTRAINT fk_resources_owner_email_email_users FOREIGN KEY (owner_email) REFERENCES public.email_users(email) ON DELETE SET NULL;
ALTER TABLE ONLY public.resources
    ADD CONSTRAINT fk_resources_team_id_email_teams FOREIGN KEY (team_id) REFERENCES public.email_teams(id) ON DELETE SET NULL;
ALTER TABLE ONLY public.server_metrics
    ADD CONSTRAINT fk_server_metrics_server_id_servers FOREIGN KEY (server_id) REFERENCES public.servers(id) ON DELETE CASCADE;
ALTER TABLE ONLY public.server_prompt_association
    ADD CONSTRAINT fk_server_prompt_association_prompt_id_prompts FOREIGN KEY (prompt_id) REFERENCES public.prompts(id) ON DELETE CASCADE;
ALTER TABLE ONLY public.server_prompt_association
    ADD CONSTRAINT fk_server_prompt_association_server_id_servers FOREIGN KEY (server_id) REFERENCES public.servers(id) ON DELETE CASCADE;
ALTER TABLE ONLY public.server_resource_association
    ADD CONSTRAINT fk_server_resource_association_resource_id_resources FOREIGN KEY (resource_id) REFERENCES public.resources(id) ON DELETE CASCADE;
ALTER TABLE ONLY public.server_resource_association
    ADD CONSTRAINT fk_server_resource_association_server_id_servers FOREIGN KEY (server_id) REFERENCES public.servers(id) ON DELETE CASCADE;
ALTER TABLE ONLY public.server_tool_association
    ADD CONSTRAINT fk_server_tool_association_server_id_servers FOREIGN KEY (server_id) REFERENCES public.servers(id) ON DELETE CASCADE;
ALTER TABLE ONLY public.server_tool_association
    ADD CONSTRAINT fk_server_tool_association_tool_id_tools FOREIGN KEY (tool_id) REFERENCES public.tools(id) ON DELETE CASCADE;
ALTER TABLE ONLY public.servers
    ADD CONSTRAINT fk_servers_owner_email_email_users FOREIGN KEY (owner_email) REFERENCES public.email_users(email) ON DELETE SET NULL;
ALTER TABLE ONLY public.servers
    ADD CONSTRAINT fk_servers_team_id_email_teams FOREIGN KEY (team_id) REFERENCES public.email_teams(id) ON DELETE SET NULL;
ALTER TABLE ONLY public.tool_metrics
    ADD CONSTRAINT fk_tool_metrics_tool_id_tools FOREIGN KEY (tool_id) REFERENCES public.tools(id) ON DELETE CASCADE;
ALTER TABLE ONLY public.tools
    ADD CONSTRAINT fk_tools_gateway_id_gateways FOREIGN KEY (gateway_id) REFERENCES public.gateways(id) ON DELETE CASCADE;
ALTER TABLE ONLY public.tools
    ADD CONSTRAINT fk_tools_owner_email_email_users FOREIGN KEY (owner_email) REFERENCES public.email_users(email) ON DELETE SET NULL;
ALTER TABLE ONLY public.tools
    ADD CONSTRAINT fk_tools_team_id_email_teams FOREIGN KEY (team_id) REFERENCES public.email_teams(id) ON DELETE SET NULL;
INSERT INTO mcpgateway_revisions (revision, checksum, state, recorded_at) VALUES ('66c37d7f92a7', 'd96a786285c66a50834e5403c6dda63637330de8567ac891a26f06aba48111c8', 'applied', CURRENT_TIMESTAMP);
INSERT INTO mcpgateway_revisions (revision, checksum, state, recorded_at) VALUES ('944f8b89e0f2', 'b79fd5991123b405685341f4bcf24b5acd62b8a82176d76fcdbf760945914507', 'applied', CURRENT_TIMESTAMP);
INSERT INTO mcpgateway_revisions (revision, checksum, state, recorded_at) VALUES ('ea947c81d9ef', '4bbf1d92a643fcfb55d9f2d17917b55ff7dd258fab50d8703fae3edb18368f78', 'applied', CURRENT_TIMESTAMP);
INSERT INTO alembic_version (version_num) VALUES ('ea947c81d9ef');
