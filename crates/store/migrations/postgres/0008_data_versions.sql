-- A counter per kind of derived figure that moves on with every write to the tables
-- the figures are read from, in the writing transaction: a report kept in memory
-- under the counter it was computed at is still right while the counter has not
-- moved, whoever wrote (any server or CLI on the same database). Once a statement,
-- not a row: the row lock it takes lasts to the writer's commit, so concurrent
-- writers of figures queue there (writes are rare next to reads).
CREATE TABLE data_versions (
    name TEXT PRIMARY KEY,
    version BIGINT NOT NULL
);
INSERT INTO data_versions (name, version) VALUES ('stats', 0);

CREATE FUNCTION stats_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'stats';
    RETURN NULL;
END
$$;

CREATE TRIGGER stats_version_projects AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON projects
    FOR EACH STATEMENT EXECUTE FUNCTION stats_version_bump();
CREATE TRIGGER stats_version_funding AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON project_funding
    FOR EACH STATEMENT EXECUTE FUNCTION stats_version_bump();
CREATE TRIGGER stats_version_targets AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON targets
    FOR EACH STATEMENT EXECUTE FUNCTION stats_version_bump();
