-- Enquiries from the public portal (在线选地, 转化池) are leads as well: they run the
-- leads' response clocks and enter the pipeline as 线索, but no chamber brought them, so
-- a lead names either its chamber (channel 商会) or the channel it came through; what it
-- asks about (a parcel, a park, an achievement) is its subject, and the enquirer follows
-- the answers by a random tracking code. An appeal from the portal gets one too.
ALTER TABLE leads ALTER COLUMN chamber_id DROP NOT NULL;
ALTER TABLE leads ADD COLUMN channel TEXT NOT NULL DEFAULT '商会';
ALTER TABLE leads ADD COLUMN subject TEXT NOT NULL DEFAULT '';
ALTER TABLE leads ADD COLUMN tracking_code TEXT UNIQUE;
ALTER TABLE leads ADD CONSTRAINT leads_chamber_or_channel CHECK ((chamber_id IS NOT NULL) = (channel = '商会'));
CREATE INDEX leads_channel ON leads(channel, lead_on);
ALTER TABLE appeals ADD COLUMN tracking_code TEXT UNIQUE;
-- How the department reaches an enterprise that filed on the portal.
ALTER TABLE appeals ADD COLUMN contact TEXT NOT NULL DEFAULT '';
-- Projects the portal offers investors (推介项目), each with the pitch it shows them.
CREATE TABLE promotions (
    project_id BIGINT PRIMARY KEY REFERENCES projects(id) ON DELETE CASCADE,
    pitch TEXT NOT NULL,
    promoted_by TEXT NOT NULL,
    promoted_at TIMESTAMPTZ NOT NULL
);
-- An investor's shortlist of the portal's items (subjects as enquiries name them).
CREATE TABLE shortlists (
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    subject TEXT NOT NULL,
    added_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (user_id, subject)
);
