-- Research reports with numbered suggestions, leaders' instructions (批示) on a report or
-- one suggestion, and the departments' tasks an instruction for action is split into
-- (core::reports, core::instructions). A task's course is kept on its row for the
-- boards and 督办; its steps (replies, objection, rating) are its history.
CREATE TABLE research_reports (
    id INTEGER PRIMARY KEY,
    region_code TEXT NOT NULL REFERENCES regions(code),
    title TEXT NOT NULL,
    research_group TEXT NOT NULL DEFAULT '',
    authors TEXT NOT NULL DEFAULT '',
    researched_on DATE NOT NULL,
    -- One enterprise a line, as the report names them.
    enterprises_visited TEXT NOT NULL DEFAULT '',
    summary TEXT NOT NULL DEFAULT '',
    -- The proposer, who rates the replies (NULL for a report loaded on its behalf).
    filed_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    filed_by_name TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX research_reports_region ON research_reports(region_code, researched_on);

CREATE TABLE report_suggestions (
    id INTEGER PRIMARY KEY,
    report_id INTEGER NOT NULL REFERENCES research_reports(id) ON DELETE CASCADE,
    number INTEGER NOT NULL CHECK (number >= 1),
    aspect TEXT NOT NULL,
    text TEXT NOT NULL,
    UNIQUE (report_id, number)
);

CREATE TABLE instructions (
    id INTEGER PRIMARY KEY,
    report_id INTEGER NOT NULL REFERENCES research_reports(id) ON DELETE CASCADE,
    -- NULL: on the whole report.
    suggestion_id INTEGER REFERENCES report_suggestions(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('read', 'action')),
    leader_name TEXT NOT NULL,
    text TEXT NOT NULL,
    instructed_on DATE NOT NULL,
    written_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX instructions_report ON instructions(report_id);

CREATE TABLE instruction_tasks (
    id INTEGER PRIMARY KEY,
    instruction_id INTEGER NOT NULL REFERENCES instructions(id) ON DELETE CASCADE,
    department TEXT NOT NULL,
    part TEXT NOT NULL CHECK (part IN ('lead', 'co')),
    assigned_on DATE NOT NULL,
    deadline DATE NOT NULL CHECK (deadline >= assigned_on),
    -- A co-handler's answer to the lead department is due then.
    co_due_on DATE,
    state TEXT NOT NULL CHECK (state IN ('assigned', 'interim', 'answered', 'sent_back', 'closed')),
    contested BOOLEAN NOT NULL DEFAULT FALSE,
    grade TEXT NOT NULL DEFAULT '' CHECK (grade IN ('', 'a', 'b', 'c', 'd')),
    satisfaction TEXT NOT NULL DEFAULT '' CHECK (satisfaction IN ('', 'satisfied', 'dissatisfied')),
    sent_back BOOLEAN NOT NULL DEFAULT FALSE,
    answered_on DATE,
    closed_on DATE,
    last_step_on DATE NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (instruction_id, department)
);
CREATE INDEX instruction_tasks_instruction ON instruction_tasks(instruction_id);
-- The late list: tasks owing a reply, by deadline.
CREATE INDEX instruction_tasks_open_deadline ON instruction_tasks(deadline) WHERE state IN ('assigned', 'interim', 'sent_back');

CREATE TABLE task_steps (
    id INTEGER PRIMARY KEY,
    task_id INTEGER NOT NULL REFERENCES instruction_tasks(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('contest', 'interim', 'final', 'rate')),
    taken_on DATE NOT NULL,
    -- The reply, the objection's reason, or the rating's label.
    detail TEXT NOT NULL,
    grade TEXT NOT NULL DEFAULT '' CHECK (grade IN ('', 'a', 'b', 'c', 'd')),
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX task_steps_task ON task_steps(task_id, id);
