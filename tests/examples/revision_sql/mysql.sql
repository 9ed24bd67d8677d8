CREATE TABLE alembic_version (
    version_num VARCHAR(32) NOT NULL, 
    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);

-- Running upgrade  -> 944f8b89e0f2

CREATE TABLE email_users (
    email VARCHAR(255) NOT NULL, 
    full_name VARCHAR(255), 
    password_hash VARCHAR(255), 
    is_admin BOOL NOT NULL, 
    is_active BOOL NOT NULL, 
    last_login DATETIME, 
    created_at DATETIME NOT NULL, 
    updated_at DATETIME NOT NULL, 
    CONSTRAINT pk_email_users PRIMARY KEY (email)
);

CREATE INDEX ix_email_users_created_at ON email_users (created_at);

CREATE TABLE email_teams (
    id VARCHAR(36) NOT NULL, 
    name VARCHAR(255) NOT NULL, 
    slug VARCHAR(255) NOT NULL, 
    description TEXT, 
    created_by VARCHAR(255), 
    is_personal BOOL NOT NULL, 
    visibility VARCHAR(7) NOT NULL DEFAULT 'private', 
    created_at DATETIME NOT NULL, 
    updated_at DATETIME NOT NULL, 
    CONSTRAINT pk_email_teams PRIMARY KEY (id), 
    CONSTRAINT fk_email_teams_created_by_email_users FOREIGN KEY(created_by) REFERENCES email_users (email) ON DELETE SET NULL, 
    CONSTRAINT uq_email_teams_slug UNIQUE (slug), 
    CONSTRAINT visibility CHECK (visibility IN ('private', 'team', 'public'))
);

CREATE INDEX ix_email_teams_created_at ON email_teams (created_at);

CREATE INDEX ix_email_teams_created_by ON email_teams (created_by);

CREATE INDEX ix_email_teams_name ON email_teams (name);

CREATE TABLE email_team_members (
    id VARCHAR(36) NOT NULL, 
    team_id VARCHAR(36) NOT NULL, 
    user_email VARCHAR(255) NOT NULL, 
    `role` VARCHAR(6) NOT NULL, 
    joined_at DATETIME NOT NULL, 
    CONSTRAINT pk_email_team_members PRIMARY KEY (id), 
    CONSTRAINT fk_email_team_members_team_id_email_teams FOREIGN KEY(team_id) REFERENCES email_teams (id) ON DELETE CASCADE, 
    CONSTRAINT fk_email_team_members_user_email_email_users FOREIGN KEY(user_email) REFERENCES email_users (email) ON DELETE CASCADE, 
    CONSTRAINT uq_email_team_members_team_id_user_email UNIQUE (team_id, user_email), 
    CONSTRAINT `role` CHECK (`role` IN ('owner', 'member'))
);

CREATE INDEX ix_email_team_members_team_id ON email_team_members (team_id);

CREATE INDEX ix_email_team_members_user_email ON email_team_members (user_email);

CREATE TABLE gateways (
    id VARCHAR(36) NOT NULL, 
    name VARCHAR(255) NOT NULL, 
    slug VARCHAR(255) NOT NULL, 
    url VARCHAR(767) NOT NULL, 
    description TEXT, 
    transport VARCHAR(14) NOT NULL, 
    capabilities JSON NOT NULL, 
    auth_type VARCHAR(32), 
    enabled BOOL NOT NULL, 
    reachable BOOL NOT NULL, 
    last_seen DATETIME, 
    team_id VARCHAR(36), 
    owner_email VARCHAR(255), 
    visibility VARCHAR(7) NOT NULL DEFAULT 'private', 
    created_at DATETIME NOT NULL, 
    updated_at DATETIME NOT NULL, 
    CONSTRAINT pk_gateways PRIMARY KEY (id), 
    CONSTRAINT fk_gateways_owner_email_email_users FOREIGN KEY(owner_email) REFERENCES email_users (email) ON DELETE SET NULL, 
    CONSTRAINT fk_gateways_team_id_email_teams FOREIGN KEY(team_id) REFERENCES email_teams (id) ON DELETE SET NULL, 
    CONSTRAINT uq_gateways_slug UNIQUE (slug), 
    CONSTRAINT transport CHECK (transport IN ('sse', 'streamablehttp', 'stdio')), 
    CONSTRAINT visibility CHECK (visibility IN ('private', 'team', 'public'))
);

