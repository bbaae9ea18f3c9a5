-- Counts by two months of a project, for the figures that compare two of its dates
-- (issue 5): of the projects signed in a period, how many had started, were
-- producing, or were of 1亿元 and more, by the period's end. The whole months of the
-- period are read here; its partial months at either end are read from projects
-- (store::stats::signed_figures). Kept in step by the triggers below, as stat_sums.
--
-- measure 'T': started, event_month = month of started_on;
--         'P': producing, event_month = month of producing_on;
--         'L': total investment of 1亿元 and more, event_month = the signing month.
-- Only projects signed and not 终止 count; by_chain as in stat_sums.
CREATE TABLE stat_pairs (
    measure TEXT NOT NULL,
    by_chain INTEGER NOT NULL,
    chain TEXT NOT NULL,
    signed_month TEXT NOT NULL,
    event_month TEXT NOT NULL,
    region_code TEXT NOT NULL,
    records BIGINT NOT NULL,
    PRIMARY KEY (measure, by_chain, chain, signed_month, event_month, region_code)
) WITHOUT ROWID;

-- A bulk write that pauses stat_sums' trigger adds these grouped too
-- (store::stats::project_pairs).
CREATE TRIGGER stat_pairs_projects_insert AFTER INSERT ON projects
WHEN new.stage <> 'dropped' AND new.signed_on IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM meta WHERE key = 'stat_sums_paused')
BEGIN
    INSERT INTO stat_pairs (measure, by_chain, chain, signed_month, event_month, region_code, records)
    SELECT m.measure, k.by_chain, k.chain, substr(new.signed_on, 1, 8) || '01', substr(m.day, 1, 8) || '01', new.region_code, 1
    FROM (SELECT 'T' AS measure, new.started_on AS day UNION ALL SELECT 'P', new.producing_on
          UNION ALL SELECT 'L', CASE WHEN new.total_investment >= 100000000 THEN new.signed_on END) AS m,
         (SELECT 0 AS by_chain, '' AS chain UNION ALL SELECT 1, new.chain) AS k
    WHERE m.day IS NOT NULL
    ON CONFLICT (measure, by_chain, chain, signed_month, event_month, region_code)
    DO UPDATE SET records = records + excluded.records;
END;

CREATE TRIGGER stat_pairs_projects_delete AFTER DELETE ON projects
WHEN old.stage <> 'dropped' AND old.signed_on IS NOT NULL
BEGIN
    INSERT INTO stat_pairs (measure, by_chain, chain, signed_month, event_month, region_code, records)
    SELECT m.measure, k.by_chain, k.chain, substr(old.signed_on, 1, 8) || '01', substr(m.day, 1, 8) || '01', old.region_code, -1
    FROM (SELECT 'T' AS measure, old.started_on AS day UNION ALL SELECT 'P', old.producing_on
          UNION ALL SELECT 'L', CASE WHEN old.total_investment >= 100000000 THEN old.signed_on END) AS m,
         (SELECT 0 AS by_chain, '' AS chain UNION ALL SELECT 1, old.chain) AS k
    WHERE m.day IS NOT NULL
    ON CONFLICT (measure, by_chain, chain, signed_month, event_month, region_code)
    DO UPDATE SET records = records + excluded.records;
END;

CREATE TRIGGER stat_pairs_projects_update
AFTER UPDATE OF stage, signed_on, started_on, producing_on, total_investment, region_code, chain ON projects
WHEN (old.stage <> 'dropped') IS NOT (new.stage <> 'dropped') OR old.signed_on IS NOT new.signed_on
  OR old.started_on IS NOT new.started_on OR old.producing_on IS NOT new.producing_on
  OR old.total_investment IS NOT new.total_investment OR old.region_code IS NOT new.region_code
  OR old.chain IS NOT new.chain
BEGIN
    INSERT INTO stat_pairs (measure, by_chain, chain, signed_month, event_month, region_code, records)
    SELECT m.measure, k.by_chain, k.chain, substr(old.signed_on, 1, 8) || '01', substr(m.day, 1, 8) || '01', old.region_code, -1
    FROM (SELECT 'T' AS measure, old.started_on AS day UNION ALL SELECT 'P', old.producing_on
          UNION ALL SELECT 'L', CASE WHEN old.total_investment >= 100000000 THEN old.signed_on END) AS m,
         (SELECT 0 AS by_chain, '' AS chain UNION ALL SELECT 1, old.chain) AS k
    WHERE m.day IS NOT NULL AND old.stage <> 'dropped' AND old.signed_on IS NOT NULL
    ON CONFLICT (measure, by_chain, chain, signed_month, event_month, region_code)
    DO UPDATE SET records = records + excluded.records;
    INSERT INTO stat_pairs (measure, by_chain, chain, signed_month, event_month, region_code, records)
    SELECT m.measure, k.by_chain, k.chain, substr(new.signed_on, 1, 8) || '01', substr(m.day, 1, 8) || '01', new.region_code, 1
    FROM (SELECT 'T' AS measure, new.started_on AS day UNION ALL SELECT 'P', new.producing_on
          UNION ALL SELECT 'L', CASE WHEN new.total_investment >= 100000000 THEN new.signed_on END) AS m,
         (SELECT 0 AS by_chain, '' AS chain UNION ALL SELECT 1, new.chain) AS k
    WHERE m.day IS NOT NULL AND new.stage <> 'dropped' AND new.signed_on IS NOT NULL
    ON CONFLICT (measure, by_chain, chain, signed_month, event_month, region_code)
    DO UPDATE SET records = records + excluded.records;
END;

-- What is already stored.
INSERT INTO stat_pairs (measure, by_chain, chain, signed_month, event_month, region_code, records)
SELECT m.measure, k.by_chain, CASE k.by_chain WHEN 0 THEN '' ELSE m.chain END,
       substr(m.signed_on, 1, 8) || '01', substr(m.day, 1, 8) || '01', m.region_code, COUNT(*)
FROM (SELECT 'T' AS measure, region_code, chain, signed_on, started_on AS day FROM projects
      WHERE stage <> 'dropped' AND signed_on IS NOT NULL AND started_on IS NOT NULL
      UNION ALL
      SELECT 'P', region_code, chain, signed_on, producing_on FROM projects
      WHERE stage <> 'dropped' AND signed_on IS NOT NULL AND producing_on IS NOT NULL
      UNION ALL
      SELECT 'L', region_code, chain, signed_on, signed_on FROM projects
      WHERE stage <> 'dropped' AND signed_on IS NOT NULL AND total_investment >= 100000000) AS m,
     (SELECT 0 AS by_chain UNION ALL SELECT 1) AS k
GROUP BY 1, 2, 3, 4, 5, 6;

-- The partial months at a period's end: the projects started or producing within
-- them, with what the figures filter on.
CREATE INDEX projects_started_cover ON projects(started_on, signed_on, region_code, chain, stage)
    WHERE started_on IS NOT NULL;
CREATE INDEX projects_producing_cover ON projects(producing_on, signed_on, region_code, chain, stage)
    WHERE producing_on IS NOT NULL;
