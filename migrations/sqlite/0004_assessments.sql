-- Assessments: questionnaires pinned to a control-library version, answers with history and
-- optimistic locking, evidence files (bytes in the database), comments, findings, waivers,
-- discrepancy resolutions, disputes, captured measurements, invitation links, portal sessions,
-- the mail outbox and the append-only, hash-chained audit log.
CREATE TABLE assessments (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    vendor_id       INTEGER NOT NULL REFERENCES vendors (id) ON DELETE RESTRICT,
    title           TEXT    NOT NULL DEFAULT '',
    library         TEXT    NOT NULL,
    library_version TEXT    NOT NULL,
    library_digest  TEXT    NOT NULL,
    scope           TEXT    NOT NULL DEFAULT '',
    state           TEXT    NOT NULL CHECK (state IN ('draft', 'sent', 'in_progress', 'submitted', 'in_review',
                        'changes_requested', 'approved', 'rejected', 'cancelled')),
    due_date        TEXT    NOT NULL,
    contact_email   TEXT    NOT NULL DEFAULT '',
    summary         TEXT    NOT NULL DEFAULT '{}',
    version         INTEGER NOT NULL DEFAULT 1,
    created_by      TEXT    NOT NULL DEFAULT '',
    created_at      DATETIME NOT NULL,
    updated_at      DATETIME NOT NULL,
    submitted_at    DATETIME,
    decided_at      DATETIME
);
CREATE INDEX assessments_vendor_id ON assessments (vendor_id);
CREATE INDEX assessments_state ON assessments (state, due_date);

CREATE TABLE answers (
    assessment_id INTEGER NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    question_id   TEXT    NOT NULL,
    answer_values TEXT    NOT NULL DEFAULT '[]',
    comment       TEXT    NOT NULL DEFAULT '',
    measured      BOOLEAN NOT NULL DEFAULT FALSE,
    review        TEXT    NOT NULL DEFAULT '',
    review_note   TEXT    NOT NULL DEFAULT '',
    version       INTEGER NOT NULL DEFAULT 1,
    updated_by    TEXT    NOT NULL DEFAULT '',
    updated_at    DATETIME NOT NULL,
    PRIMARY KEY (assessment_id, question_id)
);

CREATE TABLE answer_history (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    assessment_id INTEGER NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    question_id   TEXT    NOT NULL,
    answer_values TEXT    NOT NULL,
    comment       TEXT    NOT NULL DEFAULT '',
    version       INTEGER NOT NULL,
    changed_by    TEXT    NOT NULL DEFAULT '',
    changed_at    DATETIME NOT NULL
);
CREATE INDEX answer_history_assessment ON answer_history (assessment_id, question_id);

CREATE TABLE evidence_files (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    assessment_id INTEGER NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    question_id   TEXT    NOT NULL,
    name          TEXT    NOT NULL,
    media_type    TEXT    NOT NULL,
    size          BIGINT  NOT NULL,
    sha256        TEXT    NOT NULL,
    data          BLOB    NOT NULL,
    uploaded_by   TEXT    NOT NULL DEFAULT '',
    uploaded_at   DATETIME NOT NULL
);
CREATE INDEX evidence_files_assessment ON evidence_files (assessment_id, question_id);

CREATE TABLE assessment_comments (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    assessment_id INTEGER NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    question_id   TEXT    NOT NULL DEFAULT '',
    author        TEXT    NOT NULL,
    from_vendor   BOOLEAN NOT NULL DEFAULT FALSE,
    body          TEXT    NOT NULL,
    created_at    DATETIME NOT NULL
);
CREATE INDEX assessment_comments_assessment ON assessment_comments (assessment_id);

CREATE TABLE findings (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    assessment_id INTEGER NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    control_id    TEXT    NOT NULL,
    question_id   TEXT    NOT NULL DEFAULT '',
    severity      TEXT    NOT NULL CHECK (severity IN ('low', 'medium', 'high', 'critical')),
    title         TEXT    NOT NULL,
    status        TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
    created_by    TEXT    NOT NULL DEFAULT '',
    created_at    DATETIME NOT NULL
);
CREATE INDEX findings_assessment ON findings (assessment_id);

