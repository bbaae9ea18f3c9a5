-- Signed projects by stage, signing month and region, kept in step by the statement
-- trigger below in the writing transaction (issue 5): a deep page of a list by
-- signing date, filtered by scope, stage and period only, finds from these counts
-- the month its rows are in and skips only that month's rows before them
-- (store::listing).
CREATE TABLE stage_counts (
    stage TEXT NOT NULL,
    signed_month DATE NOT NULL,
    region_code TEXT NOT NULL,
    records BIGINT NOT NULL,
    PRIMARY KEY (stage, signed_month, region_code)
);

-- As stat_pairs_projects_changed (migration 0009): the transition tables by operation.
CREATE FUNCTION stage_counts_projects_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changed text := CASE TG_OP
        WHEN 'INSERT' THEN 'SELECT 1 AS sign, * FROM new_rows'
        WHEN 'DELETE' THEN 'SELECT -1 AS sign, * FROM old_rows'
        ELSE 'SELECT -1 AS sign, * FROM old_rows UNION ALL SELECT 1, * FROM new_rows' END;
BEGIN
    EXECUTE format($sql$
        WITH r AS (%s)
        INSERT INTO stage_counts (stage, signed_month, region_code, records)
        SELECT r.stage, date_trunc('month', r.signed_on)::date, r.region_code, SUM(r.sign)
        FROM r WHERE r.signed_on IS NOT NULL
        GROUP BY 1, 2, 3
        HAVING SUM(r.sign) <> 0
        ORDER BY 1, 2, 3
        ON CONFLICT (stage, signed_month, region_code)
        DO UPDATE SET records = stage_counts.records + excluded.records
    $sql$, changed);
    RETURN NULL;
END
$$;
CREATE TRIGGER stage_counts_projects_insert AFTER INSERT ON projects
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stage_counts_projects_changed();
CREATE TRIGGER stage_counts_projects_delete AFTER DELETE ON projects
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION stage_counts_projects_changed();
CREATE TRIGGER stage_counts_projects_update AFTER UPDATE ON projects
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stage_counts_projects_changed();

-- What is already stored.
INSERT INTO stage_counts (stage, signed_month, region_code, records)
SELECT stage, date_trunc('month', signed_on)::date, region_code, COUNT(*) FROM projects
WHERE signed_on IS NOT NULL GROUP BY 1, 2, 3;
