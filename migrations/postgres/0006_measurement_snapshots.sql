-- The routing-data snapshots each captured measurement rests on (comma-separated IDs), so that
-- an attestation names the data the assessment was decided on, not whatever is newest later.
ALTER TABLE assessment_measurements ADD COLUMN snapshots TEXT NOT NULL DEFAULT '';
