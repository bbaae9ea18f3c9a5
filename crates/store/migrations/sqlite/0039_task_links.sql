-- The records a task of a leader's instruction changed (issue 23 point 3): projects,
-- appeals, chains and achievements by their keys, so that implementation is read from
-- the data. A record is linked to a task once.
CREATE TABLE task_links (
    id INTEGER PRIMARY KEY,
    task_id INTEGER NOT NULL REFERENCES instruction_tasks(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('project', 'appeal', 'chain', 'achievement')),
    record_key TEXT NOT NULL,
    linked_by TEXT NOT NULL,
    linked_at TEXT NOT NULL,
    UNIQUE (task_id, kind, record_key)
);
