-- Pre-aggregated sums for the investment figures (issue 5), kept in step with every
-- write to projects and project_funding by the statement-level triggers below (one
-- grouped upsert per statement, from its transition tables), inside the writing
-- transaction: inserts, imports, restores, bulk loads, updates and deletions alike.
--
-- measure 'F': funds in place by funded_on, one row per funding source;
--         'S': projects signed and not 终止, by signed_on (source '');
--         'P': of those, the ones with a producing date, by producing_on (source '').
-- by_chain 0 sums all chains (chain ''), by_chain 1 one chain.
-- grain 'D' / 'M' / 'Y': the bucket is the day / the first of the month / 1 January,
-- so a period reads a few day rows at its ends and month or year rows between.
-- Rows whose sums fell back to zero stay (records 0) and are harmless. Upserts go in
-- key order, so that concurrent writers lock shared rows in the same order.
CREATE TABLE stat_sums (
    measure TEXT NOT NULL,
    by_chain INTEGER NOT NULL,
    chain TEXT NOT NULL,
    grain TEXT NOT NULL,
    bucket DATE NOT NULL,
    region_code TEXT NOT NULL,
    source TEXT NOT NULL,
    records BIGINT NOT NULL,
    amount BIGINT NOT NULL,
    PRIMARY KEY (measure, by_chain, chain, grain, bucket, region_code, source)
);

CREATE FUNCTION stat_sums_funding_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    WITH c AS (SELECT 1 AS sign, region_code, chain, funded_on, source, amount FROM new_rows)
    INSERT INTO stat_sums (measure, by_chain, chain, grain, bucket, region_code, source, records, amount)
    SELECT 'F', k.by_chain, CASE k.by_chain WHEN 0 THEN '' ELSE c.chain END, g.grain,
           CASE g.grain WHEN 'D' THEN c.funded_on WHEN 'M' THEN date_trunc('month', c.funded_on)::date
                ELSE date_trunc('year', c.funded_on)::date END,
           c.region_code, c.source, SUM(c.sign), SUM(c.sign * c.amount)
    FROM c, (VALUES (0), (1)) AS k(by_chain), (VALUES ('D'), ('M'), ('Y')) AS g(grain)
    GROUP BY 1, 2, 3, 4, 5, 6, 7
    HAVING SUM(c.sign) <> 0 OR SUM(c.sign * c.amount) <> 0
    ORDER BY 1, 2, 3, 4, 5, 6, 7
    ON CONFLICT (measure, by_chain, chain, grain, bucket, region_code, source)
    DO UPDATE SET records = stat_sums.records + excluded.records, amount = stat_sums.amount + excluded.amount;
    RETURN NULL;
END
$$;
CREATE FUNCTION stat_sums_funding_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    WITH c AS (SELECT -1 AS sign, region_code, chain, funded_on, source, amount FROM old_rows)
    INSERT INTO stat_sums (measure, by_chain, chain, grain, bucket, region_code, source, records, amount)
    SELECT 'F', k.by_chain, CASE k.by_chain WHEN 0 THEN '' ELSE c.chain END, g.grain,
           CASE g.grain WHEN 'D' THEN c.funded_on WHEN 'M' THEN date_trunc('month', c.funded_on)::date
                ELSE date_trunc('year', c.funded_on)::date END,
           c.region_code, c.source, SUM(c.sign), SUM(c.sign * c.amount)
    FROM c, (VALUES (0), (1)) AS k(by_chain), (VALUES ('D'), ('M'), ('Y')) AS g(grain)
    GROUP BY 1, 2, 3, 4, 5, 6, 7
    HAVING SUM(c.sign) <> 0 OR SUM(c.sign * c.amount) <> 0
    ORDER BY 1, 2, 3, 4, 5, 6, 7
    ON CONFLICT (measure, by_chain, chain, grain, bucket, region_code, source)
    DO UPDATE SET records = stat_sums.records + excluded.records, amount = stat_sums.amount + excluded.amount;
    RETURN NULL;
