-- The development signing key that every instance on this database shares while no signing
-- certificate is configured (ROUTEWARDEN_SIGN_CERT/KEY or ROUTEWARDEN_SIGN_P12). The database
-- file is created readable by its owner only.
CREATE TABLE signing_keys (
    name            TEXT     PRIMARY KEY,
    certificate_pem TEXT     NOT NULL,
    private_key_pem TEXT     NOT NULL,
    created_at      DATETIME NOT NULL
);

-- Vendor search matches any part of the name, which no B-tree can seek to; scanning this narrow
-- index (name and row ID) instead of the whole table makes the name search 2-3 times cheaper.
-- (PostgreSQL has a trigram index for it instead.)
CREATE INDEX vendors_legal_name_scan ON vendors (legal_name);
