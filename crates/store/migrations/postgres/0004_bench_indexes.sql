-- Covering indexes for the investment figures and the project list, from the
-- benchmark of issue 3 (crates/bench). Without them each figure read the table once
-- per matching row; with them each query of stats.rs and listing.rs reads one index
-- range only. Each replaces an index with the same leading columns.

-- Funds in place of a period (any scope): the year's records in date order.
DROP INDEX project_funding_date;
CREATE INDEX project_funding_date_cover ON project_funding(funded_on, region_code, chain, source, amount);

-- Signed and implementing projects of a scope.
DROP INDEX projects_region_signed;
CREATE INDEX projects_region_signed_cover
    ON projects(region_code, signed_on, stage, chain, total_investment, started_on, producing_on);

-- The project list filtered by stage and signing period, newest signing first, and its totals.
DROP INDEX projects_stage;
CREATE INDEX projects_stage_signed ON projects(stage, signed_on, region_code, total_investment);
