-- Portfolio figures of each monitor pass, for the dashboard's trend: the mean ROA coverage of the
-- supplier networks with a known figure, how many of them were measured, and how many originated
-- RPKI-invalid routes. NULL when the pass had no data for them (and for passes before this).
ALTER TABLE monitor_runs ADD COLUMN roa_coverage DOUBLE PRECISION;
ALTER TABLE monitor_runs ADD COLUMN roa_measured INTEGER;
ALTER TABLE monitor_runs ADD COLUMN invalid_asns INTEGER;
