-- Work plans of the assist mechanism (core::work_plans): a region's assist groups (助力小组)
-- with the people in them and the enterprises each 包抓, its three-year schemes
-- (工作方案) and the yearly plans (工作计划) under them, their tasks and the progress
-- reported on each. A task's status is computed from its deadline and reports.
CREATE TABLE assist_groups (
    id INTEGER PRIMARY KEY,
    region_code TEXT NOT NULL REFERENCES regions(code),
    name TEXT NOT NULL,
    leader TEXT NOT NULL DEFAULT '',
    -- One name a line, as the group's list names them.
    members TEXT NOT NULL DEFAULT '',
    experts TEXT NOT NULL DEFAULT '',
    entrepreneurs TEXT NOT NULL DEFAULT '',
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (region_code, name)
);

-- The platform accounts in a group: their inbox shows the group's late tasks.
CREATE TABLE assist_group_users (
    group_id INTEGER NOT NULL REFERENCES assist_groups(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX assist_group_users_user ON assist_group_users(user_id);

CREATE TABLE assist_group_enterprises (
    group_id INTEGER NOT NULL REFERENCES assist_groups(id) ON DELETE CASCADE,
    enterprise_id INTEGER NOT NULL REFERENCES enterprises(id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, enterprise_id)
);

CREATE TABLE work_plans (
    id INTEGER PRIMARY KEY,
    region_code TEXT NOT NULL REFERENCES regions(code),
    kind TEXT NOT NULL CHECK (kind IN ('scheme', 'yearly')),
    -- A yearly plan's scheme (NULL for a scheme, or a yearly plan standing alone).
    scheme_id INTEGER REFERENCES work_plans(id) ON DELETE SET NULL,
    title TEXT NOT NULL,
    start_year INTEGER NOT NULL,
    end_year INTEGER NOT NULL CHECK (end_year >= start_year),
    goals TEXT NOT NULL DEFAULT '',
    updated_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX work_plans_region ON work_plans(region_code, start_year);

CREATE TABLE work_plan_tasks (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES work_plans(id) ON DELETE CASCADE,
    text TEXT NOT NULL,
    group_id INTEGER REFERENCES assist_groups(id) ON DELETE SET NULL,
    department TEXT NOT NULL DEFAULT '',
    people TEXT NOT NULL DEFAULT '',
    deadline DATE NOT NULL,
    assigned_on DATE NOT NULL,
    -- The day a progress report said it was done.
    done_on DATE,
    updated_at TEXT NOT NULL
);
CREATE INDEX work_plan_tasks_plan ON work_plan_tasks(plan_id);
-- The late list: tasks not done, by deadline.
CREATE INDEX work_plan_tasks_open_deadline ON work_plan_tasks(deadline) WHERE done_on IS NULL;
CREATE INDEX work_plan_tasks_group ON work_plan_tasks(group_id) WHERE group_id IS NOT NULL;

CREATE TABLE work_plan_progress (
    id INTEGER PRIMARY KEY,
    task_id INTEGER NOT NULL REFERENCES work_plan_tasks(id) ON DELETE CASCADE,
    reported_on DATE NOT NULL,
    text TEXT NOT NULL,
    done BOOLEAN NOT NULL DEFAULT FALSE,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX work_plan_progress_task ON work_plan_progress(task_id, id);
