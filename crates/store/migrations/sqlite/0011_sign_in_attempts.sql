-- Failed-sign-in counts per (normalised user name, address), kept in the database so a
-- throttle holds across restarts and several servers; counted by one atomic upsert.
CREATE TABLE sign_in_attempts (
    attempt_key TEXT PRIMARY KEY,
    window_started BIGINT NOT NULL,
    attempts BIGINT NOT NULL
);
CREATE INDEX sign_in_attempts_window ON sign_in_attempts(window_started);
