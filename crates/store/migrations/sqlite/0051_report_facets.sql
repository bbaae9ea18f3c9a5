-- The statistical report's breakdowns kept as sums (issue 24: the report read every
-- project and funding record of two periods and took 15 s at a province's scale).
-- report_sums and report_pairs hold what stat_sums and stat_pairs hold (0006, 0009:
-- measures 'F', 'S', 'P' and 'T', 'P', 'L'), split by one of the projects' attributes
-- instead of by chain alone:
--
-- facet 1 chain, 2 investor_origin, 3 industry, 4 investor_type, 5 size band (the
-- position in zhaoshang_core::statistical_report::SizeBand::ALL, as text).
--
-- Only month and year buckets are kept (grain 'M', 'Y'): day rows for every value of
-- every attribute would outgrow the funding table itself, so a period's partial months
-- are read from projects and project_funding (store::stats). The keys put the bucket
-- before the value, so that every value of a facet in a period is one index range.
--
-- Funding records take their project's values: the insert, delete and update
-- triggers read them by primary key (project_facets); a project whose values change
-- moves its records' sums, and a deleted project takes them out before its records go
-- (they then find no project). A bulk write pauses the insert triggers with stat_sums'
-- (`stat_sums_paused`) and adds its rows grouped (store::projects::ADD_NEW_REPORT_*);
-- a restore refills both tables (store::backup).
CREATE TABLE report_sums (
    measure TEXT NOT NULL,
    facet INTEGER NOT NULL,
    grain TEXT NOT NULL,
    bucket TEXT NOT NULL,
    region_code TEXT NOT NULL,
    facet_value TEXT NOT NULL,
    source TEXT NOT NULL,
    records BIGINT NOT NULL,
    amount BIGINT NOT NULL,
    PRIMARY KEY (measure, facet, grain, bucket, region_code, facet_value, source)
) WITHOUT ROWID;

CREATE TABLE report_pairs (
    measure TEXT NOT NULL,
    facet INTEGER NOT NULL,
    signed_month TEXT NOT NULL,
    event_month TEXT NOT NULL,
    region_code TEXT NOT NULL,
    facet_value TEXT NOT NULL,
    records BIGINT NOT NULL,
    PRIMARY KEY (measure, facet, signed_month, event_month, region_code, facet_value)
) WITHOUT ROWID;

-- A project's value of each facet.
CREATE VIEW project_facets AS
SELECT id, 1 AS facet, chain AS facet_value FROM projects
UNION ALL SELECT id, 2, investor_origin FROM projects
UNION ALL SELECT id, 3, industry FROM projects
UNION ALL SELECT id, 4, investor_type FROM projects
UNION ALL SELECT id, 5, CASE WHEN total_investment >= 2000000000 THEN '3' WHEN total_investment >= 1000000000 THEN '2'
                             WHEN total_investment >= 100000000 THEN '1' ELSE '0' END FROM projects;

CREATE TRIGGER report_funding_insert AFTER INSERT ON project_funding
WHEN NOT EXISTS (SELECT 1 FROM meta WHERE key = 'stat_sums_paused')
BEGIN
    INSERT INTO report_sums (measure, facet, grain, bucket, region_code, facet_value, source, records, amount)
    SELECT 'F', k.facet, g.grain, g.bucket, new.region_code, k.facet_value, new.source, 1, new.amount
    FROM project_facets AS k,
         (SELECT 'M' AS grain, substr(new.funded_on, 1, 8) || '01' AS bucket
          UNION ALL SELECT 'Y', substr(new.funded_on, 1, 5) || '01-01') AS g
    WHERE k.id = new.project_id
    ON CONFLICT (measure, facet, grain, bucket, region_code, facet_value, source)
    DO UPDATE SET records = records + excluded.records, amount = amount + excluded.amount;
END;

CREATE TRIGGER report_funding_delete AFTER DELETE ON project_funding
BEGIN
    INSERT INTO report_sums (measure, facet, grain, bucket, region_code, facet_value, source, records, amount)
    SELECT 'F', k.facet, g.grain, g.bucket, old.region_code, k.facet_value, old.source, -1, -old.amount
    FROM project_facets AS k,
         (SELECT 'M' AS grain, substr(old.funded_on, 1, 8) || '01' AS bucket
          UNION ALL SELECT 'Y', substr(old.funded_on, 1, 5) || '01-01') AS g
    WHERE k.id = old.project_id
    ON CONFLICT (measure, facet, grain, bucket, region_code, facet_value, source)
    DO UPDATE SET records = records + excluded.records, amount = amount + excluded.amount;