CREATE INDEX ix_gateways_created_at ON gateways (created_at);

CREATE INDEX ix_gateways_name ON gateways (name);

CREATE INDEX ix_gateways_owner_email ON gateways (owner_email);

CREATE INDEX ix_gateways_team_id ON gateways (team_id);

CREATE TABLE servers (
    id VARCHAR(36) NOT NULL, 
    name VARCHAR(255) NOT NULL, 
    description TEXT, 
    icon VARCHAR(767), 
    enabled BOOL NOT NULL, 
    team_id VARCHAR(36), 
    owner_email VARCHAR(255), 
    visibility VARCHAR(7) NOT NULL DEFAULT 'private', 
    created_at DATETIME NOT NULL, 
    updated_at DATETIME NOT NULL, 
    CONSTRAINT pk_servers PRIMARY KEY (id), 
    CONSTRAINT fk_servers_owner_email_email_users FOREIGN KEY(owner_email) REFERENCES email_users (email) ON DELETE SET NULL, 
    CONSTRAINT fk_servers_team_id_email_teams FOREIGN KEY(team_id) REFERENCES email_teams (id) ON DELETE SET NULL, 
    CONSTRAINT visibility CHECK (visibility IN ('private', 'team', 'public'))
);

CREATE INDEX ix_servers_created_at ON servers (created_at);

CREATE INDEX ix_servers_name ON servers (name);

CREATE INDEX ix_servers_owner_email ON servers (owner_email);

CREATE INDEX ix_servers_team_id ON servers (team_id);

CREATE TABLE prompts (
    id VARCHAR(36) NOT NULL, 
    name VARCHAR(255) NOT NULL, 
    description TEXT, 
    template TEXT NOT NULL, 
    argument_schema JSON NOT NULL, 
    enabled BOOL NOT NULL, 
    gateway_id VARCHAR(36), 
    team_id VARCHAR(36), 
    owner_email VARCHAR(255), 
    visibility VARCHAR(7) NOT NULL DEFAULT 'private', 
    created_at DATETIME NOT NULL, 
    updated_at DATETIME NOT NULL, 
    CONSTRAINT pk_prompts PRIMARY KEY (id), 
    CONSTRAINT fk_prompts_owner_email_email_users FOREIGN KEY(owner_email) REFERENCES email_users (email) ON DELETE SET NULL, 
    CONSTRAINT fk_prompts_team_id_email_teams FOREIGN KEY(team_id) REFERENCES email_teams (id) ON DELETE SET NULL, 
    CONSTRAINT fk_prompts_gateway_id_gateways FOREIGN KEY(gateway_id) REFERENCES gateways (id) ON DELETE CASCADE, 
    CONSTRAINT uq_prompts_gateway_id_name UNIQUE (gateway_id, name), 
    CONSTRAINT visibility CHECK (visibility IN ('private', 'team', 'public'))
);

CREATE INDEX ix_prompts_created_at ON prompts (created_at);

CREATE INDEX ix_prompts_gateway_id ON prompts (gateway_id);

CREATE INDEX ix_prompts_name ON prompts (name);

CREATE INDEX ix_prompts_owner_email ON prompts (owner_email);

CREATE INDEX ix_prompts_team_id ON prompts (team_id);

CREATE TABLE resources (
    id VARCHAR(36) NOT NULL, 
    uri VARCHAR(767) NOT NULL, 
    name VARCHAR(255) NOT NULL, 
    description TEXT, 
    mime_type VARCHAR(255), 
    size INTEGER, 
    text_content TEXT, 
    enabled BOOL NOT NULL, 
    gateway_id VARCHAR(36), 
    team_id VARCHAR(36), 
    owner_email VARCHAR(255), 
    visibility VARCHAR(7) NOT NULL DEFAULT 'private', 
    created_at DATETIME NOT NULL, 
    updated_at DATETIME NOT NULL, 
    CONSTRAINT pk_resources PRIMARY KEY (id), 
    CONSTRAINT fk_resources_owner_email_email_users FOREIGN KEY(owner_email) REFERENCES email_users (email) ON DELETE SET NULL, 
    CONSTRAINT fk_resources_team_id_email_teams FOREIGN KEY(team_id) REFERENCES email_teams (id) ON DELETE SET NULL, 
    CONSTRAINT fk_resources_gateway_id_gateways FOREIGN KEY(gateway_id) REFERENCES gateways (id) ON DELETE CASCADE, 
    CONSTRAINT uq_resources_gateway_id_uri UNIQUE (gateway_id, uri), 
    CONSTRAINT visibility CHECK (visibility IN ('private', 'team', 'public'))
);

