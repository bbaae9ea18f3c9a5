-- Enquiries from the public portal (在线选地, 转化池) are leads as well: they run the
-- leads' response clocks and enter the pipeline as 线索, but no chamber brought them, so
-- a lead names either its chamber (channel 商会) or the channel it came through; what it
-- asks about (a parcel, a park, an achievement) is its subject, and the enquirer follows
-- the answers by a random tracking code. An appeal from the portal gets one too.
--
-- SQLite cannot drop a NOT NULL, so the table is rebuilt inside the migration's
-- transaction: renamed aside (which points lead_steps' references at the old table),
-- recreated and filled in id order (duplicate_of points to an earlier lead); then
-- lead_steps is rebuilt the same way to point at the new table, and the old ones dropped.
ALTER TABLE leads RENAME TO leads_before_portal;
CREATE TABLE leads (
    id INTEGER PRIMARY KEY,
    project_id INTEGER UNIQUE REFERENCES projects(id) ON DELETE CASCADE,
    duplicate_of INTEGER REFERENCES leads(id) ON DELETE CASCADE,
    chamber_id INTEGER REFERENCES chambers(id),
    referrer_id INTEGER REFERENCES users(id),
    referrer_name TEXT NOT NULL,
    investor TEXT NOT NULL,
    investor_credit_code TEXT NOT NULL DEFAULT '',
    enterprise_id INTEGER REFERENCES enterprises(id) ON DELETE SET NULL,
    industry TEXT NOT NULL DEFAULT '',
    region_code TEXT NOT NULL REFERENCES regions(code),
    amount BIGINT NOT NULL DEFAULT 0,
    contact TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    lead_on DATE NOT NULL,
    registered_at TEXT NOT NULL,
    next_step TEXT,
    next_due_on DATE,
    channel TEXT NOT NULL DEFAULT '商会',
    subject TEXT NOT NULL DEFAULT '',
    tracking_code TEXT UNIQUE,
    CHECK ((project_id IS NULL) <> (duplicate_of IS NULL)),
    CHECK ((chamber_id IS NOT NULL) = (channel = '商会'))
);
INSERT INTO leads (id, project_id, duplicate_of, chamber_id, referrer_id, referrer_name, investor,
    investor_credit_code, enterprise_id, industry, region_code, amount, contact, notes, lead_on, registered_at,
    next_step, next_due_on)
SELECT id, project_id, duplicate_of, chamber_id, referrer_id, referrer_name, investor,
    investor_credit_code, enterprise_id, industry, region_code, amount, contact, notes, lead_on, registered_at,
    next_step, next_due_on
FROM leads_before_portal ORDER BY id;
ALTER TABLE lead_steps RENAME TO lead_steps_before_portal;
CREATE TABLE lead_steps (
    id INTEGER PRIMARY KEY,
    lead_id INTEGER NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
    step TEXT NOT NULL CHECK (step IN ('acknowledged', 'assessed', 'feedback', 'progress')),
    done_on DATE NOT NULL,
    answer TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
INSERT INTO lead_steps (id, lead_id, step, done_on, answer, recorded_by, recorded_at)
SELECT id, lead_id, step, done_on, answer, recorded_by, recorded_at FROM lead_steps_before_portal ORDER BY id;
DROP TABLE lead_steps_before_portal;
DROP TABLE leads_before_portal;
CREATE INDEX lead_steps_lead ON lead_steps(lead_id, id);
CREATE INDEX leads_chamber ON leads(chamber_id, lead_on);
CREATE INDEX leads_region ON leads(region_code, lead_on);
CREATE INDEX leads_credit_code ON leads(investor_credit_code, lead_on);
CREATE INDEX leads_industry ON leads(industry, lead_on);
CREATE INDEX leads_next_due ON leads(next_due_on) WHERE next_due_on IS NOT NULL;
CREATE INDEX leads_duplicate_of ON leads(duplicate_of);
CREATE INDEX leads_channel ON leads(channel, lead_on);
ALTER TABLE appeals ADD COLUMN tracking_code TEXT;
-- How the department reaches an enterprise that filed on the portal.
ALTER TABLE appeals ADD COLUMN contact TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX appeals_tracking_code ON appeals(tracking_code);
-- Projects the portal offers investors (推介项目), each with the pitch it shows them.
CREATE TABLE promotions (
    project_id INTEGER PRIMARY KEY REFERENCES projects(id) ON DELETE CASCADE,
    pitch TEXT NOT NULL,
    promoted_by TEXT NOT NULL,
    promoted_at TEXT NOT NULL
);
-- An investor's shortlist of the portal's items (subjects as enquiries name them).
CREATE TABLE shortlists (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    subject TEXT NOT NULL,
    added_at TEXT NOT NULL,
    PRIMARY KEY (user_id, subject)
);
