-- The statistical report's breakdowns kept as sums (issue 24): what stat_sums and
-- stat_pairs hold, split by one of the projects' attributes. See SQLite's 0051 for the
-- facets, the grains ('M' and 'Y' only) and the order of the keys. Kept by the
-- statement-level triggers below (one grouped upsert per statement from its transition
-- tables) and, for a deleted project's funding records, by a row trigger that takes them
-- out before the deletion cascades to them (the records then find no project). A
-- restore disables the triggers and refills both tables (store::backup). Upserts go in
-- key order, so that concurrent writers lock shared rows in the same order.
CREATE TABLE report_sums (
    measure TEXT NOT NULL,
    facet INTEGER NOT NULL,
    grain TEXT NOT NULL,
    bucket DATE NOT NULL,
    region_code TEXT NOT NULL,
    facet_value TEXT NOT NULL,
    source TEXT NOT NULL,
    records BIGINT NOT NULL,
    amount BIGINT NOT NULL,
    PRIMARY KEY (measure, facet, grain, bucket, region_code, facet_value, source)
);

CREATE TABLE report_pairs (
    measure TEXT NOT NULL,
    facet INTEGER NOT NULL,
    signed_month DATE NOT NULL,
    event_month DATE NOT NULL,
    region_code TEXT NOT NULL,
    facet_value TEXT NOT NULL,
    records BIGINT NOT NULL,
    PRIMARY KEY (measure, facet, signed_month, event_month, region_code, facet_value)
);

-- The size band of a total investment in yuan: its position in
-- zhaoshang_core::statistical_report::SizeBand::ALL, as text.
CREATE FUNCTION report_size_band(total BIGINT) RETURNS TEXT LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN total >= 2000000000 THEN '3' WHEN total >= 1000000000 THEN '2'
                WHEN total >= 100000000 THEN '1' ELSE '0' END
$$;

-- A project's value of each facet.
CREATE VIEW project_facets AS
SELECT id, 1 AS facet, chain AS facet_value FROM projects
UNION ALL SELECT id, 2, investor_origin FROM projects
UNION ALL SELECT id, 3, industry FROM projects
UNION ALL SELECT id, 4, investor_type FROM projects
UNION ALL SELECT id, 5, report_size_band(total_investment) FROM projects;

CREATE FUNCTION report_funding_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        INSERT INTO report_sums (measure, facet, grain, bucket, region_code, facet_value, source, records, amount)
        SELECT 'F', k.facet, g.grain, date_trunc(g.unit, o.funded_on)::date, o.region_code, k.facet_value, o.source,
               -COUNT(*), -SUM(o.amount)
        FROM old_rows o JOIN project_facets k ON k.id = o.project_id, (VALUES ('M', 'month'), ('Y', 'year')) AS g(grain, unit)
        GROUP BY 2, 3, 4, 5, 6, 7 ORDER BY 2, 3, 4, 5, 6, 7
        ON CONFLICT (measure, facet, grain, bucket, region_code, facet_value, source)
        DO UPDATE SET records = report_sums.records + excluded.records, amount = report_sums.amount + excluded.amount;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO report_sums (measure, facet, grain, bucket, region_code, facet_value, source, records, amount)
        SELECT 'F', k.facet, g.grain, date_trunc(g.unit, n.funded_on)::date, n.region_code, k.facet_value, n.source,
               COUNT(*), SUM(n.amount)
        FROM new_rows n JOIN project_facets k ON k.id = n.project_id, (VALUES ('M', 'month'), ('Y', 'year')) AS g(grain, unit)
        GROUP BY 2, 3, 4, 5, 6, 7 ORDER BY 2, 3, 4, 5, 6, 7
        ON CONFLICT (measure, facet, grain, bucket, region_code, facet_value, source)
        DO UPDATE SET records = report_sums.records + excluded.records, amount = report_sums.amount + excluded.amount;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER report_funding_insert AFTER INSERT ON project_funding
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_funding_changed();
CREATE TRIGGER report_funding_delete AFTER DELETE ON project_funding
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_funding_changed();
CREATE TRIGGER report_funding_update AFTER UPDATE ON project_funding
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_funding_changed();

