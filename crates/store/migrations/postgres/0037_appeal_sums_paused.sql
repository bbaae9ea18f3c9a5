-- SQLite's appeal_sums insert trigger is paused for a bulk write of new appeals (its
-- 0037); PostgreSQL's statement-level trigger already adds a many-row statement's
-- sums grouped, so nothing is paused here. Said on the trigger for whoever reads it.
COMMENT ON TRIGGER appeal_sums_insert ON appeals IS
    'One grouped upsert of appeal_sums per statement: the import''s many-row INSERTs need no pause (unlike SQLite''s row trigger, migration 0037)';
