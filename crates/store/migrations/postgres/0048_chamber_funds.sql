-- Funds in place of each chamber's attributed projects by month (issue 18: `stats
-- chambers` read every funding record of the year and its project before). Kept by the
-- triggers below: one grouped upsert per funding statement (from its transition tables),
-- and per project whose source_org changes or that is deleted; a restore disables the
-- triggers and refills the table (store::backup). Months whose sum fell back to zero
-- stay. Upserts go in key order, so that concurrent writers lock rows in the same order.
CREATE TABLE chamber_funds (
    source_org TEXT NOT NULL,
    month DATE NOT NULL,
    amount BIGINT NOT NULL,
    PRIMARY KEY (source_org, month)
);

INSERT INTO chamber_funds (source_org, month, amount)
SELECT p.source_org, date_trunc('month', f.funded_on)::date, SUM(f.amount)
FROM project_funding f JOIN projects p ON p.id = f.project_id
WHERE p.source_org <> ''
GROUP BY 1, 2;

-- Records whose project is gone (deleted with it) are left out: the project's own
-- delete trigger took them out before.
CREATE FUNCTION chamber_funds_funding_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        INSERT INTO chamber_funds (source_org, month, amount)
        SELECT p.source_org, date_trunc('month', o.funded_on)::date, -SUM(o.amount)
        FROM old_rows o JOIN projects p ON p.id = o.project_id
        WHERE p.source_org <> '' GROUP BY 1, 2 ORDER BY 1, 2
        ON CONFLICT (source_org, month) DO UPDATE SET amount = chamber_funds.amount + excluded.amount;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO chamber_funds (source_org, month, amount)
        SELECT p.source_org, date_trunc('month', n.funded_on)::date, SUM(n.amount)
        FROM new_rows n JOIN projects p ON p.id = n.project_id
        WHERE p.source_org <> '' GROUP BY 1, 2 ORDER BY 1, 2
        ON CONFLICT (source_org, month) DO UPDATE SET amount = chamber_funds.amount + excluded.amount;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER chamber_funds_funding_insert AFTER INSERT ON project_funding
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION chamber_funds_funding_changed();
CREATE TRIGGER chamber_funds_funding_delete AFTER DELETE ON project_funding
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION chamber_funds_funding_changed();
CREATE TRIGGER chamber_funds_funding_update AFTER UPDATE ON project_funding
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION chamber_funds_funding_changed();

-- A project attributed to another chamber (or none) takes its records along; a deleted
-- one takes them out before the deletion cascades to them.
CREATE FUNCTION chamber_funds_project_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF old.source_org <> '' THEN
        INSERT INTO chamber_funds (source_org, month, amount)
        SELECT old.source_org, date_trunc('month', funded_on)::date, -SUM(amount) FROM project_funding
        WHERE project_id = old.id GROUP BY 2 ORDER BY 2
        ON CONFLICT (source_org, month) DO UPDATE SET amount = chamber_funds.amount + excluded.amount;
    END IF;
    IF TG_OP = 'UPDATE' AND new.source_org <> '' THEN
        INSERT INTO chamber_funds (source_org, month, amount)
        SELECT new.source_org, date_trunc('month', funded_on)::date, SUM(amount) FROM project_funding
        WHERE project_id = new.id GROUP BY 2 ORDER BY 2
        ON CONFLICT (source_org, month) DO UPDATE SET amount = chamber_funds.amount + excluded.amount;
    END IF;
    RETURN old;
END
$$;
CREATE TRIGGER chamber_funds_projects_source AFTER UPDATE OF source_org ON projects
    FOR EACH ROW WHEN (old.source_org IS DISTINCT FROM new.source_org) EXECUTE FUNCTION chamber_funds_project_changed();
CREATE TRIGGER chamber_funds_projects_delete BEFORE DELETE ON projects
    FOR EACH ROW EXECUTE FUNCTION chamber_funds_project_changed();

-- The projects a chamber signed in a period, read by index alone (only attributed
-- projects are in it).
CREATE INDEX projects_source_org_signed ON projects(source_org, signed_on, stage, total_investment)
WHERE source_org <> '';
