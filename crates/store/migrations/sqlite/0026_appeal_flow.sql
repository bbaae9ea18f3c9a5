-- The course of each appeal after its acceptance (core::appeals::flow): the state its
-- steps leave, kept on the row for the lists and 督办, and the steps as its history
-- (folding them again gives the row's state). The stage is read off the dates
-- (closed_on, answered_on); NULL days below stand for received_on.
ALTER TABLE appeals ADD COLUMN assigned_on DATE;
ALTER TABLE appeals ADD COLUMN contested BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE appeals ADD COLUMN clock_from DATE;
ALTER TABLE appeals ADD COLUMN paused_days INTEGER NOT NULL DEFAULT 0 CHECK (paused_days >= 0);
ALTER TABLE appeals ADD COLUMN extension_days INTEGER NOT NULL DEFAULT 0 CHECK (extension_days >= 0);
ALTER TABLE appeals ADD COLUMN paused_since DATE;
ALTER TABLE appeals ADD COLUMN pending_extension INTEGER CHECK (pending_extension BETWEEN 1 AND 60);
ALTER TABLE appeals ADD COLUMN reopened BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE appeals ADD COLUMN last_step_on DATE;

CREATE TABLE appeal_steps (
    id INTEGER PRIMARY KEY,
    appeal_id INTEGER NOT NULL REFERENCES appeals(id) ON DELETE CASCADE,
    action TEXT NOT NULL CHECK (action IN ('transfer', 'contest', 'pause', 'resume', 'request_extension',
        'approve_extension', 'refuse_extension', 'answer', 'rate', 'close')),
    done_on DATE NOT NULL,
    -- What the step carried: a reason, the answer, the new department, the days asked, the rating's key.
    detail TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX appeal_steps_appeal ON appeal_steps(appeal_id, id);
-- The supervision list: open appeals past due, not paused.
CREATE INDEX appeals_open_unpaused_due ON appeals (due_on) WHERE answered_on IS NULL AND closed_on IS NULL AND paused_since IS NULL;
