-- Counts by two months of a project, for the figures that compare two of its dates
-- (issue 5): of the projects signed in a period, how many had started, were
-- producing, or were of 1亿元 and more, by the period's end. The whole months of the
-- period are read here; its partial months at either end are read from projects
-- (store::stats::signed_figures). Kept in step by the statement trigger below, as
-- stat_sums.
--
-- measure 'T': started, event_month = month of started_on;
--         'P': producing, event_month = month of producing_on;
--         'L': total investment of 1亿元 and more, event_month = the signing month.
-- Only projects signed and not 终止 count; by_chain as in stat_sums.
CREATE TABLE stat_pairs (
    measure TEXT NOT NULL,
    by_chain INTEGER NOT NULL,
    chain TEXT NOT NULL,
    signed_month DATE NOT NULL,
    event_month DATE NOT NULL,
    region_code TEXT NOT NULL,
    records BIGINT NOT NULL,
    PRIMARY KEY (measure, by_chain, chain, signed_month, event_month, region_code)
);

-- One function for inserts, updates and deletions: the statement's transition tables
-- named by its operation (a static query may not name a table the trigger lacks).
CREATE FUNCTION stat_pairs_projects_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changed text := CASE TG_OP
        WHEN 'INSERT' THEN 'SELECT 1 AS sign, * FROM new_rows'
        WHEN 'DELETE' THEN 'SELECT -1 AS sign, * FROM old_rows'
        ELSE 'SELECT -1 AS sign, * FROM old_rows UNION ALL SELECT 1, * FROM new_rows' END;
BEGIN
    EXECUTE format($sql$
        WITH r AS (%s),
        c AS (SELECT r.sign, m.measure, r.chain, date_trunc('month', r.signed_on)::date AS signed_month,
                     date_trunc('month', m.day)::date AS event_month, r.region_code
              FROM r, LATERAL (VALUES ('T', r.started_on), ('P', r.producing_on),
                      ('L', CASE WHEN r.total_investment >= 100000000 THEN r.signed_on END)) AS m(measure, day)
              WHERE r.stage <> 'dropped' AND r.signed_on IS NOT NULL AND m.day IS NOT NULL)
        INSERT INTO stat_pairs (measure, by_chain, chain, signed_month, event_month, region_code, records)
        SELECT c.measure, k.by_chain, CASE k.by_chain WHEN 0 THEN '' ELSE c.chain END,
               c.signed_month, c.event_month, c.region_code, SUM(c.sign)
        FROM c, (VALUES (0), (1)) AS k(by_chain)
        GROUP BY 1, 2, 3, 4, 5, 6
        HAVING SUM(c.sign) <> 0
        ORDER BY 1, 2, 3, 4, 5, 6
        ON CONFLICT (measure, by_chain, chain, signed_month, event_month, region_code)
        DO UPDATE SET records = stat_pairs.records + excluded.records
    $sql$, changed);
    RETURN NULL;
END
$$;
CREATE TRIGGER stat_pairs_projects_insert AFTER INSERT ON projects
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stat_pairs_projects_changed();
CREATE TRIGGER stat_pairs_projects_delete AFTER DELETE ON projects
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION stat_pairs_projects_changed();
CREATE TRIGGER stat_pairs_projects_update AFTER UPDATE ON projects
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stat_pairs_projects_changed();

-- What is already stored.
INSERT INTO stat_pairs (measure, by_chain, chain, signed_month, event_month, region_code, records)
SELECT m.measure, k.by_chain, CASE k.by_chain WHEN 0 THEN '' ELSE p.chain END,
       date_trunc('month', p.signed_on)::date, date_trunc('month', m.day)::date, p.region_code, COUNT(*)
FROM projects AS p,
     LATERAL (VALUES ('T', p.started_on), ('P', p.producing_on),
                     ('L', CASE WHEN p.total_investment >= 100000000 THEN p.signed_on END)) AS m(measure, day),
     (VALUES (0), (1)) AS k(by_chain)
WHERE p.stage <> 'dropped' AND p.signed_on IS NOT NULL AND m.day IS NOT NULL
GROUP BY 1, 2, 3, 4, 5, 6;

-- The partial months at a period's end: the projects started or producing within
-- them, with what the figures filter on.
CREATE INDEX projects_started_cover ON projects(started_on, signed_on, region_code, chain, stage)
    WHERE started_on IS NOT NULL;
CREATE INDEX projects_producing_cover ON projects(producing_on, signed_on, region_code, chain, stage)
    WHERE producing_on IS NOT NULL;
