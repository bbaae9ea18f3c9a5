-- The `pool` counter of data_versions (see 0008): it moves on with every write to the
-- S&T pool's achievements, reviews and review rounds, in the writing transaction, so
-- that the rank intervals kept in memory per year (a bootstrap of every review of the
-- year, costly to compute) are served only while nothing they were read from changed.
INSERT INTO data_versions (name, version) VALUES ('pool', 0);

CREATE TRIGGER pool_version_achievements_insert AFTER INSERT ON achievements
BEGIN UPDATE data_versions SET version = version + 1 WHERE name = 'pool'; END;
CREATE TRIGGER pool_version_achievements_update AFTER UPDATE ON achievements
BEGIN UPDATE data_versions SET version = version + 1 WHERE name = 'pool'; END;
CREATE TRIGGER pool_version_achievements_delete AFTER DELETE ON achievements
BEGIN UPDATE data_versions SET version = version + 1 WHERE name = 'pool'; END;
CREATE TRIGGER pool_version_reviews_insert AFTER INSERT ON achievement_reviews
BEGIN UPDATE data_versions SET version = version + 1 WHERE name = 'pool'; END;
CREATE TRIGGER pool_version_reviews_update AFTER UPDATE ON achievement_reviews
BEGIN UPDATE data_versions SET version = version + 1 WHERE name = 'pool'; END;
CREATE TRIGGER pool_version_reviews_delete AFTER DELETE ON achievement_reviews
BEGIN UPDATE data_versions SET version = version + 1 WHERE name = 'pool'; END;
CREATE TRIGGER pool_version_rounds_insert AFTER INSERT ON review_rounds
BEGIN UPDATE data_versions SET version = version + 1 WHERE name = 'pool'; END;
CREATE TRIGGER pool_version_rounds_update AFTER UPDATE ON review_rounds
BEGIN UPDATE data_versions SET version = version + 1 WHERE name = 'pool'; END;
CREATE TRIGGER pool_version_rounds_delete AFTER DELETE ON review_rounds
BEGIN UPDATE data_versions SET version = version + 1 WHERE name = 'pool'; END;
