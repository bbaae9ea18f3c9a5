-- Activities as records of work (core::activities): the region that ran one (NULL: the
-- province's, or one imported without a region), its outcome report (成果简报), the people
-- who took part (leaders, cadres, members by name), the library's enterprises met there,
-- and the leads registered there. The chambers that took part stay in activity_chambers.
ALTER TABLE activities ADD COLUMN region_code TEXT REFERENCES regions(code);
ALTER TABLE activities ADD COLUMN outcome TEXT NOT NULL DEFAULT '';
CREATE INDEX activities_start ON activities(start_on);
CREATE INDEX activities_region ON activities(region_code, start_on);

CREATE TABLE activity_participants (
    activity_id INTEGER NOT NULL REFERENCES activities(id) ON DELETE CASCADE,
    -- The order the activity named them in.
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('leader', 'cadre', 'member')),
    PRIMARY KEY (activity_id, position)
);

CREATE TABLE activity_enterprises (
    activity_id INTEGER NOT NULL REFERENCES activities(id) ON DELETE CASCADE,
    enterprise_id INTEGER NOT NULL REFERENCES enterprises(id) ON DELETE CASCADE,
    position INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (activity_id, enterprise_id)
);
CREATE INDEX activity_enterprises_enterprise ON activity_enterprises(enterprise_id);

ALTER TABLE leads ADD COLUMN activity_id INTEGER REFERENCES activities(id) ON DELETE SET NULL;
CREATE INDEX leads_activity ON leads(activity_id) WHERE activity_id IS NOT NULL;
