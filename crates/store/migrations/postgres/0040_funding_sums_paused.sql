-- SQLite's funding insert trigger and its `stats` counter triggers are paused for a
-- bulk write (its 0040); PostgreSQL's statement-level triggers already add a many-row
-- statement's sums grouped and move the counter once, so nothing is paused here.
COMMENT ON TRIGGER stat_sums_funding_insert ON project_funding IS
    'One grouped upsert of stat_sums per statement: the import''s many-row INSERTs need no pause (unlike SQLite''s row trigger, migration 0040)';