-- Signings, productions and pairs of the statement's projects (old rows out, new rows
-- in); on an update, the funding records of projects whose values changed move too.
-- The transition tables are named by the operation (a static query may not name one
-- the trigger lacks).
CREATE FUNCTION report_projects_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changed text := CASE TG_OP
        WHEN 'INSERT' THEN 'SELECT 1 AS sign, * FROM new_rows'
        WHEN 'DELETE' THEN 'SELECT -1 AS sign, * FROM old_rows'
        ELSE 'SELECT -1 AS sign, * FROM old_rows UNION ALL SELECT 1, * FROM new_rows' END;
BEGIN
    EXECUTE format($sql$
        WITH r AS (%s),
        c AS (SELECT r.sign, r.region_code, r.total_investment, k.facet, k.facet_value, m.measure, m.day
              FROM r, LATERAL (VALUES ('S', r.signed_on), ('P', r.producing_on)) AS m(measure, day),
                   LATERAL (VALUES (1, r.chain), (2, r.investor_origin), (3, r.industry), (4, r.investor_type),
                                   (5, report_size_band(r.total_investment))) AS k(facet, facet_value)
              WHERE r.stage <> 'dropped' AND r.signed_on IS NOT NULL AND m.day IS NOT NULL)
        INSERT INTO report_sums (measure, facet, grain, bucket, region_code, facet_value, source, records, amount)
        SELECT c.measure, c.facet, g.grain, date_trunc(g.unit, c.day)::date, c.region_code, c.facet_value, '',
               SUM(c.sign), SUM(c.sign * c.total_investment)
        FROM c, (VALUES ('M', 'month'), ('Y', 'year')) AS g(grain, unit)
        GROUP BY 1, 2, 3, 4, 5, 6, 7
        HAVING SUM(c.sign) <> 0 OR SUM(c.sign * c.total_investment) <> 0
        ORDER BY 1, 2, 3, 4, 5, 6, 7
        ON CONFLICT (measure, facet, grain, bucket, region_code, facet_value, source)
        DO UPDATE SET records = report_sums.records + excluded.records, amount = report_sums.amount + excluded.amount
    $sql$, changed);
    EXECUTE format($sql$
        WITH r AS (%s),
        c AS (SELECT r.sign, k.facet, k.facet_value, m.measure, date_trunc('month', r.signed_on)::date AS signed_month,
                     date_trunc('month', m.day)::date AS event_month, r.region_code
              FROM r, LATERAL (VALUES ('T', r.started_on), ('P', r.producing_on),
                      ('L', CASE WHEN r.total_investment >= 100000000 THEN r.signed_on END)) AS m(measure, day),
                   LATERAL (VALUES (1, r.chain), (2, r.investor_origin), (3, r.industry), (4, r.investor_type),
                                   (5, report_size_band(r.total_investment))) AS k(facet, facet_value)
              WHERE r.stage <> 'dropped' AND r.signed_on IS NOT NULL AND m.day IS NOT NULL)
        INSERT INTO report_pairs (measure, facet, signed_month, event_month, region_code, facet_value, records)
        SELECT c.measure, c.facet, c.signed_month, c.event_month, c.region_code, c.facet_value, SUM(c.sign)
        FROM c
        GROUP BY 1, 2, 3, 4, 5, 6
        HAVING SUM(c.sign) <> 0
        ORDER BY 1, 2, 3, 4, 5, 6
        ON CONFLICT (measure, facet, signed_month, event_month, region_code, facet_value)
        DO UPDATE SET records = report_pairs.records + excluded.records
    $sql$, changed);
    IF TG_OP = 'UPDATE' THEN
        WITH moved AS (
            SELECT o.id FROM old_rows o JOIN new_rows n ON n.id = o.id
            WHERE (o.chain, o.investor_origin, o.industry, o.investor_type, report_size_band(o.total_investment))
                  IS DISTINCT FROM (n.chain, n.investor_origin, n.industry, n.investor_type, report_size_band(n.total_investment))),
        r AS (SELECT -1 AS sign, o.* FROM old_rows o JOIN moved USING (id)
              UNION ALL SELECT 1, n.* FROM new_rows n JOIN moved USING (id))
        INSERT INTO report_sums (measure, facet, grain, bucket, region_code, facet_value, source, records, amount)
        SELECT 'F', k.facet, g.grain, date_trunc(g.unit, f.funded_on)::date, f.region_code, k.facet_value, f.source,
               SUM(r.sign), SUM(r.sign * f.amount)
        FROM r JOIN project_funding f ON f.project_id = r.id,
             LATERAL (VALUES (1, r.chain), (2, r.investor_origin), (3, r.industry), (4, r.investor_type),
                             (5, report_size_band(r.total_investment))) AS k(facet, facet_value),
             (VALUES ('M', 'month'), ('Y', 'year')) AS g(grain, unit)
        GROUP BY 2, 3, 4, 5, 6, 7
        HAVING SUM(r.sign) <> 0 OR SUM(r.sign * f.amount) <> 0
        ORDER BY 2, 3, 4, 5, 6, 7
        ON CONFLICT (measure, facet, grain, bucket, region_code, facet_value, source)
        DO UPDATE SET records = report_sums.records + excluded.records, amount = report_sums.amount + excluded.amount;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER report_projects_insert AFTER INSERT ON projects
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_projects_changed();
CREATE TRIGGER report_projects_delete AFTER DELETE ON projects
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_projects_changed();
CREATE TRIGGER report_projects_update AFTER UPDATE ON projects
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_projects_changed();

