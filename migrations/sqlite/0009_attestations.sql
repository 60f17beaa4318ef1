-- The attestation registry: every signed PDF issued, with its bytes so that every instance on a
-- shared database serves and verifies the same file. No foreign key to assessments: a signed
-- document stays verifiable (and revocable) whatever happens to the assessment later.
CREATE TABLE attestations (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    document_id        TEXT     NOT NULL UNIQUE,
    sha256             TEXT     NOT NULL UNIQUE,
    signer_fingerprint TEXT     NOT NULL,
    signer_name        TEXT     NOT NULL DEFAULT '',
    assessment_id      BIGINT   NOT NULL,
    vendor_id          BIGINT   NOT NULL,
    vendor_name        TEXT     NOT NULL,
    issued_at          DATETIME NOT NULL,
    issued_by          TEXT     NOT NULL,
    revoked_at         DATETIME,
    revoked_by         TEXT     NOT NULL DEFAULT '',
    revocation_reason  TEXT     NOT NULL DEFAULT '',
    demo               BOOLEAN  NOT NULL DEFAULT FALSE,
    dev_certificate    BOOLEAN  NOT NULL DEFAULT FALSE,
    size               BIGINT   NOT NULL,
    pdf                BLOB     NOT NULL
);
CREATE INDEX attestations_assessment ON attestations (assessment_id, id);
CREATE INDEX attestations_vendor ON attestations (vendor_id, id);
