-- Control-library versions registered with the digest of their content. A released version's
-- content never changes: serve refuses to start when an embedded version's digest differs.
CREATE TABLE control_libraries (
    name          TEXT NOT NULL,
    version       TEXT NOT NULL,
    released      TEXT NOT NULL DEFAULT '',
    digest        TEXT NOT NULL,
    registered_at DATETIME NOT NULL,
    PRIMARY KEY (name, version)
);
