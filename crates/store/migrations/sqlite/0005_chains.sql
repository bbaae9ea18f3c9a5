-- Industrial chains (产业链, 链长制): a chain owned by a region, a tree of sub-chains and
-- links, enterprises attached to links, chain-leader enterprises, the chain department
-- users of each chain, and one plan (一企一案) per target enterprise with its visits.

CREATE TABLE chains (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    -- The region that runs the chain (a city's chain, or the province's).
    region_code TEXT NOT NULL REFERENCES regions(code),
    lead_department TEXT NOT NULL DEFAULT '',
    chief TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX chains_region ON chains(region_code);

CREATE TABLE chain_nodes (
    id INTEGER PRIMARY KEY,
    chain_id BIGINT NOT NULL REFERENCES chains(id) ON DELETE CASCADE,
    parent_id BIGINT REFERENCES chain_nodes(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    segment TEXT,
    -- GB/T 4754 division whose enterprises elsewhere are the link's target candidates.
    industry TEXT NOT NULL DEFAULT '',
    position BIGINT NOT NULL DEFAULT 0,
    UNIQUE (chain_id, name)
);
CREATE INDEX chain_nodes_parent ON chain_nodes(parent_id);

CREATE TABLE chain_leaders (
    chain_id BIGINT NOT NULL REFERENCES chains(id) ON DELETE CASCADE,
    enterprise_id BIGINT NOT NULL REFERENCES enterprises(id) ON DELETE CASCADE,
    PRIMARY KEY (chain_id, enterprise_id)
);

CREATE TABLE node_enterprises (
    node_id BIGINT NOT NULL REFERENCES chain_nodes(id) ON DELETE CASCADE,
    enterprise_id BIGINT NOT NULL REFERENCES enterprises(id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    PRIMARY KEY (node_id, enterprise_id)
);
CREATE INDEX node_enterprises_enterprise ON node_enterprises(enterprise_id);

-- The chains a chain-department user (链长牵头部门) looks after, everywhere.
CREATE TABLE user_chains (
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    chain_id BIGINT NOT NULL REFERENCES chains(id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, chain_id)
);

-- Who already knows an enterprise: a chamber, an investment consultant, a member.
CREATE TABLE enterprise_relations (
    id INTEGER PRIMARY KEY,
    enterprise_id BIGINT NOT NULL REFERENCES enterprises(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    holder TEXT NOT NULL,
    UNIQUE (enterprise_id, kind, holder)
);

-- 一企一案: one plan per target enterprise and region that pursues it.
CREATE TABLE plans (
    id INTEGER PRIMARY KEY,
    enterprise_id BIGINT NOT NULL REFERENCES enterprises(id) ON DELETE CASCADE,
    node_id BIGINT REFERENCES chain_nodes(id) ON DELETE SET NULL,
    region_code TEXT NOT NULL REFERENCES regions(code),
    owner_id BIGINT NOT NULL REFERENCES users(id),
    approach TEXT NOT NULL DEFAULT '',
    next_step TEXT NOT NULL DEFAULT '',
    due_on TEXT,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (enterprise_id, region_code)
);
CREATE INDEX plans_owner_due ON plans(owner_id, status, due_on);
CREATE INDEX plans_node ON plans(node_id);

CREATE TABLE plan_visits (
    id INTEGER PRIMARY KEY,
    plan_id BIGINT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    visited_on TEXT NOT NULL,
    visitor TEXT NOT NULL DEFAULT '',
    summary TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX plan_visits_plan ON plan_visits(plan_id, visited_on);

-- Projects hang on links by chain and link name (the import columns 产业链, 产业链环节).
DROP INDEX projects_chain;
CREATE INDEX projects_chain_node ON projects(chain, chain_node, region_code, stage);

-- The scope-independent part of the target score (zhaoshang_core::chains::targets::base_score),
-- so the best candidates of an industry are read in index order.
ALTER TABLE enterprises ADD COLUMN base_score BIGINT NOT NULL DEFAULT 0;
CREATE INDEX enterprises_industry_score ON enterprises(industry, base_score DESC, id);
