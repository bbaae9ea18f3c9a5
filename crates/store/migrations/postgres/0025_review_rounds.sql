-- Review rounds of the S&T pool (评审轮次): one a registration year, open → scoring →
-- closed → published (core::rounds::RoundStatus), and the reviewers assigned to each
-- achievement of the year. A reviewer's scores are stored in achievement_reviews as
-- imported ones are, with the comment it writes beside them; while the year's round is
-- not closed nobody but the reviewer reads them.
CREATE TABLE review_rounds (
    year BIGINT PRIMARY KEY,
    status TEXT NOT NULL DEFAULT 'open',
    per_achievement BIGINT NOT NULL DEFAULT 5,
    updated_by TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE review_assignments (
    achievement_id BIGINT NOT NULL REFERENCES achievements(id) ON DELETE CASCADE,
    expert_id BIGINT NOT NULL REFERENCES experts(id),
    PRIMARY KEY (achievement_id, expert_id)
);
CREATE INDEX review_assignments_expert ON review_assignments(expert_id, achievement_id);

ALTER TABLE achievement_reviews ADD COLUMN comment TEXT NOT NULL DEFAULT '';
