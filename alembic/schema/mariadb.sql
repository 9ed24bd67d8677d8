-- mcpgateway core schema at head on mariadb: made by make db-schema, do not edit
-- heads: ea947c81d9ef
-- digest: b5555d3d317c045141d858ad4a0ebe9b9bddf753e2cccdcbcda3c97425baab70
-- content: 58f324588c3aad3254aca8a1c743582e3b8458d9137252d76c8d13f565f07561
-- db-up loads this file into an empty database: it builds what the revisions build
/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
/*!40101 SET @OLD_CHARACTER_SET_RESULTS=@@CHARACTER_SET_RESULTS */;
/*!40101 SET @OLD_COLLATION_CONNECTION=@@COLLATION_CONNECTION */;
/*!40101 SET NAMES utf8mb4 */;
/*!40103 SET @OLD_TIME_ZONE=@@TIME_ZONE */;
/*!40103 SET TIME_ZONE='+00:00' */;
/*!40014 SET @OLD_UNIQUE_CHECKS=@@UNIQUE_CHECKS, UNIQUE_CHECKS=0 */;
/*!40014 SET @OLD_FOREIGN_KEY_CHECKS=@@FOREIGN_KEY_CHECKS, FOREIGN_KEY_CHECKS=0 */;
/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='NO_AUTO_VALUE_ON_ZERO' */;
/*!40111 SET @OLD_SQL_NOTES=@@SQL_NOTES, SQL_NOTES=0 */;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `alembic_version` (
  `version_num` varchar(32) NOT NULL,
  PRIMARY KEY (`version_num`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `email_team_members` (
  `id` varchar(36) NOT NULL,
  `team_id` varchar(36) NOT NULL,
  `user_email` varchar(255) NOT NULL,
  `role` varchar(6) NOT NULL,
  `joined_at` datetime NOT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `uq_email_team_members_team_id_user_email` (`team_id`,`user_email`),
  KEY `ix_email_team_members_team_id` (`team_id`),
  KEY `ix_email_team_members_user_email` (`user_email`),
  CONSTRAINT `fk_email_team_members_team_id_email_teams` FOREIGN KEY (`team_id`) REFERENCES `email_teams` (`id`) ON DELETE CASCADE,
  CONSTRAINT `fk_email_team_members_user_email_email_users` FOREIGN KEY (`user_email`) REFERENCES `email_users` (`email`) ON DELETE CASCADE,
  CONSTRAINT `ck_email_team_members_role` CHECK (`role` in ('owner','member'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `email_teams` (
  `id` varchar(36) NOT NULL,
  `name` varchar(255) NOT NULL,
  `slug` varchar(255) NOT NULL,
  `description` text DEFAULT NULL,
  `created_by` varchar(255) DEFAULT NULL,
  `is_personal` tinyint(1) NOT NULL,
  `visibility` varchar(7) NOT NULL DEFAULT 'private',
  `created_at` datetime NOT NULL,
  `updated_at` datetime NOT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `uq_email_teams_slug` (`slug`),
  KEY `ix_email_teams_created_at` (`created_at`),
  KEY `ix_email_teams_created_by` (`created_by`),
  KEY `ix_email_teams_name` (`name`),
  CONSTRAINT `fk_email_teams_created_by_email_users` FOREIGN KEY (`created_by`) REFERENCES `email_users` (`email`) ON DELETE SET NULL,
  CONSTRAINT `ck_email_teams_visibility` CHECK (`visibility` in ('private','team','public'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `email_users` (
  `email` varchar(255) NOT NULL,
  `full_name` varchar(255) DEFAULT NULL,
  `password_hash` varchar(255) DEFAULT NULL,
  `is_admin` tinyint(1) NOT NULL,
  `is_active` tinyint(1) NOT NULL,
  `last_login` datetime DEFAULT NULL,
  `created_at` datetime NOT NULL,
  `updated_at` datetime NOT NULL,
  PRIMARY KEY (`email`),
  KEY `ix_email_users_created_at` (`created_at`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `gateways` (
  `id` varchar(36) NOT NULL,
  `name` varchar(255) NOT NULL,
  `slug` varchar(255) NOT NULL,
  `url` varchar(767) NOT NULL,
  `description` text DEFAULT NULL,
  `transport` varchar(14) NOT NULL,
  `capabilities` longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL CHECK (json_valid(`capabilities`)),
  `auth_type` varchar(32) DEFAULT NULL,
  `enabled` tinyint(1) NOT NULL,
  `reachable` tinyint(1) NOT NULL,
  `last_seen` datetime DEFAULT NULL,
  `team_id` varchar(36) DEFAULT NULL,
  `owner_email` varchar(255) DEFAULT NULL,
  `visibility` varchar(7) NOT NULL DEFAULT 'private',
  `created_at` datetime NOT NULL,
  `updated_at` datetime NOT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `uq_gateways_slug` (`slug`),
  KEY `ix_gateways_created_at` (`created_at`),
  KEY `ix_gateways_name` (`name`),
  KEY `ix_gateways_owner_email` (`owner_email`),
  KEY `ix_gateways_team_id` (`team_id`),
  CONSTRAINT `fk_gateways_owner_email_email_users` FOREIGN KEY (`owner_email`) REFERENCES `email_users` (`email`) ON DELETE SET NULL,
  CONSTRAINT `fk_gateways_team_id_email_teams` FOREIGN KEY (`team_id`) REFERENCES `email_teams` (`id`) ON DELETE SET NULL,
  CONSTRAINT `ck_gateways_transport` CHECK (`transport` in ('sse','streamablehttp','stdio')),
  CONSTRAINT `ck_gateways_visibility` CHECK (`visibility` in ('private','team','public'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `mcpgateway_revisions` (
  `revision` varchar(64) NOT NULL,
  `checksum` varchar(64) NOT NULL,
  `state` varchar(16) NOT NULL,
  `recorded_at` datetime NOT NULL,
  PRIMARY KEY (`revision`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `prompt_metrics` (
  `id` bigint(20) NOT NULL AUTO_INCREMENT,
  `prompt_id` varchar(36) NOT NULL,
  `timestamp` datetime NOT NULL,
  `response_time` float NOT NULL,
  `is_success` tinyint(1) NOT NULL,
  `error_message` text DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `ix_prompt_metrics_prompt_id` (`prompt_id`),
  KEY `ix_prompt_metrics_timestamp` (`timestamp`),
  CONSTRAINT `fk_prompt_metrics_prompt_id_prompts` FOREIGN KEY (`prompt_id`) REFERENCES `prompts` (`id`) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `prompts` (
  `id` varchar(36) NOT NULL,
  `name` varchar(255) NOT NULL,
  `description` text DEFAULT NULL,
  `template` text NOT NULL,
  `argument_schema` longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL CHECK (json_valid(`argument_schema`)),
  `enabled` tinyint(1) NOT NULL,
  `gateway_id` varchar(36) DEFAULT NULL,
  `team_id` varchar(36) DEFAULT NULL,
  `owner_email` varchar(255) DEFAULT NULL,
  `visibility` varchar(7) NOT NULL DEFAULT 'private',
  `created_at` datetime NOT NULL,
  `updated_at` datetime NOT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `uq_prompts_gateway_id_name` (`gateway_id`,`name`),
  KEY `ix_prompts_created_at` (`created_at`),
  KEY `ix_prompts_gateway_id` (`gateway_id`),
  KEY `ix_prompts_name` (`name`),
  KEY `ix_prompts_owner_email` (`owner_email`),
  KEY `ix_prompts_team_id` (`team_id`),
  CONSTRAINT `fk_prompts_gateway_id_gateways` FOREIGN KEY (`gateway_id`) REFERENCES `gateways` (`id`) ON DELETE CASCADE,
  CONSTRAINT `fk_prompts_owner_email_email_users` FOREIGN KEY (`owner_email`) REFERENCES `email_users` (`email`) ON DELETE SET NULL,
  CONSTRAINT `fk_prompts_team_id_email_teams` FOREIGN KEY (`team_id`) REFERENCES `email_teams` (`id`) ON DELETE SET NULL,
  CONSTRAINT `ck_prompts_visibility` CHECK (`visibility` in ('private','team','public'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `resource_metrics` (
  `id` bigint(20) NOT NULL AUTO_INCREMENT,
  `resource_id` varchar(36) NOT NULL,
  `timestamp` datetime NOT NULL,
  `response_time` float NOT NULL,
  `is_success` tinyint(1) NOT NULL,
  `error_message` text DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `ix_resource_metrics_resource_id` (`resource_id`),
  KEY `ix_resource_metrics_timestamp` (`timestamp`),
  CONSTRAINT `fk_resource_metrics_resource_id_resources` FOREIGN KEY (`resource_id`) REFERENCES `resources` (`id`) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `resource_subscriptions` (
  `id` bigint(20) NOT NULL AUTO_INCREMENT,
  `resource_id` varchar(36) NOT NULL,
  `subscriber_id` varchar(255) NOT NULL,
  `created_at` datetime NOT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `uq_resource_subscriptions_resource_id_subscriber_id` (`resource_id`,`subscriber_id`),
  KEY `ix_resource_subscriptions_created_at` (`created_at`),
  KEY `ix_resource_subscriptions_resource_id` (`resource_id`),
  CONSTRAINT `fk_resource_subscriptions_resource_id_resources` FOREIGN KEY (`resource_id`) REFERENCES `resources` (`id`) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `resources` (
  `id` varchar(36) NOT NULL,
  `uri` varchar(767) NOT NULL,
  `name` varchar(255) NOT NULL,
  `description` text DEFAULT NULL,
  `mime_type` varchar(255) DEFAULT NULL,
  `size` int(11) DEFAULT NULL,
  `text_content` text DEFAULT NULL,
  `enabled` tinyint(1) NOT NULL,
  `gateway_id` varchar(36) DEFAULT NULL,
  `team_id` varchar(36) DEFAULT NULL,
  `owner_email` varchar(255) DEFAULT NULL,
  `visibility` varchar(7) NOT NULL DEFAULT 'private',
  `created_at` datetime NOT NULL,
  `updated_at` datetime NOT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `uq_resources_gateway_id_uri` (`gateway_id`,`uri`) USING HASH,
  KEY `ix_resources_created_at` (`created_at`),
  KEY `ix_resources_gateway_id` (`gateway_id`),
  KEY `ix_resources_name` (`name`),
  KEY `ix_resources_uri` (`uri`),
  KEY `ix_resources_owner_email` (`owner_email`),
  KEY `ix_resources_team_id` (`team_id`),
  CONSTRAINT `fk_resources_gateway_id_gateways` FOREIGN KEY (`gateway_id`) REFERENCES `gateways` (`id`) ON DELETE CASCADE,
  CONSTRAINT `fk_resources_owner_email_email_users` FOREIGN KEY (`owner_email`) REFERENCES `email_users` (`email`) ON DELETE SET NULL,
  CONSTRAINT `fk_resources_team_id_email_teams` FOREIGN KEY (`team_id`) REFERENCES `email_teams` (`id`) ON DELETE SET NULL,
  CONSTRAINT `ck_resources_visibility` CHECK (`visibility` in ('private','team','public'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `server_metrics` (
  `id` bigint(20) NOT NULL AUTO_INCREMENT,
  `server_id` varchar(36) NOT NULL,
  `timestamp` datetime NOT NULL,
  `response_time` float NOT NULL,
  `is_success` tinyint(1) NOT NULL,
  `error_message` text DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `ix_server_metrics_server_id` (`server_id`),
  KEY `ix_server_metrics_timestamp` (`timestamp`),
  CONSTRAINT `fk_server_metrics_server_id_servers` FOREIGN KEY (`server_id`) REFERENCES `servers` (`id`) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `server_prompt_association` (
  `server_id` varchar(36) NOT NULL,
  `prompt_id` varchar(36) NOT NULL,
  PRIMARY KEY (`server_id`,`prompt_id`),
  KEY `ix_server_prompt_association_prompt_id` (`prompt_id`),
  CONSTRAINT `fk_server_prompt_association_prompt_id_prompts` FOREIGN KEY (`prompt_id`) REFERENCES `prompts` (`id`) ON DELETE CASCADE,
  CONSTRAINT `fk_server_prompt_association_server_id_servers` FOREIGN KEY (`server_id`) REFERENCES `servers` (`id`) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `server_resource_association` (
  `server_id` varchar(36) NOT NULL,
  `resource_id` varchar(36) NOT NULL,
  PRIMARY KEY (`server_id`,`resource_id`),
  KEY `ix_server_resource_association_resource_id` (`resource_id`),
  CONSTRAINT `fk_server_resource_association_resource_id_resources` FOREIGN KEY (`resource_id`) REFERENCES `resources` (`id`) ON DELETE CASCADE,
  CONSTRAINT `fk_server_resource_association_server_id_servers` FOREIGN KEY (`server_id`) REFERENCES `servers` (`id`) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `server_tool_association` (
  `server_id` varchar(36) NOT NULL,
  `tool_id` varchar(36) NOT NULL,
  PRIMARY KEY (`server_id`,`tool_id`),
  KEY `ix_server_tool_association_tool_id` (`tool_id`),
  CONSTRAINT `fk_server_tool_association_server_id_servers` FOREIGN KEY (`server_id`) REFERENCES `servers` (`id`) ON DELETE CASCADE,
  CONSTRAINT `fk_server_tool_association_tool_id_tools` FOREIGN KEY (`tool_id`) REFERENCES `tools` (`id`) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `servers` (
  `id` varchar(36) NOT NULL,
  `name` varchar(255) NOT NULL,
  `description` text DEFAULT NULL,
  `icon` varchar(767) DEFAULT NULL,
  `enabled` tinyint(1) NOT NULL,
  `team_id` varchar(36) DEFAULT NULL,
  `owner_email` varchar(255) DEFAULT NULL,
  `visibility` varchar(7) NOT NULL DEFAULT 'private',
  `created_at` datetime NOT NULL,
  `updated_at` datetime NOT NULL,
  PRIMARY KEY (`id`),
  KEY `ix_servers_created_at` (`created_at`),
  KEY `ix_servers_name` (`name`),
  KEY `ix_servers_owner_email` (`owner_email`),
  KEY `ix_servers_team_id` (`team_id`),
  CONSTRAINT `fk_servers_owner_email_email_users` FOREIGN KEY (`owner_email`) REFERENCES `email_users` (`email`) ON DELETE SET NULL,
  CONSTRAINT `fk_servers_team_id_email_teams` FOREIGN KEY (`team_id`) REFERENCES `email_teams` (`id`) ON DELETE SET NULL,
  CONSTRAINT `ck_servers_visibility` CHECK (`visibility` in ('private','team','public'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `tool_metrics` (
  `id` bigint(20) NOT NULL AUTO_INCREMENT,
  `tool_id` varchar(36) NOT NULL,
  `timestamp` datetime NOT NULL,
  `response_time` float NOT NULL,
  `is_success` tinyint(1) NOT NULL,
  `error_message` text DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `ix_tool_metrics_timestamp` (`timestamp`),
  KEY `ix_tool_metrics_tool_id` (`tool_id`),
  CONSTRAINT `fk_tool_metrics_tool_id_tools` FOREIGN KEY (`tool_id`) REFERENCES `tools` (`id`) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `tools` (
  `id` varchar(36) NOT NULL,
  `name` varchar(255) NOT NULL,
  `original_name` varchar(255) NOT NULL,
  `url` varchar(767) DEFAULT NULL,
  `description` text DEFAULT NULL,
  `integration_type` varchar(4) NOT NULL,
  `request_type` varchar(16) NOT NULL,
  `headers` longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL CHECK (json_valid(`headers`)),
  `input_schema` longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL CHECK (json_valid(`input_schema`)),
  `annotations` longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL CHECK (json_valid(`annotations`)),
  `enabled` tinyint(1) NOT NULL,
  `reachable` tinyint(1) NOT NULL,
  `gateway_id` varchar(36) DEFAULT NULL,
  `team_id` varchar(36) DEFAULT NULL,
  `owner_email` varchar(255) DEFAULT NULL,
  `visibility` varchar(7) NOT NULL DEFAULT 'private',
  `created_at` datetime NOT NULL,
  `updated_at` datetime NOT NULL,
  `slug` varchar(255) NOT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `uq_tools_gateway_id_name` (`gateway_id`,`name`),
  UNIQUE KEY `uq_tools_gateway_id_slug` (`gateway_id`,`slug`),
  KEY `ix_tools_created_at` (`created_at`),
  KEY `ix_tools_gateway_id` (`gateway_id`),
  KEY `ix_tools_name` (`name`),
  KEY `ix_tools_owner_email` (`owner_email`),
  KEY `ix_tools_team_id` (`team_id`),
  CONSTRAINT `fk_tools_gateway_id_gateways` FOREIGN KEY (`gateway_id`) REFERENCES `gateways` (`id`) ON DELETE CASCADE,
  CONSTRAINT `fk_tools_owner_email_email_users` FOREIGN KEY (`owner_email`) REFERENCES `email_users` (`email`) ON DELETE SET NULL,
  CONSTRAINT `fk_tools_team_id_email_teams` FOREIGN KEY (`team_id`) REFERENCES `email_teams` (`id`) ON DELETE SET NULL,
  CONSTRAINT `ck_tools_integration_type` CHECK (`integration_type` in ('mcp','rest')),
  CONSTRAINT `ck_tools_visibility` CHECK (`visibility` in ('private','team','public'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
/*!40103 SET TIME_ZONE=@OLD_TIME_ZONE */;
/*!40101 SET SQL_MODE=@OLD_SQL_MODE */;
/*!40014 SET FOREIGN_KEY_CHECKS=@OLD_FOREIGN_KEY_CHECKS */;
/*!40014 SET UNIQUE_CHECKS=@OLD_UNIQUE_CHECKS */;
/*!40101 SET CHARACTER_SET_CLIENT=@OLD_CHARACTER_SET_CLIENT */;
/*!40101 SET CHARACTER_SET_RESULTS=@OLD_CHARACTER_SET_RESULTS */;
/*!40101 SET COLLATION_CONNECTION=@OLD_COLLATION_CONNECTION */;
/*!40111 SET SQL_NOTES=@OLD_SQL_NOTES */;
INSERT INTO mcpgateway_revisions (revision, checksum, state, recorded_at) VALUES ('66c37d7f92a7', 'd96a786285c66a50834e5403c6dda63637330de8567ac891a26f06aba48111c8', 'applied', CURRENT_TIMESTAMP);
INSERT INTO mcpgateway_revisions (revision, checksum, state, recorded_at) VALUES ('944f8b89e0f2', 'b79fd5991123b405685341f4bcf24b5acd62b8a82176d76fcdbf760945914507', 'applied', CURRENT_TIMESTAMP);
INSERT INTO mcpgateway_revisions (revision, checksum, state, recorded_at) VALUES ('ea947c81d9ef', '4bbf1d92a643fcfb55d9f2d17917b55ff7dd258fab50d8703fae3edb18368f78', 'applied', CURRENT_TIMESTAMP);
INSERT INTO alembic_version (version_num) VALUES ('ea947c81d9ef');
