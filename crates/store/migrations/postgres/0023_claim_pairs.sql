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

-- Marks these investors, one statement per write however many rows it touched.
CREATE FUNCTION mark_claims(TEXT[]) RETURNS void LANGUAGE sql AS $$
    INSERT INTO claim_pending (investor_credit_code, marked)
        SELECT DISTINCT code, 1 FROM unnest($1) AS k(code) WHERE code <> ''
    ON CONFLICT (investor_credit_code) DO UPDATE SET marked = claim_pending.marked + 1;
$$;

CREATE FUNCTION projects_claims_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM mark_claims(ARRAY(SELECT investor_credit_code FROM inserted));
    RETURN NULL;
END $$;
CREATE TRIGGER projects_claims_insert AFTER INSERT ON projects
    REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION projects_claims_inserted();

-- Transition tables allow no column list: only rows whose name, region or investor
-- changed mark anything.
CREATE FUNCTION projects_claims_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM mark_claims(ARRAY(
        SELECT v.investor FROM old_rows o JOIN new_rows n ON n.id = o.id,
            LATERAL (VALUES (o.investor_credit_code), (n.investor_credit_code)) AS v(investor)
        WHERE o.name IS DISTINCT FROM n.name OR o.region_code IS DISTINCT FROM n.region_code
           OR o.investor_credit_code IS DISTINCT FROM n.investor_credit_code));
    RETURN NULL;
END $$;
CREATE TRIGGER projects_claims_update AFTER UPDATE ON projects
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION projects_claims_updated();

CREATE FUNCTION projects_claims_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM mark_claims(ARRAY(SELECT investor_credit_code FROM old_rows));
    RETURN NULL;
END $$;
CREATE TRIGGER projects_claims_delete AFTER DELETE ON projects
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION projects_claims_deleted();
