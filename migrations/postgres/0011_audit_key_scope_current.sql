-- Audit chain keyed with an HMAC key kept outside the database, attestations anchoring the chain's
-- head, the scope frozen at approval, and one current attestation per assessment.

-- The one row says from which event on the chain is keyed (HMAC-SHA256) and which key: key_id is
-- HMAC(key, "routewarden audit key id"), never the key. Events before keyed_from keep their plain
-- SHA-256 hashes (databases older than this migration).
CREATE TABLE audit_chain (
    id         BIGINT   PRIMARY KEY CHECK (id = 1),
    key_id     TEXT     NOT NULL,
    keyed_from BIGINT   NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);

-- Each attestation records the audit head (last event before its own issue event) as an anchor;
-- superseded_* mark an attestation replaced by a re-issue.
ALTER TABLE attestations ADD COLUMN audit_head_id BIGINT NOT NULL DEFAULT 0;
ALTER TABLE attestations ADD COLUMN audit_head_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE attestations ADD COLUMN superseded_at TIMESTAMPTZ;
ALTER TABLE attestations ADD COLUMN superseded_by BIGINT;

-- Attestations issued twice before this migration: each earlier unrevoked one is superseded by
-- the next unrevoked one of the same assessment.
UPDATE attestations SET
    superseded_by = (SELECT n.id FROM attestations n WHERE n.assessment_id = attestations.assessment_id
                     AND n.id > attestations.id AND n.revoked_at IS NULL ORDER BY n.id LIMIT 1),
    superseded_at = (SELECT n.issued_at FROM attestations n WHERE n.assessment_id = attestations.assessment_id
                     AND n.id > attestations.id AND n.revoked_at IS NULL ORDER BY n.id LIMIT 1)
WHERE revoked_at IS NULL AND EXISTS (SELECT 1 FROM attestations n WHERE n.assessment_id = attestations.assessment_id
                     AND n.id > attestations.id AND n.revoked_at IS NULL);
CREATE UNIQUE INDEX attestations_current ON attestations (assessment_id) WHERE revoked_at IS NULL AND superseded_at IS NULL;

-- What was approved: vendor identity, services and networks (JSON), frozen in the approval's
-- transaction. Attestations state this, not the vendor as edited later.
CREATE TABLE approved_scopes (
    assessment_id BIGINT   PRIMARY KEY REFERENCES assessments (id) ON DELETE CASCADE,
    approved_at   TIMESTAMPTZ NOT NULL,
    approved_by   TEXT     NOT NULL,
    scope         TEXT     NOT NULL
);
