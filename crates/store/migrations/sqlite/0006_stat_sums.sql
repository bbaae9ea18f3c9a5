-- Pre-aggregated sums for the investment figures (issue 5), kept in step with every
-- write to projects and project_funding by the triggers below, inside the writing
-- transaction: inserts, imports, restores, bulk loads, updates and deletions alike.
--
-- measure 'F': funds in place by funded_on, one row per funding source;
--         'S': projects signed and not 终止, by signed_on (source '');
--         'P': of those, the ones with a producing date, by producing_on (source '').
-- by_chain 0 sums all chains (chain ''), by_chain 1 one chain.
-- grain 'D' / 'M' / 'Y': the bucket is the day / the first of the month / 1 January,
-- so a period reads a few day rows at its ends and month or year rows between.
-- Rows whose sums fell back to zero stay (records 0) and are harmless.
CREATE TABLE stat_sums (
    measure TEXT NOT NULL,
    by_chain INTEGER NOT NULL,
    chain TEXT NOT NULL,
    grain TEXT NOT NULL,
    bucket TEXT NOT NULL,
    region_code TEXT NOT NULL,
    source TEXT NOT NULL,
    records BIGINT NOT NULL,
    amount BIGINT NOT NULL,
    PRIMARY KEY (measure, by_chain, chain, grain, bucket, region_code, source)
) WITHOUT ROWID;

CREATE TRIGGER stat_sums_funding_insert AFTER INSERT ON project_funding BEGIN
    INSERT INTO stat_sums (measure, by_chain, chain, grain, bucket, region_code, source, records, amount)
    SELECT 'F', k.by_chain, k.chain, g.grain, g.bucket, new.region_code, new.source, 1, new.amount
    FROM (SELECT 0 AS by_chain, '' AS chain UNION ALL SELECT 1, new.chain) AS k,
         (SELECT 'D' AS grain, new.funded_on AS bucket
          UNION ALL SELECT 'M', substr(new.funded_on, 1, 8) || '01'
          UNION ALL SELECT 'Y', substr(new.funded_on, 1, 5) || '01-01') AS g
    WHERE true
    ON CONFLICT (measure, by_chain, chain, grain, bucket, region_code, source)
    DO UPDATE SET records = records + excluded.records, amount = amount + excluded.amount;
END;

CREATE TRIGGER stat_sums_funding_delete AFTER DELETE ON project_funding BEGIN
    INSERT INTO stat_sums (measure, by_chain, chain, grain, bucket, region_code, source, records, amount)
    SELECT 'F', k.by_chain, k.chain, g.grain, g.bucket, old.region_code, old.source, -1, -old.amount
    FROM (SELECT 0 AS by_chain, '' AS chain UNION ALL SELECT 1, old.chain) AS k,
         (SELECT 'D' AS grain, old.funded_on AS bucket
          UNION ALL SELECT 'M', substr(old.funded_on, 1, 8) || '01'
          UNION ALL SELECT 'Y', substr(old.funded_on, 1, 5) || '01-01') AS g
    WHERE true
    ON CONFLICT (measure, by_chain, chain, grain, bucket, region_code, source)
    DO UPDATE SET records = records + excluded.records, amount = amount + excluded.amount;
END;

CREATE TRIGGER stat_sums_funding_update AFTER UPDATE ON project_funding
WHEN old.region_code IS NOT new.region_code OR old.chain IS NOT new.chain OR old.funded_on IS NOT new.funded_on
  OR old.amount IS NOT new.amount OR old.source IS NOT new.source
BEGIN
    INSERT INTO stat_sums (measure, by_chain, chain, grain, bucket, region_code, source, records, amount)
    SELECT 'F', k.by_chain, k.chain, g.grain, g.bucket, old.region_code, old.source, -1, -old.amount
    FROM (SELECT 0 AS by_chain, '' AS chain UNION ALL SELECT 1, old.chain) AS k,
         (SELECT 'D' AS grain, old.funded_on AS bucket
          UNION ALL SELECT 'M', substr(old.funded_on, 1, 8) || '01'
          UNION ALL SELECT 'Y', substr(old.funded_on, 1, 5) || '01-01') AS g
    WHERE true
    ON CONFLICT (measure, by_chain, chain, grain, bucket, region_code, source)
    DO UPDATE SET records = records + excluded.records, amount = amount + excluded.amount;
    INSERT INTO stat_sums (measure, by_chain, chain, grain, bucket, region_code, source, records, amount)
    SELECT 'F', k.by_chain, k.chain, g.grain, g.bucket, new.region_code, new.source, 1, new.amount
    FROM (SELECT 0 AS by_chain, '' AS chain UNION ALL SELECT 1, new.chain) AS k,
         (SELECT 'D' AS grain, new.funded_on AS bucket
          UNION ALL SELECT 'M', substr(new.funded_on, 1, 8) || '01'
          UNION ALL SELECT 'Y', substr(new.funded_on, 1, 5) || '01-01') AS g
    WHERE true
    ON CONFLICT (measure, by_chain, chain, grain, bucket, region_code, source)
    DO UPDATE SET records = records + excluded.records, amount = amount + excluded.amount;
