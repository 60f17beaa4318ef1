-- Hardening (issue 11): rate limits shared by every instance, API-token expiry, and outbox bodies
-- dropped once a message is sent (invitation links must not stay at rest).
--
-- rate_limits holds one row per limited key (the SHA-256 of limiter name and key, never the raw
-- address or e-mail) with the hits of the current fixed window and of the window before it, so
-- that a sliding-window estimate can be taken. Times are Unix milliseconds: the upsert compares
-- them, and integers compare the same way on both dialects. Rows whose expires_at has passed
-- are swept; there is never a reset of the whole table.
CREATE TABLE rate_limits (
    key_hash     TEXT    NOT NULL PRIMARY KEY,
    window_start BIGINT  NOT NULL,
    hits         INTEGER NOT NULL,
    prev_hits    INTEGER NOT NULL DEFAULT 0,
    expires_at   BIGINT  NOT NULL
);
CREATE INDEX rate_limits_expires_at ON rate_limits (expires_at);

-- Tokens created before expiry existed get the default lifetime of 90 days from their creation.
ALTER TABLE api_tokens ADD COLUMN expires_at DATETIME;
UPDATE api_tokens SET expires_at = datetime(created_at, '+90 days') WHERE expires_at IS NULL;

-- A sent message keeps its recipient, subject, status and the SHA-256 of its body; the body (with
-- its one-time link) is dropped at delivery. Bodies of messages already sent are dropped now.
ALTER TABLE outbox ADD COLUMN body_sha256 TEXT NOT NULL DEFAULT '';
UPDATE outbox SET body = '' WHERE sent_at IS NOT NULL;
