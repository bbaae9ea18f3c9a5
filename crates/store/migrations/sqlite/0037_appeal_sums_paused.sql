-- A bulk write of new appeals (an import's batch, store::appeals::upsert_appeals) may
-- pause the insert trigger of 0034 (an `appeal_sums_paused` row in meta, inserted and
-- deleted within its transaction) and add the new rows' sums in one grouped statement
-- (the same rule as 0034's first fill): in sqlite3, the row trigger made inserting
-- 100,000 appeals take 40% longer (measured). Updates and deletes keep their triggers.
DROP TRIGGER appeal_sums_insert;

CREATE TRIGGER appeal_sums_insert AFTER INSERT ON appeals
WHEN NOT EXISTS (SELECT 1 FROM meta WHERE key = 'appeal_sums_paused')
BEGIN
    INSERT INTO appeal_sums (received_month, region_code, dimension, settled_month, received, answered, on_time,
        overdue, resolved, rated, satisfied)
    VALUES (substr(new.received_on, 1, 8) || '01', new.region_code, new.dimension,
        substr(max(date(new.due_on, '+1 day'), coalesce(new.answered_on, new.due_on), coalesce(new.closed_on, new.due_on)), 1, 8) || '01',
        1, new.answered_on IS NOT NULL, coalesce(new.answered_on <= new.due_on, 0),
        new.answered_on IS NULL OR new.answered_on > new.due_on, new.closed_on IS NOT NULL,
        new.closed_on IS NOT NULL AND new.rating <> '',
        new.closed_on IS NOT NULL AND new.rating IN ('satisfied', 'fairly_satisfied'))
    ON CONFLICT (received_month, region_code, dimension, settled_month) DO UPDATE SET
        received = received + excluded.received, answered = answered + excluded.answered,
        on_time = on_time + excluded.on_time, overdue = overdue + excluded.overdue,
        resolved = resolved + excluded.resolved, rated = rated + excluded.rated,
        satisfied = satisfied + excluded.satisfied;
END;
