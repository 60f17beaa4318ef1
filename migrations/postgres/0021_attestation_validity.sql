-- The end of an attestation's validity, as printed on its cover (twelve months from the decision,
-- or the earliest expiry of a waiver it relies on). NULL for attestations issued before it was
-- recorded: readers then count twelve months from the issue.
ALTER TABLE attestations ADD COLUMN valid_until TIMESTAMPTZ;
CREATE INDEX attestations_valid_until ON attestations (valid_until) WHERE revoked_at IS NULL AND superseded_at IS NULL;
