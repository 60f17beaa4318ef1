-- Foundation: users, sessions, API tokens, vendors and their services, networks and contacts.
CREATE TABLE users (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    email         TEXT    NOT NULL UNIQUE,
    name          TEXT    NOT NULL DEFAULT '',
    role          TEXT    NOT NULL CHECK (role IN ('admin', 'procurement', 'risk_officer', 'auditor')),
    password_hash TEXT    NOT NULL DEFAULT '',
    disabled      BOOLEAN NOT NULL DEFAULT FALSE,
    created_at    DATETIME NOT NULL,
    updated_at    DATETIME NOT NULL,
    last_login_at DATETIME
);

CREATE TABLE sessions (
    token_hash TEXT    PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token TEXT    NOT NULL,
    created_at DATETIME NOT NULL,
    expires_at DATETIME NOT NULL
);
CREATE INDEX sessions_user_id ON sessions (user_id);
CREATE INDEX sessions_expires_at ON sessions (expires_at);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT    NOT NULL DEFAULT '',
    token_hash   TEXT    NOT NULL UNIQUE,
    created_at   DATETIME NOT NULL,
    last_used_at DATETIME
);
CREATE INDEX api_tokens_user_id ON api_tokens (user_id);

CREATE TABLE vendors (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    legal_name  TEXT    NOT NULL,
    lei         TEXT    NOT NULL DEFAULT '',
    country     TEXT    NOT NULL,
    website     TEXT    NOT NULL DEFAULT '',
    description TEXT    NOT NULL DEFAULT '',
    demo        BOOLEAN NOT NULL DEFAULT FALSE,
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  DATETIME NOT NULL,
    updated_at  DATETIME NOT NULL
);
CREATE UNIQUE INDEX vendors_lei ON vendors (lei) WHERE lei <> '';
CREATE INDEX vendors_legal_name ON vendors (lower(legal_name));
CREATE INDEX vendors_country ON vendors (country);

CREATE TABLE services (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    vendor_id        INTEGER NOT NULL REFERENCES vendors (id) ON DELETE CASCADE,
    name             TEXT    NOT NULL,
    type             TEXT    NOT NULL,
    provider_type    TEXT    NOT NULL,
    critical         BOOLEAN NOT NULL DEFAULT FALSE,
    regulations      TEXT    NOT NULL DEFAULT '',
    substitutability TEXT    NOT NULL DEFAULT '',
    contract_ref     TEXT    NOT NULL DEFAULT '',
    contract_start   TEXT    NOT NULL DEFAULT '',
    contract_end     TEXT    NOT NULL DEFAULT '',
    created_at       DATETIME NOT NULL,
    updated_at       DATETIME NOT NULL
);
CREATE INDEX services_vendor_id ON services (vendor_id);

CREATE TABLE networks (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    vendor_id         INTEGER NOT NULL REFERENCES vendors (id) ON DELETE CASCADE,
    asn               BIGINT  NOT NULL CHECK (asn BETWEEN 1 AND 4294967295),
    name              TEXT    NOT NULL DEFAULT '',
    expected_prefixes TEXT    NOT NULL DEFAULT '',
    as_set            TEXT    NOT NULL DEFAULT '',
    created_at        DATETIME NOT NULL,
    updated_at        DATETIME NOT NULL,
    UNIQUE (vendor_id, asn)
);
CREATE INDEX networks_asn ON networks (asn);

CREATE TABLE contacts (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    vendor_id  INTEGER NOT NULL REFERENCES vendors (id) ON DELETE CASCADE,
    name       TEXT    NOT NULL,
    email      TEXT    NOT NULL,
    phone      TEXT    NOT NULL DEFAULT '',
    role       TEXT    NOT NULL DEFAULT '',
    created_at DATETIME NOT NULL
);
CREATE INDEX contacts_vendor_id ON contacts (vendor_id);
