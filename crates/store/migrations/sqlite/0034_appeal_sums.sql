-- Kept sums for `stats appeals` (issue 22: the province's year of a million appeals in
-- under 50 ms), in step with every write to appeals through the triggers below.
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
) WITHOUT ROWID;

CREATE TRIGGER appeal_sums_insert AFTER INSERT ON appeals BEGIN
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

CREATE TRIGGER appeal_sums_delete AFTER DELETE ON appeals BEGIN
    INSERT INTO appeal_sums (received_month, region_code, dimension, settled_month, received, answered, on_time,
        overdue, resolved, rated, satisfied)
    VALUES (substr(old.received_on, 1, 8) || '01', old.region_code, old.dimension,
        substr(max(date(old.due_on, '+1 day'), coalesce(old.answered_on, old.due_on), coalesce(old.closed_on, old.due_on)), 1, 8) || '01',
        -1, -(old.answered_on IS NOT NULL), -coalesce(old.answered_on <= old.due_on, 0),
        -(old.answered_on IS NULL OR old.answered_on > old.due_on), -(old.closed_on IS NOT NULL),
        -(old.closed_on IS NOT NULL AND old.rating <> ''),
        -(old.closed_on IS NOT NULL AND old.rating IN ('satisfied', 'fairly_satisfied')))
    ON CONFLICT (received_month, region_code, dimension, settled_month) DO UPDATE SET
        received = received + excluded.received, answered = answered + excluded.answered,
        on_time = on_time + excluded.on_time, overdue = overdue + excluded.overdue,
        resolved = resolved + excluded.resolved, rated = rated + excluded.rated,
        satisfied = satisfied + excluded.satisfied;
END;

-- An update takes the old row's share out and puts the new row's in; the WHEN spares
-- the steps that touch none of the counted columns.
CREATE TRIGGER appeal_sums_update AFTER UPDATE ON appeals
WHEN old.received_on IS NOT new.received_on OR old.region_code IS NOT new.region_code
  OR old.dimension IS NOT new.dimension OR old.due_on IS NOT new.due_on OR old.answered_on IS NOT new.answered_on
  OR old.closed_on IS NOT new.closed_on OR old.rating IS NOT new.rating
BEGIN
    INSERT INTO appeal_sums (received_month, region_code, dimension, settled_month, received, answered, on_time,
        overdue, resolved, rated, satisfied)
    VALUES (substr(old.received_on, 1, 8) || '01', old.region_code, old.dimension,
        substr(max(date(old.due_on, '+1 day'), coalesce(old.answered_on, old.due_on), coalesce(old.closed_on, old.due_on)), 1, 8) || '01',
        -1, -(old.answered_on IS NOT NULL), -coalesce(old.answered_on <= old.due_on, 0),
        -(old.answered_on IS NULL OR old.answered_on > old.due_on), -(old.closed_on IS NOT NULL),
        -(old.closed_on IS NOT NULL AND old.rating <> ''),
        -(old.closed_on IS NOT NULL AND old.rating IN ('satisfied', 'fairly_satisfied')))
    ON CONFLICT (received_month, region_code, dimension, settled_month) DO UPDATE SET
        received = received + excluded.received, answered = answered + excluded.answered,
        on_time = on_time + excluded.on_time, overdue = overdue + excluded.overdue,
        resolved = resolved + excluded.resolved, rated = rated + excluded.rated,
        satisfied = satisfied + excluded.satisfied;
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

INSERT INTO appeal_sums (received_month, region_code, dimension, settled_month, received, answered, on_time, overdue,
    resolved, rated, satisfied)
SELECT substr(received_on, 1, 8) || '01', region_code, dimension,
    substr(max(date(due_on, '+1 day'), coalesce(answered_on, due_on), coalesce(closed_on, due_on)), 1, 8) || '01',
    COUNT(*), SUM(answered_on IS NOT NULL), SUM(coalesce(answered_on <= due_on, 0)),
    SUM(answered_on IS NULL OR answered_on > due_on), SUM(closed_on IS NOT NULL),
    SUM(closed_on IS NOT NULL AND rating <> ''), SUM(closed_on IS NOT NULL AND rating IN ('satisfied', 'fairly_satisfied'))
FROM appeals GROUP BY 1, 2, 3, 4;

-- The appeals received in a period that settle late (read one by one), by received
-- day and settling day; it serves the period filters appeals_received served.
DROP INDEX appeals_received;
CREATE INDEX appeals_received_settled
    ON appeals (received_on, max(date(due_on, '+1 day'), coalesce(answered_on, due_on), coalesce(closed_on, due_on)));

-- The 督办 list and the open and overdue filters: the appeals not answered, by due
-- date and code (the list's order), with the columns those filters test.
DROP INDEX appeals_open_due;
DROP INDEX appeals_open_unpaused_due;
CREATE INDEX appeals_unanswered_due
    ON appeals (due_on, code, region_code, closed_on, paused_since) WHERE answered_on IS NULL;
