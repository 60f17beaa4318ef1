-- The development signing key that every instance on this database shares while no signing
-- certificate is configured (ROUTEWARDEN_SIGN_CERT/KEY or ROUTEWARDEN_SIGN_P12).
CREATE TABLE signing_keys (
    name            TEXT        PRIMARY KEY,
    certificate_pem TEXT        NOT NULL,
    private_key_pem TEXT        NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL
);
-- Only the owner (the application's role) may read the private key.
REVOKE ALL ON signing_keys FROM PUBLIC;

-- Vendor search matches any part of the name (LIKE '%…%'); a trigram index serves that when
-- the pg_trgm extension is installed or can be. Without it the search still works, by a scan.
DO $$
DECLARE ns text;
BEGIN
    SELECT extnamespace::regnamespace::text INTO ns FROM pg_extension WHERE extname = 'pg_trgm';
    IF ns IS NULL THEN
        BEGIN
            CREATE EXTENSION pg_trgm;
            SELECT extnamespace::regnamespace::text INTO ns FROM pg_extension WHERE extname = 'pg_trgm';
        EXCEPTION WHEN OTHERS THEN
            RAISE NOTICE 'pg_trgm is not available (%): vendor name search scans the table', SQLERRM;
        END;
    END IF;
    IF ns IS NOT NULL THEN
        EXECUTE format('CREATE INDEX vendors_legal_name_trgm ON vendors USING gin (lower(legal_name) %s.gin_trgm_ops)', ns);
    END IF;
END $$;
