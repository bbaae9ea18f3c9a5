-- How many live (not dropped) projects each enterprise invests in, kept in step with
-- projects and enterprises by triggers. Target ranking reads the few enterprises that
-- invest or are known to someone apart (a partial index), so the scope-independent
-- order of the rest needs only the HQ distance as its bound (crates/app/src/chains).
ALTER TABLE enterprises ADD COLUMN live_projects BIGINT NOT NULL DEFAULT 0;
CREATE INDEX enterprises_investing ON enterprises(industry) WHERE live_projects > 0;

UPDATE enterprises SET live_projects = (
    SELECT COUNT(*) FROM projects p WHERE p.investor_credit_code = enterprises.credit_code AND p.stage <> 'dropped');

-- Only an enterprise some project already names needs counting (most are new to all).
CREATE TRIGGER enterprises_live_projects_insert AFTER INSERT ON enterprises
WHEN EXISTS (SELECT 1 FROM projects p WHERE p.investor_credit_code = new.credit_code) BEGIN
    UPDATE enterprises SET live_projects = (
        SELECT COUNT(*) FROM projects p WHERE p.investor_credit_code = new.credit_code AND p.stage <> 'dropped')
    WHERE id = new.id;
END;

CREATE TRIGGER projects_live_projects_insert AFTER INSERT ON projects WHEN new.investor_credit_code <> '' BEGIN
    UPDATE enterprises SET live_projects = (
        SELECT COUNT(*) FROM projects p WHERE p.investor_credit_code = new.investor_credit_code AND p.stage <> 'dropped')
    WHERE credit_code = new.investor_credit_code;
END;

CREATE TRIGGER projects_live_projects_update AFTER UPDATE OF investor_credit_code, stage ON projects BEGIN
    UPDATE enterprises SET live_projects = (
        SELECT COUNT(*) FROM projects p WHERE p.investor_credit_code = enterprises.credit_code AND p.stage <> 'dropped')
    WHERE credit_code IN (new.investor_credit_code, old.investor_credit_code);
END;

CREATE TRIGGER projects_live_projects_delete AFTER DELETE ON projects WHEN old.investor_credit_code <> '' BEGIN
    UPDATE enterprises SET live_projects = (
        SELECT COUNT(*) FROM projects p WHERE p.investor_credit_code = old.investor_credit_code AND p.stage <> 'dropped')
    WHERE credit_code = old.investor_credit_code;
END;
