-- Kept sums for `stats appeals` (issue 22: the province's year of a million appeals in
-- under 50 ms), in step with every write to appeals through the statement-level
-- triggers below (one grouped upsert per statement, in key order so that concurrent
-- writers lock shared rows in the same order).
--
-- The counts of SPEC.md are taken as of the period's last day `to`. An appeal's share
-- stops changing on its settling day: the latest of the day after its due date (from
-- then on it is overdue or not for good), its answer and its close; the data changing
-- later moves it in these sums. So for every appeal settled by `to`, its share as of
-- `to` is the one kept here. store::appeals reads from these sums the appeals received
-- in the period's whole months and settled in a month that ends by `to`, and the rest
-- from the rows (see stats::MonthSplit).
--
-- received_month / settled_month: the first of the month. Rows whose sums fell back to
-- zero stay and are harmless.
CREATE TABLE appeal_sums (
    received_month DATE NOT NULL,
    region_code TEXT NOT NULL,
    dimension TEXT NOT NULL,
    settled_month DATE NOT NULL,
    received BIGINT NOT NULL,
    answered BIGINT NOT NULL,
    on_time BIGINT NOT NULL,
    overdue BIGINT NOT NULL,
    resolved BIGINT NOT NULL,
    rated BIGINT NOT NULL,
    satisfied BIGINT NOT NULL,
    PRIMARY KEY (received_month, region_code, dimension, settled_month)
);

-- The rows a statement removed count -1, the rows it wrote +1 (an update both).
CREATE FUNCTION appeal_sums_kept() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    gone appeals[] := '{}';
    came appeals[] := '{}';
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        SELECT coalesce(array_agg(o), '{}') INTO gone FROM old_rows o;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        SELECT coalesce(array_agg(n), '{}') INTO came FROM new_rows n;
    END IF;
    WITH c AS (SELECT -1 AS sign, g.* FROM unnest(gone) g UNION ALL SELECT 1, n.* FROM unnest(came) n),
    d AS (
        SELECT date_trunc('month', received_on)::date AS received_month, region_code, dimension,
            date_trunc('month', GREATEST(due_on + 1, answered_on, closed_on))::date AS settled_month,
            SUM(sign) AS received, SUM(sign * (answered_on IS NOT NULL)::int) AS answered,
            SUM(sign * coalesce(answered_on <= due_on, false)::int) AS on_time,
            SUM(sign * (answered_on IS NULL OR answered_on > due_on)::int) AS overdue,
            SUM(sign * (closed_on IS NOT NULL)::int) AS resolved,
            SUM(sign * (closed_on IS NOT NULL AND rating <> '')::int) AS rated,
            SUM(sign * (closed_on IS NOT NULL AND rating IN ('satisfied', 'fairly_satisfied'))::int) AS satisfied
        FROM c GROUP BY 1, 2, 3, 4
    )
    INSERT INTO appeal_sums (received_month, region_code, dimension, settled_month, received, answered, on_time,
        overdue, resolved, rated, satisfied)
    SELECT * FROM d
    -- A step that changed none of the counted columns changes no sums.
    WHERE (received, answered, on_time, overdue, resolved, rated, satisfied) <> (0, 0, 0, 0, 0, 0, 0)
    ORDER BY 1, 2, 3, 4
    ON CONFLICT (received_month, region_code, dimension, settled_month) DO UPDATE SET
        received = appeal_sums.received + excluded.received, answered = appeal_sums.answered + excluded.answered,
        on_time = appeal_sums.on_time + excluded.on_time, overdue = appeal_sums.overdue + excluded.overdue,
        resolved = appeal_sums.resolved + excluded.resolved, rated = appeal_sums.rated + excluded.rated,
        satisfied = appeal_sums.satisfied + excluded.satisfied;
    RETURN NULL;
END
$$;
CREATE TRIGGER appeal_sums_insert AFTER INSERT ON appeals
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION appeal_sums_kept();
CREATE TRIGGER appeal_sums_update AFTER UPDATE ON appeals
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION appeal_sums_kept();
CREATE TRIGGER appeal_sums_delete AFTER DELETE ON appeals
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION appeal_sums_kept();

INSERT INTO appeal_sums (received_month, region_code, dimension, settled_month, received, answered, on_time, overdue,
    resolved, rated, satisfied)
SELECT date_trunc('month', received_on)::date, region_code, dimension,
    date_trunc('month', GREATEST(due_on + 1, answered_on, closed_on))::date,
    COUNT(*), SUM((answered_on IS NOT NULL)::int), SUM(coalesce(answered_on <= due_on, false)::int),
    SUM((answered_on IS NULL OR answered_on > due_on)::int), SUM((closed_on IS NOT NULL)::int),
    SUM((closed_on IS NOT NULL AND rating <> '')::int),
    SUM((closed_on IS NOT NULL AND rating IN ('satisfied', 'fairly_satisfied'))::int)
FROM appeals GROUP BY 1, 2, 3, 4;

-- The appeals received in a period that settle late (read one by one), by received
-- day and settling day; it serves the period filters appeals_received served.
DROP INDEX appeals_received;
CREATE INDEX appeals_received_settled ON appeals (received_on, GREATEST(due_on + 1, answered_on, closed_on));

-- The 督办 list and the open and overdue filters: the appeals not answered, by due
-- date and code (the list's order), with the columns those filters test.
DROP INDEX appeals_open_due;
DROP INDEX appeals_open_unpaused_due;
CREATE INDEX appeals_unanswered_due
    ON appeals (due_on, code, region_code, closed_on, paused_since) WHERE answered_on IS NULL;
