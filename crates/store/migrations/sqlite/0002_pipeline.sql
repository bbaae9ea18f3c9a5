-- Investment pipeline: activities, projects, funds in place, targets, problems, services.
CREATE TABLE activities (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL DEFAULT '',
    start_on TEXT,
    end_on TEXT,
    place TEXT NOT NULL DEFAULT '',
    organiser TEXT NOT NULL DEFAULT ''
);

CREATE TABLE projects (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions(code),
    park TEXT NOT NULL DEFAULT '',
    chain TEXT NOT NULL DEFAULT '',
    chain_node TEXT NOT NULL DEFAULT '',
    investor TEXT NOT NULL DEFAULT '',
    investor_credit_code TEXT NOT NULL DEFAULT '',
    investor_origin TEXT NOT NULL DEFAULT '',
    investor_type TEXT NOT NULL DEFAULT '',
    industry TEXT NOT NULL DEFAULT '',
    total_investment BIGINT NOT NULL DEFAULT 0,
    stage TEXT NOT NULL,
    signed_on TEXT,
    started_on TEXT,
    producing_on TEXT,
    dropped_reason TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT '',
    source_org TEXT NOT NULL DEFAULT '',
    department TEXT NOT NULL DEFAULT '',
    leader TEXT NOT NULL DEFAULT '',
    owner TEXT NOT NULL DEFAULT '',
    signing_activity TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX projects_region_signed ON projects(region_code, signed_on);
CREATE INDEX projects_signed ON projects(signed_on);
CREATE INDEX projects_stage ON projects(stage);
CREATE INDEX projects_chain ON projects(chain);
CREATE INDEX projects_activity ON projects(signing_activity);
CREATE INDEX projects_investor_code ON projects(investor_credit_code);
CREATE INDEX projects_updated ON projects(updated_at, id);

-- region_code and chain repeat the project's, so that sums over a scope need no join.
CREATE TABLE project_funding (
    id INTEGER PRIMARY KEY,
    project_id BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    region_code TEXT NOT NULL,
    chain TEXT NOT NULL DEFAULT '',
    funded_on TEXT NOT NULL,
    amount BIGINT NOT NULL,
    source TEXT NOT NULL,
    UNIQUE (project_id, funded_on, amount, source)
);
CREATE INDEX project_funding_region_date ON project_funding(region_code, funded_on);
CREATE INDEX project_funding_date ON project_funding(funded_on);

CREATE TABLE targets (
    region_code TEXT NOT NULL REFERENCES regions(code),
    year BIGINT NOT NULL,
    funds_target BIGINT,
    signed_investment_target BIGINT,
    PRIMARY KEY (region_code, year)
);

CREATE TABLE project_events (
    id INTEGER PRIMARY KEY,
    project_id BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    at TEXT NOT NULL,
    actor_name TEXT NOT NULL,
    kind TEXT NOT NULL,
    from_stage TEXT,
    to_stage TEXT,
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX project_events_project ON project_events(project_id, id);

CREATE TABLE project_problems (
    id INTEGER PRIMARY KEY,
    project_id BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    description TEXT NOT NULL,
    department TEXT NOT NULL DEFAULT '',
    due_on TEXT,
    status TEXT NOT NULL DEFAULT 'open',
    resolution TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE INDEX project_problems_project ON project_problems(project_id);

CREATE TABLE project_services (
    id INTEGER PRIMARY KEY,
    project_id BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    service TEXT NOT NULL,
    handler TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'open',
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE INDEX project_services_project ON project_services(project_id);