END;

-- A project counts under 'S' at its signing and under 'P' at its producing date,
-- with its total investment; an update takes the old row out and puts the new one in.

-- A bulk write of new projects may pause this trigger (a `stat_sums_paused` row in
-- meta, inserted and deleted within its transaction) and add the same sums grouped
-- (store::stats::project_sums).
CREATE TRIGGER stat_sums_projects_insert AFTER INSERT ON projects
WHEN new.stage <> 'dropped' AND new.signed_on IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM meta WHERE key = 'stat_sums_paused')
BEGIN
    INSERT INTO stat_sums (measure, by_chain, chain, grain, bucket, region_code, source, records, amount)
    SELECT m.measure, k.by_chain, k.chain, g.grain,
           CASE g.grain WHEN 'D' THEN m.day WHEN 'M' THEN substr(m.day, 1, 8) || '01' ELSE substr(m.day, 1, 5) || '01-01' END,
           new.region_code, '', 1, new.total_investment
    FROM (SELECT 'S' AS measure, new.signed_on AS day UNION ALL SELECT 'P', new.producing_on) AS m,
         (SELECT 0 AS by_chain, '' AS chain UNION ALL SELECT 1, new.chain) AS k,
         (SELECT 'D' AS grain UNION ALL SELECT 'M' UNION ALL SELECT 'Y') AS g
    WHERE m.day IS NOT NULL
    ON CONFLICT (measure, by_chain, chain, grain, bucket, region_code, source)
    DO UPDATE SET records = records + excluded.records, amount = amount + excluded.amount;
END;

CREATE TRIGGER stat_sums_projects_delete AFTER DELETE ON projects
WHEN old.stage <> 'dropped' AND old.signed_on IS NOT NULL
BEGIN
    INSERT INTO stat_sums (measure, by_chain, chain, grain, bucket, region_code, source, records, amount)
    SELECT m.measure, k.by_chain, k.chain, g.grain,
           CASE g.grain WHEN 'D' THEN m.day WHEN 'M' THEN substr(m.day, 1, 8) || '01' ELSE substr(m.day, 1, 5) || '01-01' END,
           old.region_code, '', -1, -old.total_investment
    FROM (SELECT 'S' AS measure, old.signed_on AS day UNION ALL SELECT 'P', old.producing_on) AS m,
         (SELECT 0 AS by_chain, '' AS chain UNION ALL SELECT 1, old.chain) AS k,
         (SELECT 'D' AS grain UNION ALL SELECT 'M' UNION ALL SELECT 'Y') AS g
    WHERE m.day IS NOT NULL
    ON CONFLICT (measure, by_chain, chain, grain, bucket, region_code, source)
    DO UPDATE SET records = records + excluded.records, amount = amount + excluded.amount;
END;

CREATE TRIGGER stat_sums_projects_update AFTER UPDATE OF stage, signed_on, producing_on, total_investment, region_code, chain ON projects
WHEN (old.stage <> 'dropped') IS NOT (new.stage <> 'dropped') OR old.signed_on IS NOT new.signed_on
  OR old.producing_on IS NOT new.producing_on OR old.total_investment IS NOT new.total_investment
  OR old.region_code IS NOT new.region_code OR old.chain IS NOT new.chain