END
$$;
CREATE FUNCTION stat_sums_funding_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    WITH c AS (SELECT -1 AS sign, region_code, chain, funded_on, source, amount FROM old_rows UNION ALL SELECT 1, region_code, chain, funded_on, source, amount FROM new_rows)
    INSERT INTO stat_sums (measure, by_chain, chain, grain, bucket, region_code, source, records, amount)
    SELECT 'F', k.by_chain, CASE k.by_chain WHEN 0 THEN '' ELSE c.chain END, g.grain,
           CASE g.grain WHEN 'D' THEN c.funded_on WHEN 'M' THEN date_trunc('month', c.funded_on)::date
                ELSE date_trunc('year', c.funded_on)::date END,
           c.region_code, c.source, SUM(c.sign), SUM(c.sign * c.amount)
    FROM c, (VALUES (0), (1)) AS k(by_chain), (VALUES ('D'), ('M'), ('Y')) AS g(grain)
    GROUP BY 1, 2, 3, 4, 5, 6, 7
    HAVING SUM(c.sign) <> 0 OR SUM(c.sign * c.amount) <> 0
    ORDER BY 1, 2, 3, 4, 5, 6, 7
    ON CONFLICT (measure, by_chain, chain, grain, bucket, region_code, source)
    DO UPDATE SET records = stat_sums.records + excluded.records, amount = stat_sums.amount + excluded.amount;
    RETURN NULL;
END
$$;
CREATE TRIGGER stat_sums_funding_insert AFTER INSERT ON project_funding
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stat_sums_funding_inserted();
CREATE TRIGGER stat_sums_funding_delete AFTER DELETE ON project_funding
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION stat_sums_funding_deleted();
CREATE TRIGGER stat_sums_funding_update AFTER UPDATE ON project_funding
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stat_sums_funding_updated();

-- A project counts under 'S' at its signing and under 'P' at its producing date,
-- with its total investment; an update takes the old rows out and puts the new ones in.
CREATE FUNCTION stat_sums_projects_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    WITH r AS (SELECT 1 AS sign, region_code, chain, total_investment, stage, signed_on, producing_on FROM new_rows),
    c AS (SELECT r.sign, r.region_code, r.chain, r.total_investment, m.measure, m.day
          FROM r, LATERAL (VALUES ('S', r.signed_on), ('P', r.producing_on)) AS m(measure, day)
          WHERE r.stage <> 'dropped' AND r.signed_on IS NOT NULL AND m.day IS NOT NULL)
    INSERT INTO stat_sums (measure, by_chain, chain, grain, bucket, region_code, source, records, amount)
    SELECT c.measure, k.by_chain, CASE k.by_chain WHEN 0 THEN '' ELSE c.chain END, g.grain,
           CASE g.grain WHEN 'D' THEN c.day WHEN 'M' THEN date_trunc('month', c.day)::date
                ELSE date_trunc('year', c.day)::date END,
           c.region_code, '', SUM(c.sign), SUM(c.sign * c.total_investment)
    FROM c, (VALUES (0), (1)) AS k(by_chain), (VALUES ('D'), ('M'), ('Y')) AS g(grain)
    GROUP BY 1, 2, 3, 4, 5, 6, 7
    HAVING SUM(c.sign) <> 0 OR SUM(c.sign * c.total_investment) <> 0
    ORDER BY 1, 2, 3, 4, 5, 6, 7
    ON CONFLICT (measure, by_chain, chain, grain, bucket, region_code, source)
    DO UPDATE SET records = stat_sums.records + excluded.records, amount = stat_sums.amount + excluded.amount;
    RETURN NULL;
END
$$;
CREATE FUNCTION stat_sums_projects_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    WITH r AS (SELECT -1 AS sign, region_code, chain, total_investment, stage, signed_on, producing_on FROM old_rows),
    c AS (SELECT r.sign, r.region_code, r.chain, r.total_investment, m.measure, m.day
          FROM r, LATERAL (VALUES ('S', r.signed_on), ('P', r.producing_on)) AS m(measure, day)
          WHERE r.stage <> 'dropped' AND r.signed_on IS NOT NULL AND m.day IS NOT NULL)
    INSERT INTO stat_sums (measure, by_chain, chain, grain, bucket, region_code, source, records, amount)
    SELECT c.measure, k.by_chain, CASE k.by_chain WHEN 0 THEN '' ELSE c.chain END, g.grain,
           CASE g.grain WHEN 'D' THEN c.day WHEN 'M' THEN date_trunc('month', c.day)::date
                ELSE date_trunc('year', c.day)::date END,
           c.region_code, '', SUM(c.sign), SUM(c.sign * c.total_investment)
    FROM c, (VALUES (0), (1)) AS k(by_chain), (VALUES ('D'), ('M'), ('Y')) AS g(grain)
    GROUP BY 1, 2, 3, 4, 5, 6, 7
    HAVING SUM(c.sign) <> 0 OR SUM(c.sign * c.total_investment) <> 0
    ORDER BY 1, 2, 3, 4, 5, 6, 7
    ON CONFLICT (measure, by_chain, chain, grain, bucket, region_code, source)
    DO UPDATE SET records = stat_sums.records + excluded.records, amount = stat_sums.amount + excluded.amount;
    RETURN NULL;
