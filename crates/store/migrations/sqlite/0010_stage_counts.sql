-- Signed projects by stage, signing month and region, kept in step by the triggers
-- below in the writing transaction (issue 5): a deep page of a list by signing date,
-- filtered by scope, stage and period only, finds from these counts the month its
-- rows are in and skips only that month's rows before them (store::listing).
CREATE TABLE stage_counts (
    stage TEXT NOT NULL,
    signed_month TEXT NOT NULL,
    region_code TEXT NOT NULL,
    records BIGINT NOT NULL,
    PRIMARY KEY (stage, signed_month, region_code)
) WITHOUT ROWID;

-- Unlike stat_sums' and stat_pairs', this trigger runs during a bulk write too: its
-- one upsert a row lands on a few hot pages of a small table.
CREATE TRIGGER stage_counts_projects_insert AFTER INSERT ON projects
WHEN new.signed_on IS NOT NULL
BEGIN
    INSERT INTO stage_counts (stage, signed_month, region_code, records)
    VALUES (new.stage, substr(new.signed_on, 1, 8) || '01', new.region_code, 1)
    ON CONFLICT (stage, signed_month, region_code) DO UPDATE SET records = records + 1;
END;

CREATE TRIGGER stage_counts_projects_delete AFTER DELETE ON projects
WHEN old.signed_on IS NOT NULL
BEGIN
    INSERT INTO stage_counts (stage, signed_month, region_code, records)
    VALUES (old.stage, substr(old.signed_on, 1, 8) || '01', old.region_code, -1)
    ON CONFLICT (stage, signed_month, region_code) DO UPDATE SET records = records - 1;
END;

CREATE TRIGGER stage_counts_projects_update AFTER UPDATE OF stage, signed_on, region_code ON projects
WHEN old.stage IS NOT new.stage OR old.signed_on IS NOT new.signed_on OR old.region_code IS NOT new.region_code
BEGIN
    INSERT INTO stage_counts (stage, signed_month, region_code, records)
    SELECT old.stage, substr(old.signed_on, 1, 8) || '01', old.region_code, -1 WHERE old.signed_on IS NOT NULL
    ON CONFLICT (stage, signed_month, region_code) DO UPDATE SET records = records - 1;
    INSERT INTO stage_counts (stage, signed_month, region_code, records)
    SELECT new.stage, substr(new.signed_on, 1, 8) || '01', new.region_code, 1 WHERE new.signed_on IS NOT NULL
    ON CONFLICT (stage, signed_month, region_code) DO UPDATE SET records = records + 1;
END;

-- What is already stored.
INSERT INTO stage_counts (stage, signed_month, region_code, records)
SELECT stage, substr(signed_on, 1, 8) || '01', region_code, COUNT(*) FROM projects
WHERE signed_on IS NOT NULL GROUP BY 1, 2, 3;
