-- The board report registry: every signed board / supervisor report PDF issued, with its bytes,
-- so that `verify` and /verify accept it like an attestation. Board reports are about the whole
-- portfolio, not one assessment, hence a table of their own beside attestations.
CREATE TABLE board_reports (
    id                 INTEGER  PRIMARY KEY AUTOINCREMENT,
    document_id        TEXT     NOT NULL UNIQUE,
    sha256             TEXT     NOT NULL UNIQUE,
    signer_fingerprint TEXT     NOT NULL,
    signer_name        TEXT     NOT NULL DEFAULT '',
    issued_at          DATETIME NOT NULL,
    issued_by          TEXT     NOT NULL,
    revoked_at         DATETIME,
    revoked_by         TEXT     NOT NULL DEFAULT '',
    revocation_reason  TEXT     NOT NULL DEFAULT '',
    demo               BOOLEAN  NOT NULL DEFAULT FALSE,
    dev_certificate    BOOLEAN  NOT NULL DEFAULT FALSE,
    size               BIGINT   NOT NULL,
    pdf                BLOB     NOT NULL,
    audit_head_id      BIGINT   NOT NULL DEFAULT 0,
    audit_head_hash    TEXT     NOT NULL DEFAULT ''
);
