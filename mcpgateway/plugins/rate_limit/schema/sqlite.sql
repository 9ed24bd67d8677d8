-- mcpgateway rate_limit schema at head on sqlite: made by make db-schema, do not edit
-- heads: 070ddfcc0950
-- digest: 03822099bda10fadb9a4963e2a2e9f7e9a65e7ee0266e8d01bc537fd09de3db4
-- content: adf60ca343c3dab2d139370dc5211df26b5e11566a8b04771cce0e2884517fa1
-- db-up loads this file into an empty database: it builds what the revisions build
CREATE TABLE rate_limit_counters ( id INTEGER NOT NULL, tool_id VARCHAR(36) NOT NULL, subject VARCHAR(255) NOT NULL, window_start DATETIME NOT NULL, calls INTEGER NOT NULL,CONSTRAINT fk_rate_limit_counters_tool_id_tools FOREIGN KEY(tool_id) REFERENCES tools (id) ON DELETE CASCADE,CONSTRAINT pk_rate_limit_counters PRIMARY KEY (id),CONSTRAINT uq_rate_limit_counters_tool_id_subject_window_start UNIQUE (tool_id, subject, window_start));
CREATE TABLE rate_limit_policies ( id VARCHAR(36) NOT NULL, tool_id VARCHAR(36) NOT NULL, team_id VARCHAR(36), max_calls INTEGER NOT NULL, window_seconds INTEGER NOT NULL, enabled BOOLEAN NOT NULL, created_at DATETIME NOT NULL, updated_at DATETIME NOT NULL,CONSTRAINT ck_rate_limit_policies_positive_limits CHECK (max_calls > 0 AND window_seconds > 0),CONSTRAINT fk_rate_limit_policies_team_id_email_teams FOREIGN KEY(team_id) REFERENCES email_teams (id) ON DELETE CASCADE,CONSTRAINT fk_rate_limit_policies_tool_id_tools FOREIGN KEY(tool_id) REFERENCES tools (id) ON DELETE CASCADE,CONSTRAINT pk_rate_limit_policies PRIMARY KEY (id),CONSTRAINT uq_rate_limit_policies_tool_id_team_id UNIQUE (tool_id, team_id));
CREATE INDEX ix_rate_limit_counters_tool_id ON rate_limit_counters (tool_id);
CREATE INDEX ix_rate_limit_counters_window_start ON rate_limit_counters (window_start);
CREATE INDEX ix_rate_limit_policies_created_at ON rate_limit_policies (created_at);
CREATE INDEX ix_rate_limit_policies_team_id ON rate_limit_policies (team_id);
CREATE INDEX ix_rate_limit_policies_tool_id ON rate_limit_policies (tool_id);
INSERT INTO mcpgateway_revisions (revision, checksum, state, recorded_at) VALUES ('070ddfcc0950', '3a30b012f11854ff7a9b3d11b33a4e386e423ef7fd68a7b76f83adbc7e5d8efa', 'applied', CURRENT_TIMESTAMP);
INSERT INTO alembic_version (version_num) VALUES ('070ddfcc0950');
