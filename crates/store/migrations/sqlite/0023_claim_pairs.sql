-- Pairs of projects that look claimed twice (one investor credit code, two cities, similar
-- names: core::projects::duplicates), kept so that the duplicates page pages in SQL. The
-- name rule is not SQL, so triggers only mark an investor whose projects changed; the
-- application recomputes the pairs of marked investors before it reads them. `marked`
-- grows with every change, so a recomputation that raced a write leaves its mark behind.
CREATE TABLE claim_pending (
    investor_credit_code TEXT PRIMARY KEY,
    marked BIGINT NOT NULL
);

CREATE TABLE claim_pairs (
    project_a BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    project_b BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    investor_credit_code TEXT NOT NULL,
    PRIMARY KEY (project_a, project_b),
    CHECK (project_a < project_b)
);
CREATE INDEX claim_pairs_investor ON claim_pairs(investor_credit_code, project_a);
CREATE INDEX claim_pairs_b ON claim_pairs(project_b);

INSERT INTO claim_pending (investor_credit_code, marked)
    SELECT DISTINCT investor_credit_code, 1 FROM projects WHERE investor_credit_code <> '';

CREATE TRIGGER projects_claims_insert AFTER INSERT ON projects WHEN new.investor_credit_code <> '' BEGIN
    INSERT INTO claim_pending (investor_credit_code, marked) VALUES (new.investor_credit_code, 1)
    ON CONFLICT (investor_credit_code) DO UPDATE SET marked = marked + 1;
END;

CREATE TRIGGER projects_claims_update AFTER UPDATE OF name, region_code, investor_credit_code ON projects
WHEN old.investor_credit_code <> '' OR new.investor_credit_code <> '' BEGIN
    INSERT INTO claim_pending (investor_credit_code, marked)
        SELECT code, 1 FROM (SELECT old.investor_credit_code AS code UNION SELECT new.investor_credit_code)
        WHERE code <> ''
    ON CONFLICT (investor_credit_code) DO UPDATE SET marked = marked + 1;
END;

CREATE TRIGGER projects_claims_delete AFTER DELETE ON projects WHEN old.investor_credit_code <> '' BEGIN
    INSERT INTO claim_pending (investor_credit_code, marked) VALUES (old.investor_credit_code, 1)
    ON CONFLICT (investor_credit_code) DO UPDATE SET marked = marked + 1;
END;
