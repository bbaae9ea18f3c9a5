-- How an office's own column names map to a list's fields (issue 17, point 6), remembered
-- per office (the region of the users who chose it; '' for users without a region, the
-- province's administrators), kind of list and header set (`signature`: a digest of the
-- header row's normalised names, in order), so that next month's ledger imports in one
-- click. `mapping` is JSON: {"the file's header": "field key", …}, "" for an ignored column.
CREATE TABLE import_mappings (
    id INTEGER PRIMARY KEY,
    owner_region TEXT NOT NULL,
    kind TEXT NOT NULL,
    signature TEXT NOT NULL,
    headers TEXT NOT NULL,
    mapping TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (owner_region, kind, signature)
);
