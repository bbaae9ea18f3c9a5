-- What was decided about a pair of projects that looked claimed twice (the same investor,
-- similar names, two cities): the same project, different projects (no longer listed),
-- or handed to the province. One row per pair, the smaller project id first; who
-- decided and when is in the audit log.
CREATE TABLE duplicate_decisions (
    project_a BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    project_b BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    decision TEXT NOT NULL,
    PRIMARY KEY (project_a, project_b),
    CHECK (project_a < project_b)
);