END;

CREATE TRIGGER report_funding_update AFTER UPDATE OF project_id, region_code, funded_on, amount, source ON project_funding
WHEN old.project_id IS NOT new.project_id OR old.region_code IS NOT new.region_code OR old.funded_on IS NOT new.funded_on
  OR old.amount IS NOT new.amount OR old.source IS NOT new.source
BEGIN
    INSERT INTO report_sums (measure, facet, grain, bucket, region_code, facet_value, source, records, amount)
    SELECT 'F', k.facet, g.grain, g.bucket, old.region_code, k.facet_value, old.source, -1, -old.amount
    FROM project_facets AS k,
         (SELECT 'M' AS grain, substr(old.funded_on, 1, 8) || '01' AS bucket
          UNION ALL SELECT 'Y', substr(old.funded_on, 1, 5) || '01-01') AS g
    WHERE k.id = old.project_id
    ON CONFLICT (measure, facet, grain, bucket, region_code, facet_value, source)
    DO UPDATE SET records = records + excluded.records, amount = amount + excluded.amount;
    INSERT INTO report_sums (measure, facet, grain, bucket, region_code, facet_value, source, records, amount)
    SELECT 'F', k.facet, g.grain, g.bucket, new.region_code, k.facet_value, new.source, 1, new.amount
    FROM project_facets AS k,
         (SELECT 'M' AS grain, substr(new.funded_on, 1, 8) || '01' AS bucket
          UNION ALL SELECT 'Y', substr(new.funded_on, 1, 5) || '01-01') AS g
    WHERE k.id = new.project_id
    ON CONFLICT (measure, facet, grain, bucket, region_code, facet_value, source)
    DO UPDATE SET records = records + excluded.records, amount = amount + excluded.amount;
END;

-- A new project's signing and production ('S', 'P') and its pairs; its values are
-- stored already (AFTER), so they are read through project_facets.
CREATE TRIGGER report_projects_insert AFTER INSERT ON projects
WHEN new.stage <> 'dropped' AND new.signed_on IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM meta WHERE key = 'stat_sums_paused')
BEGIN
    INSERT INTO report_sums (measure, facet, grain, bucket, region_code, facet_value, source, records, amount)
    SELECT m.measure, k.facet, g.grain,
           CASE g.grain WHEN 'M' THEN substr(m.day, 1, 8) || '01' ELSE substr(m.day, 1, 5) || '01-01' END,
           new.region_code, k.facet_value, '', 1, new.total_investment
    FROM (SELECT 'S' AS measure, new.signed_on AS day UNION ALL SELECT 'P', new.producing_on) AS m,
         project_facets AS k, (SELECT 'M' AS grain UNION ALL SELECT 'Y') AS g
    WHERE m.day IS NOT NULL AND k.id = new.id
    ON CONFLICT (measure, facet, grain, bucket, region_code, facet_value, source)
    DO UPDATE SET records = records + excluded.records, amount = amount + excluded.amount;
    INSERT INTO report_pairs (measure, facet, signed_month, event_month, region_code, facet_value, records)
    SELECT m.measure, k.facet, substr(new.signed_on, 1, 8) || '01', substr(m.day, 1, 8) || '01', new.region_code, k.facet_value, 1
    FROM (SELECT 'T' AS measure, new.started_on AS day UNION ALL SELECT 'P', new.producing_on
          UNION ALL SELECT 'L', CASE WHEN new.total_investment >= 100000000 THEN new.signed_on END) AS m,
         project_facets AS k
    WHERE m.day IS NOT NULL AND k.id = new.id
    ON CONFLICT (measure, facet, signed_month, event_month, region_code, facet_value)
    DO UPDATE SET records = records + excluded.records;
END;

