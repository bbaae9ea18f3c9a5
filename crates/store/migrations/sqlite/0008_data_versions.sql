-- A counter per kind of derived figure that moves on with every write to the tables
-- the figures are read from, in the writing transaction: a report kept in memory
-- under the counter it was computed at is still right while the counter has not
-- moved, whoever wrote (the server, the CLI, another process on the same file).
CREATE TABLE data_versions (
    name TEXT PRIMARY KEY,
    version INTEGER NOT NULL
);
INSERT INTO data_versions (name, version) VALUES ('stats', 0);

CREATE TRIGGER stats_version_projects_insert AFTER INSERT ON projects
BEGIN UPDATE data_versions SET version = version + 1 WHERE name = 'stats'; END;
CREATE TRIGGER stats_version_projects_update AFTER UPDATE ON projects
BEGIN UPDATE data_versions SET version = version + 1 WHERE name = 'stats'; END;
CREATE TRIGGER stats_version_projects_delete AFTER DELETE ON projects
BEGIN UPDATE data_versions SET version = version + 1 WHERE name = 'stats'; END;
CREATE TRIGGER stats_version_funding_insert AFTER INSERT ON project_funding
BEGIN UPDATE data_versions SET version = version + 1 WHERE name = 'stats'; END;
CREATE TRIGGER stats_version_funding_update AFTER UPDATE ON project_funding
BEGIN UPDATE data_versions SET version = version + 1 WHERE name = 'stats'; END;
CREATE TRIGGER stats_version_funding_delete AFTER DELETE ON project_funding
BEGIN UPDATE data_versions SET version = version + 1 WHERE name = 'stats'; END;
CREATE TRIGGER stats_version_targets_insert AFTER INSERT ON targets
BEGIN UPDATE data_versions SET version = version + 1 WHERE name = 'stats'; END;
CREATE TRIGGER stats_version_targets_update AFTER UPDATE ON targets
BEGIN UPDATE data_versions SET version = version + 1 WHERE name = 'stats'; END;
CREATE TRIGGER stats_version_targets_delete AFTER DELETE ON targets
BEGIN UPDATE data_versions SET version = version + 1 WHERE name = 'stats'; END;
