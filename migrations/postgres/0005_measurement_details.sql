-- The offending prefixes, paths and objects behind each captured measurement, so that the
-- vendor can see exactly what it is disputing (JSON array of details).
ALTER TABLE assessment_measurements ADD COLUMN details TEXT NOT NULL DEFAULT '[]';
