-- Funds in place of each chamber's attributed projects by month (issue 18: `stats
-- chambers` read every funding record of the year and its project before). Kept by the
-- triggers below from project_funding and from a project's source_org; a bulk write of
-- funding pauses them with the other sums (`stat_sums_paused`, migration 0040) and adds
-- its records grouped (store::projects::ADD_NEW_CHAMBER_FUNDS); a restore drops every
-- trigger and refills the table (store::backup). Months whose sum fell back to zero stay.
CREATE TABLE chamber_funds (
    source_org TEXT NOT NULL,
    month TEXT NOT NULL,
    amount BIGINT NOT NULL,
    PRIMARY KEY (source_org, month)
);

INSERT INTO chamber_funds (source_org, month, amount)
SELECT p.source_org, substr(f.funded_on, 1, 8) || '01', SUM(f.amount)
FROM project_funding f JOIN projects p ON p.id = f.project_id
WHERE p.source_org <> ''
GROUP BY 1, 2;

CREATE TRIGGER chamber_funds_funding_insert AFTER INSERT ON project_funding
WHEN NOT EXISTS (SELECT 1 FROM meta WHERE key = 'stat_sums_paused')
BEGIN
    INSERT INTO chamber_funds (source_org, month, amount)
    SELECT source_org, substr(new.funded_on, 1, 8) || '01', new.amount FROM projects
    WHERE id = new.project_id AND source_org <> ''
    ON CONFLICT (source_org, month) DO UPDATE SET amount = amount + excluded.amount;
END;

-- A record deleted with its project finds the project gone: the project's own delete
-- trigger below took its records out.
CREATE TRIGGER chamber_funds_funding_delete AFTER DELETE ON project_funding
BEGIN
    INSERT INTO chamber_funds (source_org, month, amount)
    SELECT source_org, substr(old.funded_on, 1, 8) || '01', -old.amount FROM projects
    WHERE id = old.project_id AND source_org <> ''
    ON CONFLICT (source_org, month) DO UPDATE SET amount = amount + excluded.amount;
END;

CREATE TRIGGER chamber_funds_funding_update AFTER UPDATE OF project_id, funded_on, amount ON project_funding
BEGIN
    INSERT INTO chamber_funds (source_org, month, amount)
    SELECT source_org, substr(old.funded_on, 1, 8) || '01', -old.amount FROM projects
    WHERE id = old.project_id AND source_org <> ''
    ON CONFLICT (source_org, month) DO UPDATE SET amount = amount + excluded.amount;
    INSERT INTO chamber_funds (source_org, month, amount)
    SELECT source_org, substr(new.funded_on, 1, 8) || '01', new.amount FROM projects
    WHERE id = new.project_id AND source_org <> ''
    ON CONFLICT (source_org, month) DO UPDATE SET amount = amount + excluded.amount;
END;

-- A project attributed to another chamber (or none) takes its records along.
CREATE TRIGGER chamber_funds_projects_source AFTER UPDATE OF source_org ON projects
WHEN old.source_org IS NOT new.source_org
BEGIN
    INSERT INTO chamber_funds (source_org, month, amount)
    SELECT old.source_org, substr(funded_on, 1, 8) || '01', -SUM(amount) FROM project_funding
    WHERE project_id = old.id AND old.source_org <> '' GROUP BY 2
    ON CONFLICT (source_org, month) DO UPDATE SET amount = amount + excluded.amount;
    INSERT INTO chamber_funds (source_org, month, amount)
    SELECT new.source_org, substr(funded_on, 1, 8) || '01', SUM(amount) FROM project_funding
    WHERE project_id = new.id AND new.source_org <> '' GROUP BY 2
    ON CONFLICT (source_org, month) DO UPDATE SET amount = amount + excluded.amount;
END;

CREATE TRIGGER chamber_funds_projects_delete BEFORE DELETE ON projects
WHEN old.source_org <> ''
BEGIN
    INSERT INTO chamber_funds (source_org, month, amount)
    SELECT old.source_org, substr(funded_on, 1, 8) || '01', -SUM(amount) FROM project_funding
    WHERE project_id = old.id GROUP BY 2
    ON CONFLICT (source_org, month) DO UPDATE SET amount = amount + excluded.amount;
END;

-- The projects a chamber signed in a period, read by index alone (only attributed
-- projects are in it).
CREATE INDEX projects_source_org_signed ON projects(source_org, signed_on, stage, total_investment)
WHERE source_org <> '';
