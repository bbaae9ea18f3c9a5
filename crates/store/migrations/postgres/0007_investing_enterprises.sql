-- How many live (not dropped) projects each enterprise invests in, kept in step with
-- projects and enterprises by triggers. Target ranking reads the few enterprises that
-- invest or are known to someone apart (a partial index), so the scope-independent
-- order of the rest needs only the HQ distance as its bound (crates/app/src/chains).
ALTER TABLE enterprises ADD COLUMN live_projects BIGINT NOT NULL DEFAULT 0;
CREATE INDEX enterprises_investing ON enterprises(industry) WHERE live_projects > 0;

UPDATE enterprises SET live_projects = (
    SELECT COUNT(*) FROM projects p WHERE p.investor_credit_code = enterprises.credit_code AND p.stage <> 'dropped');

-- $1 rather than a parameter name: projects has columns named like any natural one.
CREATE FUNCTION recount_live_projects(TEXT) RETURNS void LANGUAGE sql AS $$
    UPDATE enterprises SET live_projects = (
        SELECT COUNT(*) FROM projects p WHERE p.investor_credit_code = $1 AND p.stage <> 'dropped')
    WHERE credit_code = $1;
$$;

CREATE FUNCTION enterprises_live_projects_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM recount_live_projects(NEW.credit_code);
    RETURN NULL;
END $$;
CREATE TRIGGER enterprises_live_projects_insert AFTER INSERT ON enterprises
    FOR EACH ROW EXECUTE FUNCTION enterprises_live_projects_inserted();

CREATE FUNCTION projects_live_projects_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.investor_credit_code <> '' THEN
        PERFORM recount_live_projects(NEW.investor_credit_code);
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.investor_credit_code <> ''
        AND (TG_OP = 'DELETE' OR OLD.investor_credit_code IS DISTINCT FROM NEW.investor_credit_code) THEN
        PERFORM recount_live_projects(OLD.investor_credit_code);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER projects_live_projects_insert AFTER INSERT ON projects
    FOR EACH ROW EXECUTE FUNCTION projects_live_projects_changed();
CREATE TRIGGER projects_live_projects_update AFTER UPDATE OF investor_credit_code, stage ON projects
    FOR EACH ROW EXECUTE FUNCTION projects_live_projects_changed();
CREATE TRIGGER projects_live_projects_delete AFTER DELETE ON projects
    FOR EACH ROW EXECUTE FUNCTION projects_live_projects_changed();
