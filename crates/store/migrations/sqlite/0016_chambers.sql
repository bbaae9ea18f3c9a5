-- Chambers and associations (商协会), the day each lead was registered, and the
-- chambers that took part in each activity.
CREATE TABLE chambers (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL DEFAULT '',
    -- A division code, or 境外：PLACE.
    location TEXT NOT NULL DEFAULT '',
    level TEXT NOT NULL DEFAULT '',
    president TEXT NOT NULL DEFAULT '',
    contact TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    liaison_office BOOLEAN NOT NULL DEFAULT FALSE,
    members BIGINT
);
CREATE INDEX chambers_kind ON chambers(kind, name);
CREATE INDEX chambers_level ON chambers(level, name);
CREATE INDEX chambers_location ON chambers(location, name);

-- Unknown for the projects stored before; a new project gets the day it is registered.
ALTER TABLE projects ADD COLUMN lead_on TEXT;
CREATE INDEX projects_source_org ON projects(source_org, lead_on);

CREATE TABLE activity_chambers (
    activity_id INTEGER NOT NULL REFERENCES activities(id) ON DELETE CASCADE,
    chamber_id INTEGER NOT NULL REFERENCES chambers(id) ON DELETE CASCADE,
    -- The order the activity named them in.
    position INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (activity_id, chamber_id)
);
CREATE INDEX activity_chambers_chamber ON activity_chambers(chamber_id);