BEGIN
    INSERT INTO stat_sums (measure, by_chain, chain, grain, bucket, region_code, source, records, amount)
    SELECT m.measure, k.by_chain, k.chain, g.grain,
           CASE g.grain WHEN 'D' THEN m.day WHEN 'M' THEN substr(m.day, 1, 8) || '01' ELSE substr(m.day, 1, 5) || '01-01' END,
           old.region_code, '', -1, -old.total_investment
    FROM (SELECT 'S' AS measure, old.signed_on AS day UNION ALL SELECT 'P', old.producing_on) AS m,
         (SELECT 0 AS by_chain, '' AS chain UNION ALL SELECT 1, old.chain) AS k,
         (SELECT 'D' AS grain UNION ALL SELECT 'M' UNION ALL SELECT 'Y') AS g
    WHERE m.day IS NOT NULL AND old.stage <> 'dropped' AND old.signed_on IS NOT NULL
    ON CONFLICT (measure, by_chain, chain, grain, bucket, region_code, source)
    DO UPDATE SET records = records + excluded.records, amount = amount + excluded.amount;
    INSERT INTO stat_sums (measure, by_chain, chain, grain, bucket, region_code, source, records, amount)
    SELECT m.measure, k.by_chain, k.chain, g.grain,
           CASE g.grain WHEN 'D' THEN m.day WHEN 'M' THEN substr(m.day, 1, 8) || '01' ELSE substr(m.day, 1, 5) || '01-01' END,
           new.region_code, '', 1, new.total_investment
    FROM (SELECT 'S' AS measure, new.signed_on AS day UNION ALL SELECT 'P', new.producing_on) AS m,
         (SELECT 0 AS by_chain, '' AS chain UNION ALL SELECT 1, new.chain) AS k,
         (SELECT 'D' AS grain UNION ALL SELECT 'M' UNION ALL SELECT 'Y') AS g
    WHERE m.day IS NOT NULL AND new.stage <> 'dropped' AND new.signed_on IS NOT NULL
    ON CONFLICT (measure, by_chain, chain, grain, bucket, region_code, source)
    DO UPDATE SET records = records + excluded.records, amount = amount + excluded.amount;
END;

-- What is already stored.
INSERT INTO stat_sums (measure, by_chain, chain, grain, bucket, region_code, source, records, amount)
SELECT 'F', k.by_chain, CASE k.by_chain WHEN 0 THEN '' ELSE f.chain END, g.grain,
       CASE g.grain WHEN 'D' THEN f.funded_on WHEN 'M' THEN substr(f.funded_on, 1, 8) || '01' ELSE substr(f.funded_on, 1, 5) || '01-01' END,
       f.region_code, f.source, COUNT(*), SUM(f.amount)
FROM project_funding AS f, (SELECT 0 AS by_chain UNION ALL SELECT 1) AS k, (SELECT 'D' AS grain UNION ALL SELECT 'M' UNION ALL SELECT 'Y') AS g
GROUP BY 1, 2, 3, 4, 5, 6, 7;

INSERT INTO stat_sums (measure, by_chain, chain, grain, bucket, region_code, source, records, amount)
SELECT p.measure, k.by_chain, CASE k.by_chain WHEN 0 THEN '' ELSE p.chain END, g.grain,
       CASE g.grain WHEN 'D' THEN p.day WHEN 'M' THEN substr(p.day, 1, 8) || '01' ELSE substr(p.day, 1, 5) || '01-01' END,
       p.region_code, '', COUNT(*), SUM(p.total_investment)
FROM (SELECT region_code, chain, total_investment, 'S' AS measure, signed_on AS day FROM projects
      WHERE stage <> 'dropped' AND signed_on IS NOT NULL
      UNION ALL
      SELECT region_code, chain, total_investment, 'P', producing_on FROM projects
      WHERE stage <> 'dropped' AND signed_on IS NOT NULL AND producing_on IS NOT NULL) AS p,
     (SELECT 0 AS by_chain UNION ALL SELECT 1) AS k, (SELECT 'D' AS grain UNION ALL SELECT 'M' UNION ALL SELECT 'Y') AS g
GROUP BY 1, 2, 3, 4, 5, 6, 7;

-- The signed figures of a period read the period's signings in date order, for
-- scopes as wide as the province (the region-first index serves cities and
-- counties); the project list's default order (newest signing first, then id) is
-- this index's order, with and without a stage filter, so that a deep page skips
-- index entries instead of sorting every matching row.
DROP INDEX projects_signed;
CREATE INDEX projects_signed_cover
    ON projects(signed_on, id, stage, region_code, chain, total_investment, started_on, producing_on);
DROP INDEX projects_stage_signed;
CREATE INDEX projects_stage_signed ON projects(stage, signed_on, id, region_code, total_investment);

-- Projects producing before they were signed: none by the stage rules, but the
-- implementing figure's correction term reads them here should any exist.
CREATE INDEX projects_disordered ON projects(region_code) WHERE producing_on < signed_on;