CREATE INDEX ix_resources_created_at ON resources (created_at);

CREATE INDEX ix_resources_gateway_id ON resources (gateway_id);

CREATE INDEX ix_resources_name ON resources (name);

CREATE INDEX ix_resources_uri ON resources (uri);

CREATE INDEX ix_resources_owner_email ON resources (owner_email);

CREATE INDEX ix_resources_team_id ON resources (team_id);

CREATE TABLE server_metrics (
    id BIGINT NOT NULL AUTO_INCREMENT, 
    server_id VARCHAR(36) NOT NULL, 
    timestamp DATETIME NOT NULL, 
    response_time FLOAT NOT NULL, 
    is_success BOOL NOT NULL, 
    error_message TEXT, 
    CONSTRAINT pk_server_metrics PRIMARY KEY (id), 
    CONSTRAINT fk_server_metrics_server_id_servers FOREIGN KEY(server_id) REFERENCES servers (id) ON DELETE CASCADE
);

CREATE INDEX ix_server_metrics_server_id ON server_metrics (server_id);

CREATE INDEX ix_server_metrics_timestamp ON server_metrics (timestamp);

CREATE TABLE tools (
    id VARCHAR(36) NOT NULL, 
    name VARCHAR(255) NOT NULL, 
    original_name VARCHAR(255) NOT NULL, 
    url VARCHAR(767), 
    description TEXT, 
    integration_type VARCHAR(4) NOT NULL, 
    request_type VARCHAR(16) NOT NULL, 
    headers JSON NOT NULL, 
    input_schema JSON NOT NULL, 
    annotations JSON NOT NULL, 
    enabled BOOL NOT NULL, 
    reachable BOOL NOT NULL, 
    gateway_id VARCHAR(36), 
    team_id VARCHAR(36), 
    owner_email VARCHAR(255), 
    visibility VARCHAR(7) NOT NULL DEFAULT 'private', 
    created_at DATETIME NOT NULL, 
    updated_at DATETIME NOT NULL, 
    CONSTRAINT pk_tools PRIMARY KEY (id), 
    CONSTRAINT fk_tools_owner_email_email_users FOREIGN KEY(owner_email) REFERENCES email_users (email) ON DELETE SET NULL, 
    CONSTRAINT fk_tools_team_id_email_teams FOREIGN KEY(team_id) REFERENCES email_teams (id) ON DELETE SET NULL, 
    CONSTRAINT fk_tools_gateway_id_gateways FOREIGN KEY(gateway_id) REFERENCES gateways (id) ON DELETE CASCADE, 
    CONSTRAINT uq_tools_gateway_id_name UNIQUE (gateway_id, name), 
    CONSTRAINT integration_type CHECK (integration_type IN ('mcp', 'rest')), 
    CONSTRAINT visibility CHECK (visibility IN ('private', 'team', 'public'))
);

CREATE INDEX ix_tools_created_at ON tools (created_at);

CREATE INDEX ix_tools_gateway_id ON tools (gateway_id);

CREATE INDEX ix_tools_name ON tools (name);

CREATE INDEX ix_tools_owner_email ON tools (owner_email);

CREATE INDEX ix_tools_team_id ON tools (team_id);

CREATE TABLE prompt_metrics (
    id BIGINT NOT NULL AUTO_INCREMENT, 
    prompt_id VARCHAR(36) NOT NULL, 
    timestamp DATETIME NOT NULL, 
    response_time FLOAT NOT NULL, 
    is_success BOOL NOT NULL, 
    error_message TEXT, 
    CONSTRAINT pk_prompt_metrics PRIMARY KEY (id), 
    CONSTRAINT fk_prompt_metrics_prompt_id_prompts FOREIGN KEY(prompt_id) REFERENCES prompts (id) ON DELETE CASCADE
);

