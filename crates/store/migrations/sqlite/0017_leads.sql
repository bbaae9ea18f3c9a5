-- Leads registered by chambers (商会线索, core::leads): each registration, the project it
-- entered the pipeline as, the response clock's recorded steps, and the chamber a
-- liaison account belongs to.
ALTER TABLE users ADD COLUMN chamber_id INTEGER REFERENCES chambers(id);

CREATE TABLE leads (
    id INTEGER PRIMARY KEY,
    -- The project the lead entered the pipeline as (线索); NULL for a registration
    -- refused because the investor was already registered (duplicate_of).
    project_id INTEGER UNIQUE REFERENCES projects(id) ON DELETE CASCADE,
    duplicate_of INTEGER REFERENCES leads(id) ON DELETE CASCADE,
    chamber_id INTEGER NOT NULL REFERENCES chambers(id),
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
    -- The clock's next step and its due date (kept when a step is recorded, so that
    -- the overdue lists filter on an index); NULL when no step is owed.
    next_step TEXT,
    next_due_on DATE,
    CHECK ((project_id IS NULL) <> (duplicate_of IS NULL))
);
-- A liaison's list (its chamber's), the staff's lists by region, the protection
-- window's candidates by credit code or industry, and the overdue lists.
CREATE INDEX leads_chamber ON leads(chamber_id, lead_on);
CREATE INDEX leads_region ON leads(region_code, lead_on);
CREATE INDEX leads_credit_code ON leads(investor_credit_code, lead_on);
CREATE INDEX leads_industry ON leads(industry, lead_on);
CREATE INDEX leads_next_due ON leads(next_due_on) WHERE next_due_on IS NOT NULL;
CREATE INDEX leads_duplicate_of ON leads(duplicate_of);

CREATE TABLE lead_steps (
    id INTEGER PRIMARY KEY,
    lead_id INTEGER NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
    step TEXT NOT NULL CHECK (step IN ('acknowledged', 'assessed', 'feedback', 'progress')),
    done_on DATE NOT NULL,
    answer TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX lead_steps_lead ON lead_steps(lead_id, id);
