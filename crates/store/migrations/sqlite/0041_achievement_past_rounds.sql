-- Rounds an achievement took part in before it was registered again in a later year
-- (core::rounds::registering): the year's round keeps it with the industry it had and
-- the reviews it got, so that the year's selection (`pool select`) stays as it was.
CREATE TABLE achievement_past_rounds (
    achievement_id INTEGER NOT NULL REFERENCES achievements(id) ON DELETE CASCADE,
    year INTEGER NOT NULL,
    industry TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (achievement_id, year)
);
CREATE INDEX achievement_past_rounds_year ON achievement_past_rounds(year, achievement_id);

-- Scores in hundredths, as in achievement_reviews; ids keep the order they were stored
-- in, which the bootstrap of the rank intervals draws from.
CREATE TABLE achievement_past_reviews (
    id INTEGER PRIMARY KEY,
    achievement_id INTEGER NOT NULL,
    year INTEGER NOT NULL,
    expert_id INTEGER NOT NULL REFERENCES experts(id),
    reviewer_institution TEXT NOT NULL DEFAULT '',
    market BIGINT NOT NULL CHECK (market BETWEEN 0 AND 10000),
    economic BIGINT NOT NULL CHECK (economic BETWEEN 0 AND 10000),
    technical BIGINT NOT NULL CHECK (technical BETWEEN 0 AND 10000),
    comment TEXT NOT NULL DEFAULT '',
    FOREIGN KEY (achievement_id, year) REFERENCES achievement_past_rounds(achievement_id, year) ON DELETE CASCADE
);
CREATE INDEX achievement_past_reviews_round ON achievement_past_reviews(year, achievement_id);
CREATE INDEX achievement_past_reviews_expert ON achievement_past_reviews(expert_id);
