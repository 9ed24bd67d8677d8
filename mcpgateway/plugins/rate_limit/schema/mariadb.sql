-- mcpgateway rate_limit schema at head on mariadb: made by make db-schema, do not edit
-- heads: 070ddfcc0950
-- digest: 03822099bda10fadb9a4963e2a2e9f7e9a65e7ee0266e8d01bc537fd09de3db4
-- content: 4213e4eeced65825c5680f6cb5c34571e87ce54fb05906d30aef1dac25cf68ca
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
CREATE TABLE `rate_limit_counters` (
  `id` bigint(20) NOT NULL AUTO_INCREMENT,
  `tool_id` varchar(36) NOT NULL,
  `subject` varchar(255) NOT NULL,
  `window_start` datetime NOT NULL,
  `calls` int(11) NOT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `uq_rate_limit_counters_tool_id_subject_window_start` (`tool_id`,`subject`,`window_start`),
  KEY `ix_rate_limit_counters_tool_id` (`tool_id`),
  KEY `ix_rate_limit_counters_window_start` (`window_start`),
  CONSTRAINT `fk_rate_limit_counters_tool_id_tools` FOREIGN KEY (`tool_id`) REFERENCES `tools` (`id`) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `rate_limit_policies` (
  `id` varchar(36) NOT NULL,
  `tool_id` varchar(36) NOT NULL,
  `team_id` varchar(36) DEFAULT NULL,
  `max_calls` int(11) NOT NULL,
  `window_seconds` int(11) NOT NULL,
  `enabled` tinyint(1) NOT NULL,
  `created_at` datetime NOT NULL,
  `updated_at` datetime NOT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `uq_rate_limit_policies_tool_id_team_id` (`tool_id`,`team_id`),
  KEY `ix_rate_limit_policies_created_at` (`created_at`),
  KEY `ix_rate_limit_policies_team_id` (`team_id`),
  KEY `ix_rate_limit_policies_tool_id` (`tool_id`),
  CONSTRAINT `fk_rate_limit_policies_team_id_email_teams` FOREIGN KEY (`team_id`) REFERENCES `email_teams` (`id`) ON DELETE CASCADE,
  CONSTRAINT `fk_rate_limit_policies_tool_id_tools` FOREIGN KEY (`tool_id`) REFERENCES `tools` (`id`) ON DELETE CASCADE,
  CONSTRAINT `ck_rate_limit_policies_positive_limits` CHECK (`max_calls` > 0 and `window_seconds` > 0)
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
INSERT INTO mcpgateway_revisions (revision, checksum, state, recorded_at) VALUES ('070ddfcc0950', '3a30b012f11854ff7a9b3d11b33a4e386e423ef7fd68a7b76f83adbc7e5d8efa', 'applied', CURRENT_TIMESTAMP);
INSERT INTO alembic_version (version_num) VALUES ('070ddfcc0950');