CREATE TABLE waivers (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    assessment_id INTEGER NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    control_id    TEXT    NOT NULL,
    justification TEXT    NOT NULL,
    expires_at    DATETIME NOT NULL,
    created_by    TEXT    NOT NULL DEFAULT '',
    created_at    DATETIME NOT NULL
);
CREATE INDEX waivers_assessment ON waivers (assessment_id);

CREATE TABLE discrepancy_resolutions (
    assessment_id INTEGER NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    disc_key      TEXT    NOT NULL,
    outcome       TEXT    NOT NULL CHECK (outcome IN ('measurement', 'answer')),
    reason        TEXT    NOT NULL,
    resolved_by   TEXT    NOT NULL DEFAULT '',
    resolved_at   DATETIME NOT NULL,
    PRIMARY KEY (assessment_id, disc_key)
);

CREATE TABLE disputes (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    assessment_id INTEGER NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    asn           BIGINT  NOT NULL,
    check_id      TEXT    NOT NULL,
    explanation   TEXT    NOT NULL,
    author        TEXT    NOT NULL DEFAULT '',
    created_at    DATETIME NOT NULL
);
CREATE INDEX disputes_assessment ON disputes (assessment_id);

CREATE TABLE assessment_measurements (
    assessment_id INTEGER NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    asn           BIGINT  NOT NULL,
    check_id      TEXT    NOT NULL,
    status        TEXT    NOT NULL CHECK (status IN ('pass', 'warn', 'fail', 'unknown')),
    figure        DOUBLE PRECISION,
    summary       TEXT    NOT NULL DEFAULT '',
    computed_at   DATETIME NOT NULL,
    PRIMARY KEY (assessment_id, asn, check_id)
);

CREATE TABLE invitations (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    assessment_id INTEGER NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    email         TEXT    NOT NULL,
    section       TEXT    NOT NULL DEFAULT '',
    token_hash    TEXT    NOT NULL UNIQUE,
    purpose       TEXT    NOT NULL DEFAULT 'invitation',
    created_by    TEXT    NOT NULL DEFAULT '',
    created_at    DATETIME NOT NULL,
    expires_at    DATETIME NOT NULL,
    revoked_at    DATETIME,
    last_used_at  DATETIME
);
CREATE INDEX invitations_assessment ON invitations (assessment_id);

CREATE TABLE portal_sessions (
    token_hash    TEXT    PRIMARY KEY,
    invitation_id INTEGER NOT NULL REFERENCES invitations (id) ON DELETE CASCADE,
    assessment_id INTEGER NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    email         TEXT    NOT NULL,
    section       TEXT    NOT NULL DEFAULT '',
    csrf_token    TEXT    NOT NULL,
    created_at    DATETIME NOT NULL,
    expires_at    DATETIME NOT NULL
);
CREATE INDEX portal_sessions_expires_at ON portal_sessions (expires_at);

CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    recipient       TEXT    NOT NULL,
    subject         TEXT    NOT NULL,
    body            TEXT    NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at DATETIME NOT NULL,
    sent_at         DATETIME,
    last_error      TEXT    NOT NULL DEFAULT '',
    created_at      DATETIME NOT NULL
);
CREATE INDEX outbox_due ON outbox (sent_at, next_attempt_at);

CREATE TABLE audit_events (
    id            INTEGER PRIMARY KEY,
    assessment_id BIGINT  NOT NULL DEFAULT 0,
    actor         TEXT    NOT NULL,
    action        TEXT    NOT NULL,
    detail        TEXT    NOT NULL DEFAULT '',
    at            DATETIME NOT NULL,
    prev_hash     TEXT    NOT NULL UNIQUE,
    hash          TEXT    NOT NULL UNIQUE
);
CREATE INDEX audit_events_assessment ON audit_events (assessment_id, id);
-- Append-only: the database refuses to change or remove an entry.
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