-- A project's old values are gone from the table: they are spelled out from `old`.
CREATE TRIGGER report_projects_delete BEFORE DELETE ON projects
BEGIN
    INSERT INTO report_sums (measure, facet, grain, bucket, region_code, facet_value, source, records, amount)
    SELECT m.measure, k.facet, g.grain,
           CASE g.grain WHEN 'M' THEN substr(m.day, 1, 8) || '01' ELSE substr(m.day, 1, 5) || '01-01' END,
           old.region_code, k.facet_value, '', -1, -old.total_investment
    FROM (SELECT 'S' AS measure, old.signed_on AS day UNION ALL SELECT 'P', old.producing_on) AS m,
         (SELECT 1 AS facet, old.chain AS facet_value UNION ALL SELECT 2, old.investor_origin
          UNION ALL SELECT 3, old.industry UNION ALL SELECT 4, old.investor_type
          UNION ALL SELECT 5, CASE WHEN old.total_investment >= 2000000000 THEN '3' WHEN old.total_investment >= 1000000000 THEN '2'
                                   WHEN old.total_investment >= 100000000 THEN '1' ELSE '0' END) AS k,
         (SELECT 'M' AS grain UNION ALL SELECT 'Y') AS g
    WHERE m.day IS NOT NULL AND old.stage <> 'dropped' AND old.signed_on IS NOT NULL
    ON CONFLICT (measure, facet, grain, bucket, region_code, facet_value, source)
    DO UPDATE SET records = records + excluded.records, amount = amount + excluded.amount;
    INSERT INTO report_pairs (measure, facet, signed_month, event_month, region_code, facet_value, records)
    SELECT m.measure, k.facet, substr(old.signed_on, 1, 8) || '01', substr(m.day, 1, 8) || '01', old.region_code, k.facet_value, -1
    FROM (SELECT 'T' AS measure, old.started_on AS day UNION ALL SELECT 'P', old.producing_on
          UNION ALL SELECT 'L', CASE WHEN old.total_investment >= 100000000 THEN old.signed_on END) AS m,
         (SELECT 1 AS facet, old.chain AS facet_value UNION ALL SELECT 2, old.investor_origin
          UNION ALL SELECT 3, old.industry UNION ALL SELECT 4, old.investor_type
          UNION ALL SELECT 5, CASE WHEN old.total_investment >= 2000000000 THEN '3' WHEN old.total_investment >= 1000000000 THEN '2'
                                   WHEN old.total_investment >= 100000000 THEN '1' ELSE '0' END) AS k
    WHERE m.day IS NOT NULL AND old.stage <> 'dropped' AND old.signed_on IS NOT NULL
    ON CONFLICT (measure, facet, signed_month, event_month, region_code, facet_value)
    DO UPDATE SET records = records + excluded.records;
    INSERT INTO report_sums (measure, facet, grain, bucket, region_code, facet_value, source, records, amount)
    SELECT 'F', k.facet, g.grain,
           CASE g.grain WHEN 'M' THEN substr(f.funded_on, 1, 8) || '01' ELSE substr(f.funded_on, 1, 5) || '01-01' END,
           f.region_code, k.facet_value, f.source, -COUNT(*), -SUM(f.amount)
    FROM project_funding AS f,
         (SELECT 1 AS facet, old.chain AS facet_value UNION ALL SELECT 2, old.investor_origin
          UNION ALL SELECT 3, old.industry UNION ALL SELECT 4, old.investor_type
          UNION ALL SELECT 5, CASE WHEN old.total_investment >= 2000000000 THEN '3' WHEN old.total_investment >= 1000000000 THEN '2'
                                   WHEN old.total_investment >= 100000000 THEN '1' ELSE '0' END) AS k,
         (SELECT 'M' AS grain UNION ALL SELECT 'Y') AS g
    WHERE f.project_id = old.id
    GROUP BY 2, 3, 4, 5, 6, 7
    ON CONFLICT (measure, facet, grain, bucket, region_code, facet_value, source)
    DO UPDATE SET records = records + excluded.records, amount = amount + excluded.amount;
END;

-- An update takes the old sums out (as the deletion above) and puts the new ones in
-- (as the insertion above), its funding records' along.
CREATE TRIGGER report_projects_update
AFTER UPDATE OF stage, signed_on, started_on, producing_on, total_investment, region_code, chain, investor_origin, industry, investor_type
ON projects
WHEN (old.stage <> 'dropped') IS NOT (new.stage <> 'dropped') OR old.signed_on IS NOT new.signed_on
  OR old.started_on IS NOT new.started_on OR old.producing_on IS NOT new.producing_on
  OR old.total_investment IS NOT new.total_investment OR old.region_code IS NOT new.region_code
  OR old.chain IS NOT new.chain OR old.investor_origin IS NOT new.investor_origin
  OR old.industry IS NOT new.industry OR old.investor_type IS NOT new.investor_type
