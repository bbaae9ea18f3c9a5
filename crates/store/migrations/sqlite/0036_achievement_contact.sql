-- An achievement's contact (联系方式: a person and a telephone). Staff read it; investors
-- on the portal never do: they ask through the platform's interest form.
ALTER TABLE achievements ADD COLUMN contact TEXT NOT NULL DEFAULT '';