CREATE INDEX ix_prompt_metrics_prompt_id ON prompt_metrics (prompt_id);

CREATE INDEX ix_prompt_metrics_timestamp ON prompt_metrics (timestamp);

CREATE TABLE resource_metrics (
    id BIGINT NOT NULL AUTO_INCREMENT, 
    resource_id VARCHAR(36) NOT NULL, 
    timestamp DATETIME NOT NULL, 
    response_time FLOAT NOT NULL, 
    is_success BOOL NOT NULL, 
    error_message TEXT, 
    CONSTRAINT pk_resource_metrics PRIMARY KEY (id), 
    CONSTRAINT fk_resource_metrics_resource_id_resources FOREIGN KEY(resource_id) REFERENCES resources (id) ON DELETE CASCADE
);

CREATE INDEX ix_resource_metrics_resource_id ON resource_metrics (resource_id);

CREATE INDEX ix_resource_metrics_timestamp ON resource_metrics (timestamp);

CREATE TABLE resource_subscriptions (
    id BIGINT NOT NULL AUTO_INCREMENT, 
    resource_id VARCHAR(36) NOT NULL, 
    subscriber_id VARCHAR(255) NOT NULL, 
    created_at DATETIME NOT NULL, 
    CONSTRAINT pk_resource_subscriptions PRIMARY KEY (id), 
    CONSTRAINT fk_resource_subscriptions_resource_id_resources FOREIGN KEY(resource_id) REFERENCES resources (id) ON DELETE CASCADE, 
    CONSTRAINT uq_resource_subscriptions_resource_id_subscriber_id UNIQUE (resource_id, subscriber_id)
);

CREATE INDEX ix_resource_subscriptions_created_at ON resource_subscriptions (created_at);

CREATE INDEX ix_resource_subscriptions_resource_id ON resource_subscriptions (resource_id);

CREATE TABLE server_prompt_association (
    server_id VARCHAR(36) NOT NULL, 
    prompt_id VARCHAR(36) NOT NULL, 
    CONSTRAINT pk_server_prompt_association PRIMARY KEY (server_id, prompt_id), 
    CONSTRAINT fk_server_prompt_association_prompt_id_prompts FOREIGN KEY(prompt_id) REFERENCES prompts (id) ON DELETE CASCADE, 
    CONSTRAINT fk_server_prompt_association_server_id_servers FOREIGN KEY(server_id) REFERENCES servers (id) ON DELETE CASCADE
);

CREATE INDEX ix_server_prompt_association_prompt_id ON server_prompt_association (prompt_id);

CREATE TABLE server_resource_association (
    server_id VARCHAR(36) NOT NULL, 
    resource_id VARCHAR(36) NOT NULL, 
    CONSTRAINT pk_server_resource_association PRIMARY KEY (server_id, resource_id), 
    CONSTRAINT fk_server_resource_association_resource_id_resources FOREIGN KEY(resource_id) REFERENCES resources (id) ON DELETE CASCADE, 
    CONSTRAINT fk_server_resource_association_server_id_servers FOREIGN KEY(server_id) REFERENCES servers (id) ON DELETE CASCADE
);

CREATE INDEX ix_server_resource_association_resource_id ON server_resource_association (resource_id);

CREATE TABLE server_tool_association (
    server_id VARCHAR(36) NOT NULL, 
    tool_id VARCHAR(36) NOT NULL, 
    CONSTRAINT pk_server_tool_association PRIMARY KEY (server_id, tool_id), 
    CONSTRAINT fk_server_tool_association_server_id_servers FOREIGN KEY(server_id) REFERENCES servers (id) ON DELETE CASCADE, 
    CONSTRAINT fk_server_tool_association_tool_id_tools FOREIGN KEY(tool_id) REFERENCES tools (id) ON DELETE CASCADE
);

CREATE INDEX ix_server_tool_association_tool_id ON server_tool_association (tool_id);

