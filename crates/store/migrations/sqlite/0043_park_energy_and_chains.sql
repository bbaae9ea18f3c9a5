-- Parks as offices keep them (在线选地): the yearly energy-use quota the park can still
-- grant (能耗指标, tonnes of standard coal equivalent per year, exact) with a note on it
-- ("含可再生能源消纳" …), and the stored industrial chains (产业链) the park serves.
ALTER TABLE parks ADD COLUMN energy_quota_tce BIGINT;
ALTER TABLE parks ADD COLUMN energy_quota_note TEXT NOT NULL DEFAULT '';

CREATE TABLE park_chains (
    park_id BIGINT NOT NULL REFERENCES parks(id) ON DELETE CASCADE,
    chain_id BIGINT NOT NULL REFERENCES chains(id) ON DELETE CASCADE,
    PRIMARY KEY (park_id, chain_id)
);
-- A chain's parks.
CREATE INDEX park_chains_chain ON park_chains(chain_id, park_id);
