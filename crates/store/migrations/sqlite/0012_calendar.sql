-- The official working-day calendar (core::calendar): the days the State Council's
-- yearly holiday notices set apart from the plain week. Loaded from data/calendar.tsv
-- on first start; an administrator adds a year's notice when it is published.
CREATE TABLE calendar_days (
    day DATE PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('holiday', 'workday')),
    name TEXT NOT NULL
);
