-- The S&T achievement pool (科技成果转化池): institutions, the expert pool (专家库),
-- registered achievements and their third-party reviews.
CREATE TABLE institutions (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    -- The name as compared for conflicts of interest (core::achievements::institution_key).
    name_key TEXT NOT NULL,
    credit_code TEXT NOT NULL DEFAULT ''
);
CREATE INDEX institutions_by_key ON institutions(name_key);

CREATE TABLE experts (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    institution_id INTEGER REFERENCES institutions(id),
    fields TEXT NOT NULL DEFAULT '',
    -- The account of role reviewer this expert signs in with, if any.
    user_id INTEGER REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX experts_user ON experts(user_id);

CREATE TABLE achievements (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    institution_id INTEGER NOT NULL REFERENCES institutions(id),
    -- A GB/T 4754 division code, empty when not given.
    industry TEXT NOT NULL DEFAULT '',
    year INTEGER NOT NULL,
    maturity TEXT NOT NULL DEFAULT '',
    ip TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT ''
);
CREATE INDEX achievements_year ON achievements(year, code);
CREATE INDEX achievements_industry ON achievements(industry, code);
CREATE INDEX achievements_institution ON achievements(institution_id, code);
CREATE INDEX achievements_maturity ON achievements(maturity, code);

-- Scores in hundredths of a point (0–10000), exact.
CREATE TABLE achievement_reviews (
    id INTEGER PRIMARY KEY,
    achievement_id INTEGER NOT NULL REFERENCES achievements(id) ON DELETE CASCADE,
    expert_id INTEGER NOT NULL REFERENCES experts(id),
    -- The reviewer's institution as the review names it.
    reviewer_institution TEXT NOT NULL DEFAULT '',
    market BIGINT NOT NULL CHECK (market BETWEEN 0 AND 10000),
    economic BIGINT NOT NULL CHECK (economic BETWEEN 0 AND 10000),
    technical BIGINT NOT NULL CHECK (technical BETWEEN 0 AND 10000),
    UNIQUE (achievement_id, expert_id)
);
CREATE INDEX achievement_reviews_expert ON achievement_reviews(expert_id);
