-- Routing evidence: imported snapshots with their original files, and check results per ASN.
CREATE TABLE snapshots (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    kind        TEXT    NOT NULL,
    source      TEXT    NOT NULL DEFAULT '',
    format      TEXT    NOT NULL DEFAULT '',
    data_time   DATETIME,
    imported_at DATETIME NOT NULL,
    records     BIGINT  NOT NULL DEFAULT 0,
    skipped     BIGINT  NOT NULL DEFAULT 0,
    digest      TEXT    NOT NULL,
    demo        BOOLEAN NOT NULL DEFAULT FALSE,
    description TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX snapshots_kind ON snapshots (kind, id);

CREATE TABLE snapshot_files (
    snapshot_id INTEGER NOT NULL REFERENCES snapshots (id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    name        TEXT    NOT NULL,
    sha256      TEXT    NOT NULL,
    size        BIGINT  NOT NULL,
    PRIMARY KEY (snapshot_id, seq)
);

-- File contents, gzip-compressed, split into chunks of at most 8 MiB.
CREATE TABLE snapshot_chunks (
    snapshot_id INTEGER NOT NULL REFERENCES snapshots (id) ON DELETE CASCADE,
    file_seq    INTEGER NOT NULL,
    chunk_seq   INTEGER NOT NULL,
    data        BLOB    NOT NULL,
    PRIMARY KEY (snapshot_id, file_seq, chunk_seq)
);

CREATE TABLE check_results (
    asn         BIGINT  NOT NULL,
    check_id    TEXT    NOT NULL,
    status      TEXT    NOT NULL CHECK (status IN ('pass', 'warn', 'fail', 'unknown')),
    figure      DOUBLE PRECISION,
    summary     TEXT    NOT NULL DEFAULT '',
    details     TEXT    NOT NULL DEFAULT '[]',
    snapshots   TEXT    NOT NULL DEFAULT '',
    computed_at DATETIME NOT NULL,
    PRIMARY KEY (asn, check_id)
);
