-- Attachments (附件): files kept with a record of any area, named by the record's kind
-- and key (("appeal", code), ("achievement", code), …). The content is kept in the
-- database, so that a backup holds it and both backends serve it alike; its kind was
-- told from its first bytes, and content_type is what that kind is served as.
CREATE TABLE attachments (
    id INTEGER PRIMARY KEY,
    owner_kind TEXT NOT NULL,
    owner_key TEXT NOT NULL,
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes INTEGER NOT NULL,
    -- SHA-256 of the content, lower-case hex.
    sha256 TEXT NOT NULL,
    content BLOB NOT NULL,
    uploaded_by TEXT NOT NULL,
    uploaded_at TEXT NOT NULL
);
CREATE INDEX attachments_owner ON attachments(owner_kind, owner_key);