BEGIN
    INSERT INTO report_sums (measure, facet, grain, bucket, region_code, facet_value, source, records, amount)
    SELECT m.measure, k.facet, g.grain,
           CASE g.grain WHEN 'M' THEN substr(m.day, 1, 8) || '01' ELSE substr(m.day, 1, 5) || '01-01' END,
           old.region_code, k.facet_value, '', -1, -old.total_investment
    FROM (SELECT 'S' AS measure, old.signed_on AS day UNION ALL SELECT 'P', old.producing_on) AS m,
         (SELECT 1 AS facet, old.chain AS facet_value UNION ALL SELECT 2, old.investor_origin
          UNION ALL SELECT 3, old.industry UNION ALL SELECT 4, old.investor_type
          UNION ALL SELECT 5, CASE WHEN old.total_investment >= 2000000000 THEN '3' WHEN old.total_investment >= 1000000000 THEN '2'
                                   WHEN old.total_investment >= 100000000 THEN '1' ELSE '0' END) AS k,
         (SELECT 'M' AS grain UNION ALL SELECT 'Y') AS g
    WHERE m.day IS NOT NULL AND old.stage <> 'dropped' AND old.signed_on IS NOT NULL
    ON CONFLICT (measure, facet, grain, bucket, region_code, facet_value, source)
    DO UPDATE SET records = records + excluded.records, amount = amount + excluded.amount;
    INSERT INTO report_pairs (measure, facet, signed_month, event_month, region_code, facet_value, records)
    SELECT m.measure, k.facet, substr(old.signed_on, 1, 8) || '01', substr(m.day, 1, 8) || '01', old.region_code, k.facet_value, -1
    FROM (SELECT 'T' AS measure, old.started_on AS day UNION ALL SELECT 'P', old.producing_on
          UNION ALL SELECT 'L', CASE WHEN old.total_investment >= 100000000 THEN old.signed_on END) AS m,
         (SELECT 1 AS facet, old.chain AS facet_value UNION ALL SELECT 2, old.investor_origin
          UNION ALL SELECT 3, old.industry UNION ALL SELECT 4, old.investor_type
          UNION ALL SELECT 5, CASE WHEN old.total_investment >= 2000000000 THEN '3' WHEN old.total_investment >= 1000000000 THEN '2'
                                   WHEN old.total_investment >= 100000000 THEN '1' ELSE '0' END) AS k
    WHERE m.day IS NOT NULL AND old.stage <> 'dropped' AND old.signed_on IS NOT NULL
    ON CONFLICT (measure, facet, signed_month, event_month, region_code, facet_value)
    DO UPDATE SET records = records + excluded.records;
    INSERT INTO report_sums (measure, facet, grain, bucket, region_code, facet_value, source, records, amount)
    SELECT 'F', k.facet, g.grain,
           CASE g.grain WHEN 'M' THEN substr(f.funded_on, 1, 8) || '01' ELSE substr(f.funded_on, 1, 5) || '01-01' END,
           f.region_code, k.facet_value, f.source, -COUNT(*), -SUM(f.amount)
    FROM project_funding AS f,
         (SELECT 1 AS facet, old.chain AS facet_value UNION ALL SELECT 2, old.investor_origin
          UNION ALL SELECT 3, old.industry UNION ALL SELECT 4, old.investor_type
          UNION ALL SELECT 5, CASE WHEN old.total_investment >= 2000000000 THEN '3' WHEN old.total_investment >= 1000000000 THEN '2'
                                   WHEN old.total_investment >= 100000000 THEN '1' ELSE '0' END) AS k,
         (SELECT 'M' AS grain UNION ALL SELECT 'Y') AS g
    WHERE f.project_id = old.id
    GROUP BY 2, 3, 4, 5, 6, 7
    ON CONFLICT (measure, facet, grain, bucket, region_code, facet_value, source)
    DO UPDATE SET records = records + excluded.records, amount = amount + excluded.amount;

    INSERT INTO report_sums (measure, facet, grain, bucket, region_code, facet_value, source, records, amount)
    SELECT m.measure, k.facet, g.grain,
           CASE g.grain WHEN 'M' THEN substr(m.day, 1, 8) || '01' ELSE substr(m.day, 1, 5) || '01-01' END,
           new.region_code, k.facet_value, '', 1, new.total_investment
    FROM (SELECT 'S' AS measure, new.signed_on AS day UNION ALL SELECT 'P', new.producing_on) AS m,
         project_facets AS k, (SELECT 'M' AS grain UNION ALL SELECT 'Y') AS g
    WHERE m.day IS NOT NULL AND k.id = new.id AND new.stage <> 'dropped' AND new.signed_on IS NOT NULL
    ON CONFLICT (measure, facet, grain, bucket, region_code, facet_value, source)
    DO UPDATE SET records = records + excluded.records, amount = amount + excluded.amount;
    INSERT INTO report_pairs (measure, facet, signed_month, event_month, region_code, facet_value, records)
    SELECT m.measure, k.facet, substr(new.signed_on, 1, 8) || '01', substr(m.day, 1, 8) || '01', new.region_code, k.facet_value, 1
    FROM (SELECT 'T' AS measure, new.started_on AS day UNION ALL SELECT 'P', new.producing_on
          UNION ALL SELECT 'L', CASE WHEN new.total_investment >= 100000000 THEN new.signed_on END) AS m,
         project_facets AS k
    WHERE m.day IS NOT NULL AND k.id = new.id AND new.stage <> 'dropped' AND new.signed_on IS NOT NULL
    ON CONFLICT (measure, facet, signed_month, event_month, region_code, facet_value)
    DO UPDATE SET records = records + excluded.records;
    INSERT INTO report_sums (measure, facet, grain, bucket, region_code, facet_value, source, records, amount)
    SELECT 'F', k.facet, g.grain,
           CASE g.grain WHEN 'M' THEN substr(f.funded_on, 1, 8) || '01' ELSE substr(f.funded_on, 1, 5) || '01-01' END,
           f.region_code, k.facet_value, f.source, COUNT(*), SUM(f.amount)
    FROM project_funding AS f, project_facets AS k, (SELECT 'M' AS grain UNION ALL SELECT 'Y') AS g
    WHERE f.project_id = new.id AND k.id = new.id
    GROUP BY 2, 3, 4, 5, 6, 7
    ON CONFLICT (measure, facet, grain, bucket, region_code, facet_value, source)
    DO UPDATE SET records = records + excluded.records, amount = amount + excluded.amount;
