-- A bulk write of new funding records (an import's batch, store::projects::insert_funding)
-- may pause the funding insert trigger of 0006 like the projects' (a `stat_sums_paused`
-- row in meta, inserted and deleted within its transaction) and add the new records'
-- sums in one grouped statement; the `stats` counter of 0008 is then moved on once for
-- the whole batch of new projects or funding records rather than once a row.
DROP TRIGGER stat_sums_funding_insert;

CREATE TRIGGER stat_sums_funding_insert AFTER INSERT ON project_funding
WHEN NOT EXISTS (SELECT 1 FROM meta WHERE key = 'stat_sums_paused')
BEGIN
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

DROP TRIGGER stats_version_projects_insert;
CREATE TRIGGER stats_version_projects_insert AFTER INSERT ON projects
WHEN NOT EXISTS (SELECT 1 FROM meta WHERE key = 'stat_sums_paused')
BEGIN UPDATE data_versions SET version = version + 1 WHERE name = 'stats'; END;

DROP TRIGGER stats_version_funding_insert;
CREATE TRIGGER stats_version_funding_insert AFTER INSERT ON project_funding
WHEN NOT EXISTS (SELECT 1 FROM meta WHERE key = 'stat_sums_paused')
BEGIN UPDATE data_versions SET version = version + 1 WHERE name = 'stats'; END;
