-- Activity plans (core::activity_plans): a region's, or one of its departments', yearly,
-- quarterly and monthly lists of planned activities (年度、季度和月度招商活动清单), and
-- their lines: planned kind, place (a division), target enterprises, the responsible
-- person, a planned and a due date, and the activity linked by hand when the matching
-- rule should not decide. Which activities fulfil the lines is computed, never stored.
CREATE TABLE activity_plans (
    id INTEGER PRIMARY KEY,
    region_code TEXT NOT NULL REFERENCES regions(code),
    -- Empty: the region's own plan.
    department TEXT NOT NULL DEFAULT '',
    period_kind TEXT NOT NULL CHECK (period_kind IN ('year', 'quarter', 'month')),
    -- `2024`, `2024Q2` or `2024-05`, with its first and last days.
    period TEXT NOT NULL,
    period_from DATE NOT NULL,
    period_to DATE NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    updated_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (region_code, department, period)
);
CREATE INDEX activity_plans_period ON activity_plans(period_from, region_code);

CREATE TABLE activity_plan_lines (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES activity_plans(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    place_code TEXT REFERENCES regions(code),
    -- Target enterprises, one a line (names of the library or free text).
    targets TEXT NOT NULL DEFAULT '',
    responsible TEXT NOT NULL DEFAULT '',
    planned_on DATE,
    due_on DATE NOT NULL,
    activity_id INTEGER REFERENCES activities(id) ON DELETE SET NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX activity_plan_lines_plan ON activity_plan_lines(plan_id);
CREATE INDEX activity_plan_lines_due ON activity_plan_lines(due_on);