CREATE TABLE tool_metrics (
    id BIGINT NOT NULL AUTO_INCREMENT, 
    tool_id VARCHAR(36) NOT NULL, 
    timestamp DATETIME NOT NULL, 
    response_time FLOAT NOT NULL, 
    is_success BOOL NOT NULL, 
    error_message TEXT, 
    CONSTRAINT pk_tool_metrics PRIMARY KEY (id), 
    CONSTRAINT fk_tool_metrics_tool_id_tools FOREIGN KEY(tool_id) REFERENCES tools (id) ON DELETE CASCADE
);

CREATE INDEX ix_tool_metrics_timestamp ON tool_metrics (timestamp);

CREATE INDEX ix_tool_metrics_tool_id ON tool_metrics (tool_id);

INSERT INTO alembic_version (version_num) VALUES ('944f8b89e0f2');

-- Running upgrade  -> 070ddfcc0950

CREATE TABLE rate_limit_counters (
    id BIGINT NOT NULL AUTO_INCREMENT, 
    tool_id VARCHAR(36) NOT NULL, 
    subject VARCHAR(255) NOT NULL, 
    window_start DATETIME NOT NULL, 
    calls INTEGER NOT NULL, 
    CONSTRAINT pk_rate_limit_counters PRIMARY KEY (id), 
    CONSTRAINT fk_rate_limit_counters_tool_id_tools FOREIGN KEY(tool_id) REFERENCES tools (id) ON DELETE CASCADE, 
    CONSTRAINT uq_rate_limit_counters_tool_id_subject_window_start UNIQUE (tool_id, subject, window_start)
);

CREATE INDEX ix_rate_limit_counters_tool_id ON rate_limit_counters (tool_id);

CREATE INDEX ix_rate_limit_counters_window_start ON rate_limit_counters (window_start);

CREATE TABLE rate_limit_policies (
    id VARCHAR(36) NOT NULL, 
    tool_id VARCHAR(36) NOT NULL, 
    team_id VARCHAR(36), 
    max_calls INTEGER NOT NULL, 
    window_seconds INTEGER NOT NULL, 
    enabled BOOL NOT NULL, 
    created_at DATETIME NOT NULL, 
    updated_at DATETIME NOT NULL, 
    CONSTRAINT pk_rate_limit_policies PRIMARY KEY (id), 
    CONSTRAINT ck_rate_limit_policies_positive_limits CHECK (max_calls > 0 AND window_seconds > 0), 
    CONSTRAINT fk_rate_limit_policies_team_id_email_teams FOREIGN KEY(team_id) REFERENCES email_teams (id) ON DELETE CASCADE, 
    CONSTRAINT fk_rate_limit_policies_tool_id_tools FOREIGN KEY(tool_id) REFERENCES tools (id) ON DELETE CASCADE, 
    CONSTRAINT uq_rate_limit_policies_tool_id_team_id UNIQUE (tool_id, team_id)
);

CREATE INDEX ix_rate_limit_policies_created_at ON rate_limit_policies (created_at);

CREATE INDEX ix_rate_limit_policies_team_id ON rate_limit_policies (team_id);

CREATE INDEX ix_rate_limit_policies_tool_id ON rate_limit_policies (tool_id);

UPDATE alembic_version SET version_num='070ddfcc0950' WHERE alembic_version.version_num = '944f8b89e0f2';

-- Running upgrade 944f8b89e0f2 -> 66c37d7f92a7

ALTER TABLE tools ADD COLUMN slug VARCHAR(255);

UPDATE tools SET slug=lower(replace(replace(replace(replace(replace(tools.name, ' ', '-'), '_', '-'), '.', '-'), '/', '-'), ':', '-')) WHERE tools.slug IS NULL;

UPDATE tools SET slug=(concat(substr(tools.slug, 1, 218), '-', tools.id)) WHERE tools.id IN (SELECT clashes.id 
FROM (SELECT newer.id AS id 
FROM tools AS newer INNER JOIN tools AS older ON (older.gateway_id = newer.gateway_id OR older.gateway_id IS NULL AND newer.gateway_id IS NULL) AND older.slug = newer.slug AND older.id < newer.id) AS clashes);

ALTER TABLE tools MODIFY slug VARCHAR(255) NOT NULL;

ALTER TABLE tools ADD CONSTRAINT uq_tools_gateway_id_slug UNIQUE (gateway_id, slug);

INSERT INTO alembic_version (version_num) VALUES ('66c37d7f92a7');

