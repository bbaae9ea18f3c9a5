-- The flag a project keeps while its funds in place exceed its total investment:
-- '' (none), 'unconfirmed' (waiting for the province to look at it) or 'confirmed'.
ALTER TABLE projects ADD COLUMN excess_funds TEXT NOT NULL DEFAULT '';
UPDATE projects SET excess_funds = 'unconfirmed'
WHERE total_investment > 0
  AND (SELECT SUM(f.amount) FROM project_funding f WHERE f.project_id = projects.id) > total_investment;
CREATE INDEX projects_excess_funds ON projects(excess_funds, region_code);
