-- The `pool` counter of data_versions (see 0008): it moves on with every write to the
-- S&T pool's achievements, reviews and review rounds, in the writing transaction, so
-- that the rank intervals kept in memory per year (a bootstrap of every review of the
-- year, costly to compute) are served only while nothing they were read from changed.
-- Once a statement, as the stats counter.
INSERT INTO data_versions (name, version) VALUES ('pool', 0);

CREATE FUNCTION pool_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE data_versions SET version = version + 1 WHERE name = 'pool';
    RETURN NULL;
END
$$;

CREATE TRIGGER pool_version_achievements AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON achievements
    FOR EACH STATEMENT EXECUTE FUNCTION pool_version_bump();
CREATE TRIGGER pool_version_reviews AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON achievement_reviews
    FOR EACH STATEMENT EXECUTE FUNCTION pool_version_bump();
CREATE TRIGGER pool_version_rounds AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON review_rounds
    FOR EACH STATEMENT EXECUTE FUNCTION pool_version_bump();
