-- Continuous monitoring: passes of the monitor, the history of check results (changes only),
-- alerts, webhooks and their deliveries.
CREATE TABLE monitor_runs (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    started_at  DATETIME NOT NULL,
    finished_at DATETIME NOT NULL,
    asns        BIGINT   NOT NULL DEFAULT 0,
    results     BIGINT   NOT NULL DEFAULT 0,
    changes     BIGINT   NOT NULL DEFAULT 0,
    opened      BIGINT   NOT NULL DEFAULT 0,
    resolved    BIGINT   NOT NULL DEFAULT 0,
    snapshots   TEXT     NOT NULL DEFAULT '{}'
);
CREATE INDEX monitor_runs_started ON monitor_runs (started_at);

-- One row per (ASN, check) each time its result changed; unchanged results are not stored again.
CREATE TABLE check_history (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id      BIGINT  NOT NULL REFERENCES monitor_runs (id) ON DELETE CASCADE,
    asn         BIGINT  NOT NULL,
    check_id    TEXT    NOT NULL,
    status      TEXT    NOT NULL CHECK (status IN ('pass', 'warn', 'fail', 'unknown')),
    figure      DOUBLE PRECISION,
    summary     TEXT    NOT NULL DEFAULT '',
    details     TEXT    NOT NULL DEFAULT '[]',
    snapshots   TEXT    NOT NULL DEFAULT '',
    computed_at DATETIME NOT NULL
);
CREATE INDEX check_history_asn ON check_history (asn, check_id, id);
CREATE INDEX check_history_run ON check_history (run_id);

CREATE TABLE alerts (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    vendor_id    BIGINT  NOT NULL DEFAULT 0,
    asn          BIGINT  NOT NULL DEFAULT 0,
    rule_id      TEXT    NOT NULL,
    control_id   TEXT    NOT NULL DEFAULT '',
    severity     TEXT    NOT NULL CHECK (severity IN ('critical', 'high', 'medium', 'low')),
    subject      TEXT    NOT NULL DEFAULT '',
    summary      TEXT    NOT NULL,
    evidence     TEXT    NOT NULL DEFAULT '[]',
    snapshots    TEXT    NOT NULL DEFAULT '',
    state        TEXT    NOT NULL CHECK (state IN ('open', 'acknowledged', 'resolved')),
    opened_at    DATETIME NOT NULL,
    last_seen_at DATETIME NOT NULL,
    resolved_at  DATETIME,
    ack_at       DATETIME,
    ack_by       TEXT    NOT NULL DEFAULT '',
    ack_comment  TEXT    NOT NULL DEFAULT ''
);
-- De-duplication: one alert per rule × ASN × subject that is not resolved.
CREATE UNIQUE INDEX alerts_active ON alerts (rule_id, asn, subject) WHERE state <> 'resolved';
CREATE INDEX alerts_state ON alerts (state, severity, opened_at);
CREATE INDEX alerts_vendor ON alerts (vendor_id, state);

CREATE TABLE webhooks (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    url        TEXT    NOT NULL,
    secret     TEXT    NOT NULL,
    events     TEXT    NOT NULL,
    enabled    BOOLEAN NOT NULL DEFAULT TRUE,
    created_at DATETIME NOT NULL,
    created_by TEXT    NOT NULL DEFAULT ''
);

CREATE TABLE webhook_deliveries (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    webhook_id   BIGINT  NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    event        TEXT    NOT NULL,
    payload      TEXT    NOT NULL,
    state        TEXT    NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts     INTEGER NOT NULL DEFAULT 0,
    status_code  INTEGER NOT NULL DEFAULT 0,
    error        TEXT    NOT NULL DEFAULT '',
    created_at   DATETIME NOT NULL,
    delivered_at DATETIME
);
CREATE INDEX webhook_deliveries_hook ON webhook_deliveries (webhook_id, id);
