-- Settings the province's administrator changes in the application, one row per key
-- (security issue, part 1 item 7: `in_province_relocation` lets a city's target lists
-- hold enterprises of other cities of the province). A missing row is the default.
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
