-- Enterprise library (企业库): local and target enterprises, headquartered anywhere in China.
CREATE TABLE enterprises (
    id INTEGER PRIMARY KEY,
    credit_code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions(code),
    industry TEXT NOT NULL DEFAULT '',
    -- Tag labels in vocabulary order joined by '、' (zhaoshang_core::enterprises); the
    -- stock code of a listed company is kept apart.
    tags TEXT NOT NULL DEFAULT '',
    stock_code TEXT NOT NULL DEFAULT '',
    revenue BIGINT,
    employees BIGINT,
    registered_capital BIGINT,
    description TEXT NOT NULL DEFAULT '',
    is_target BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX enterprises_region ON enterprises(region_code, id);
CREATE INDEX enterprises_industry ON enterprises(industry, region_code);
CREATE INDEX enterprises_target ON enterprises(is_target, region_code);
CREATE INDEX enterprises_name ON enterprises(name);
CREATE INDEX enterprises_revenue ON enterprises(revenue);
CREATE INDEX enterprises_updated ON enterprises(updated_at, id);

-- One row per tag of an enterprise, so that filtering by a tag is an index look-up.
CREATE TABLE enterprise_tags (
    enterprise_id BIGINT NOT NULL REFERENCES enterprises(id) ON DELETE CASCADE,
    tag TEXT NOT NULL,
    PRIMARY KEY (tag, enterprise_id)
);
CREATE INDEX enterprise_tags_enterprise ON enterprise_tags(enterprise_id);
