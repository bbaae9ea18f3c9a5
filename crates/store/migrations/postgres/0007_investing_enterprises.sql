-- How many live (not dropped) projects each enterprise invests in, kept in step with
-- projects and enterprises by triggers. Target ranking reads the few enterprises that
-- invest or are known to someone apart (a partial index), so the scope-independent
-- order of the rest needs only the HQ distance as its bound (crates/app/src/chains).
ALTER TABLE enterprises ADD COLUMN live_projects BIGINT NOT NULL DEFAULT 0;
CREATE INDEX enterprises_investing ON enterprises(industry) WHERE live_projects > 0;

UPDATE enterprises SET live_projects = (
    SELECT COUNT(*) FROM projects p WHERE p.investor_credit_code = enterprises.credit_code AND p.stage <> 'dropped');

-- Recounts the enterprises with these credit codes, all in one statement, touching only
-- rows whose count changes: statement triggers pass every code a write touched, so a
-- bulk insert costs one join, not a look-up per row.
CREATE FUNCTION recount_live_projects(TEXT[]) RETURNS void LANGUAGE sql AS $$
    UPDATE enterprises e SET live_projects = counted.n
    FROM (
        SELECT k.code, COUNT(p.id) AS n
        FROM unnest($1) AS k(code)
        LEFT JOIN projects p ON p.investor_credit_code = k.code AND p.stage <> 'dropped'
        WHERE k.code <> ''
        GROUP BY k.code
    ) counted
    WHERE e.credit_code = counted.code AND e.live_projects <> counted.n;
$$;

CREATE FUNCTION enterprises_live_projects_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM recount_live_projects(ARRAY(SELECT credit_code FROM inserted));
    RETURN NULL;
END $$;
CREATE TRIGGER enterprises_live_projects_insert AFTER INSERT ON enterprises
    REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION enterprises_live_projects_inserted();

CREATE FUNCTION projects_live_projects_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM recount_live_projects(ARRAY(SELECT DISTINCT investor_credit_code FROM inserted));
    RETURN NULL;
END $$;
CREATE TRIGGER projects_live_projects_insert AFTER INSERT ON projects
    REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION projects_live_projects_inserted();

CREATE FUNCTION projects_live_projects_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM recount_live_projects(ARRAY(
        SELECT investor_credit_code FROM old_rows UNION SELECT investor_credit_code FROM new_rows));
    RETURN NULL;
END $$;
CREATE TRIGGER projects_live_projects_update AFTER UPDATE ON projects
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION projects_live_projects_updated();

CREATE FUNCTION projects_live_projects_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM recount_live_projects(ARRAY(SELECT DISTINCT investor_credit_code FROM old_rows));
    RETURN NULL;
END $$;
CREATE TRIGGER projects_live_projects_delete AFTER DELETE ON projects
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION projects_live_projects_deleted();