END;

-- What is already stored (the same statements as store::projects::ADD_NEW_REPORT_*
-- from id 0).
INSERT INTO report_sums (measure, facet, grain, bucket, region_code, facet_value, source, records, amount)
SELECT 'F', k.facet, g.grain,
       CASE g.grain WHEN 'M' THEN substr(f.funded_on, 1, 8) || '01' ELSE substr(f.funded_on, 1, 5) || '01-01' END,
       f.region_code, k.facet_value, f.source, COUNT(*), SUM(f.amount)
FROM project_funding AS f JOIN project_facets AS k ON k.id = f.project_id, (SELECT 'M' AS grain UNION ALL SELECT 'Y') AS g
GROUP BY 2, 3, 4, 5, 6, 7;

INSERT INTO report_sums (measure, facet, grain, bucket, region_code, facet_value, source, records, amount)
SELECT m.measure, k.facet, g.grain,
       CASE g.grain WHEN 'M' THEN substr(m.day, 1, 8) || '01' ELSE substr(m.day, 1, 5) || '01-01' END,
       m.region_code, k.facet_value, '', COUNT(*), SUM(m.total_investment)
FROM (SELECT id, region_code, total_investment, 'S' AS measure, signed_on AS day FROM projects
      WHERE id > 0 AND stage <> 'dropped' AND signed_on IS NOT NULL
      UNION ALL
      SELECT id, region_code, total_investment, 'P', producing_on FROM projects
      WHERE id > 0 AND stage <> 'dropped' AND signed_on IS NOT NULL AND producing_on IS NOT NULL) AS m
     JOIN project_facets AS k ON k.id = m.id, (SELECT 'M' AS grain UNION ALL SELECT 'Y') AS g
GROUP BY 1, 2, 3, 4, 5, 6, 7;

INSERT INTO report_pairs (measure, facet, signed_month, event_month, region_code, facet_value, records)
SELECT m.measure, k.facet, substr(m.signed_on, 1, 8) || '01', substr(m.day, 1, 8) || '01', m.region_code, k.facet_value, COUNT(*)
FROM (SELECT id, 'T' AS measure, region_code, signed_on, started_on AS day FROM projects
      WHERE id > 0 AND stage <> 'dropped' AND signed_on IS NOT NULL AND started_on IS NOT NULL
      UNION ALL
      SELECT id, 'P', region_code, signed_on, producing_on FROM projects
      WHERE id > 0 AND stage <> 'dropped' AND signed_on IS NOT NULL AND producing_on IS NOT NULL
      UNION ALL
      SELECT id, 'L', region_code, signed_on, signed_on FROM projects
      WHERE id > 0 AND stage <> 'dropped' AND signed_on IS NOT NULL AND total_investment >= 100000000) AS m
     JOIN project_facets AS k ON k.id = m.id
GROUP BY 1, 2, 3, 4, 5, 6;