CREATE FUNCTION report_project_deleting() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO report_sums (measure, facet, grain, bucket, region_code, facet_value, source, records, amount)
    SELECT 'F', k.facet, g.grain, date_trunc(g.unit, f.funded_on)::date, f.region_code, k.facet_value, f.source,
           -COUNT(*), -SUM(f.amount)
    FROM project_funding f,
         (VALUES (1, old.chain), (2, old.investor_origin), (3, old.industry), (4, old.investor_type),
                 (5, report_size_band(old.total_investment))) AS k(facet, facet_value),
         (VALUES ('M', 'month'), ('Y', 'year')) AS g(grain, unit)
    WHERE f.project_id = old.id
    GROUP BY 2, 3, 4, 5, 6, 7 ORDER BY 2, 3, 4, 5, 6, 7
    ON CONFLICT (measure, facet, grain, bucket, region_code, facet_value, source)
    DO UPDATE SET records = report_sums.records + excluded.records, amount = report_sums.amount + excluded.amount;
    RETURN old;
END
$$;
CREATE TRIGGER report_projects_funding_out BEFORE DELETE ON projects
    FOR EACH ROW EXECUTE FUNCTION report_project_deleting();

-- What is already stored (the same statements as store::backup's refill).
INSERT INTO report_sums (measure, facet, grain, bucket, region_code, facet_value, source, records, amount)
SELECT 'F', k.facet, g.grain, date_trunc(g.unit, f.funded_on)::date, f.region_code, k.facet_value, f.source,
       COUNT(*), SUM(f.amount)
FROM project_funding f JOIN project_facets k ON k.id = f.project_id, (VALUES ('M', 'month'), ('Y', 'year')) AS g(grain, unit)
GROUP BY 2, 3, 4, 5, 6, 7;

INSERT INTO report_sums (measure, facet, grain, bucket, region_code, facet_value, source, records, amount)
SELECT m.measure, k.facet, g.grain, date_trunc(g.unit, m.day)::date, p.region_code, k.facet_value, '',
       COUNT(*), SUM(p.total_investment)
FROM projects p JOIN project_facets k ON k.id = p.id,
     LATERAL (VALUES ('S', p.signed_on), ('P', p.producing_on)) AS m(measure, day),
     (VALUES ('M', 'month'), ('Y', 'year')) AS g(grain, unit)
WHERE p.stage <> 'dropped' AND p.signed_on IS NOT NULL AND m.day IS NOT NULL
GROUP BY 1, 2, 3, 4, 5, 6, 7;

INSERT INTO report_pairs (measure, facet, signed_month, event_month, region_code, facet_value, records)
SELECT m.measure, k.facet, date_trunc('month', p.signed_on)::date, date_trunc('month', m.day)::date, p.region_code,
       k.facet_value, COUNT(*)
FROM projects p JOIN project_facets k ON k.id = p.id,
     LATERAL (VALUES ('T', p.started_on), ('P', p.producing_on),
                     ('L', CASE WHEN p.total_investment >= 100000000 THEN p.signed_on END)) AS m(measure, day)
WHERE p.stage <> 'dropped' AND p.signed_on IS NOT NULL AND m.day IS NOT NULL
GROUP BY 1, 2, 3, 4, 5, 6;