END
$$;
CREATE FUNCTION stat_sums_projects_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    WITH r AS (SELECT -1 AS sign, region_code, chain, total_investment, stage, signed_on, producing_on FROM old_rows UNION ALL SELECT 1, region_code, chain, total_investment, stage, signed_on, producing_on FROM new_rows),
    c AS (SELECT r.sign, r.region_code, r.chain, r.total_investment, m.measure, m.day
          FROM r, LATERAL (VALUES ('S', r.signed_on), ('P', r.producing_on)) AS m(measure, day)
          WHERE r.stage <> 'dropped' AND r.signed_on IS NOT NULL AND m.day IS NOT NULL)
    INSERT INTO stat_sums (measure, by_chain, chain, grain, bucket, region_code, source, records, amount)
    SELECT c.measure, k.by_chain, CASE k.by_chain WHEN 0 THEN '' ELSE c.chain END, g.grain,
           CASE g.grain WHEN 'D' THEN c.day WHEN 'M' THEN date_trunc('month', c.day)::date
                ELSE date_trunc('year', c.day)::date END,
           c.region_code, '', SUM(c.sign), SUM(c.sign * c.total_investment)
    FROM c, (VALUES (0), (1)) AS k(by_chain), (VALUES ('D'), ('M'), ('Y')) AS g(grain)
    GROUP BY 1, 2, 3, 4, 5, 6, 7
    HAVING SUM(c.sign) <> 0 OR SUM(c.sign * c.total_investment) <> 0
    ORDER BY 1, 2, 3, 4, 5, 6, 7
    ON CONFLICT (measure, by_chain, chain, grain, bucket, region_code, source)
    DO UPDATE SET records = stat_sums.records + excluded.records, amount = stat_sums.amount + excluded.amount;
    RETURN NULL;
END
$$;
CREATE TRIGGER stat_sums_projects_insert AFTER INSERT ON projects
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stat_sums_projects_inserted();
CREATE TRIGGER stat_sums_projects_delete AFTER DELETE ON projects
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION stat_sums_projects_deleted();
CREATE TRIGGER stat_sums_projects_update AFTER UPDATE ON projects
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stat_sums_projects_updated();

-- What is already stored.
INSERT INTO stat_sums (measure, by_chain, chain, grain, bucket, region_code, source, records, amount)
SELECT 'F', k.by_chain, CASE k.by_chain WHEN 0 THEN '' ELSE f.chain END, g.grain,
       CASE g.grain WHEN 'D' THEN f.funded_on WHEN 'M' THEN date_trunc('month', f.funded_on)::date
            ELSE date_trunc('year', f.funded_on)::date END,
       f.region_code, f.source, COUNT(*), SUM(f.amount)
FROM project_funding AS f, (VALUES (0), (1)) AS k(by_chain), (VALUES ('D'), ('M'), ('Y')) AS g(grain)
GROUP BY 1, 2, 3, 4, 5, 6, 7;

INSERT INTO stat_sums (measure, by_chain, chain, grain, bucket, region_code, source, records, amount)
SELECT m.measure, k.by_chain, CASE k.by_chain WHEN 0 THEN '' ELSE p.chain END, g.grain,
       CASE g.grain WHEN 'D' THEN m.day WHEN 'M' THEN date_trunc('month', m.day)::date
            ELSE date_trunc('year', m.day)::date END,
       p.region_code, '', COUNT(*), SUM(p.total_investment)
FROM projects AS p, LATERAL (VALUES ('S', p.signed_on), ('P', p.producing_on)) AS m(measure, day),
     (VALUES (0), (1)) AS k(by_chain), (VALUES ('D'), ('M'), ('Y')) AS g(grain)
WHERE p.stage <> 'dropped' AND p.signed_on IS NOT NULL AND m.day IS NOT NULL
GROUP BY 1, 2, 3, 4, 5, 6, 7;

-- The signed figures of a period read the period's signings in date order, for
-- scopes as wide as the province (the region-first index serves cities and
-- counties); the project list's default order (newest signing first, then id) is
-- this index's order, with and without a stage filter, so that a deep page skips
-- index entries instead of sorting every matching row.
DROP INDEX projects_signed;
CREATE INDEX projects_signed_cover
    ON projects(signed_on DESC NULLS LAST, id DESC, stage, region_code, chain, total_investment, started_on, producing_on);
DROP INDEX projects_stage_signed;
CREATE INDEX projects_stage_signed ON projects(stage, signed_on DESC NULLS LAST, id DESC, region_code, total_investment);

-- Projects producing before they were signed: none by the stage rules, but the
-- implementing figure's correction term reads them here should any exist.
CREATE INDEX projects_disordered ON projects(region_code) WHERE producing_on < signed_on;
