package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	rw "routewarden/internal/routewarden"
)

// rateLimitUpsert records one hit in a single statement, so that instances sharing the database
// count every hit exactly once. Parameters: key hash, the start of the current window, its
// expiry (two windows later, when it no longer feeds an estimate), and the start of the previous
// window. In the conflict branch every right-hand side reads the old row: a hit in the same
// window adds one; a hit in the next window moves the current count to prev_hits; anything
// later starts afresh. RETURNING works on SQLite (3.35+) and PostgreSQL alike.
const rateLimitUpsert = `INSERT INTO rate_limits (key_hash, window_start, hits, prev_hits, expires_at)
VALUES (?, ?, 1, 0, ?)
ON CONFLICT (key_hash) DO UPDATE SET
  hits = CASE WHEN rate_limits.window_start = excluded.window_start THEN rate_limits.hits + 1 ELSE 1 END,
  prev_hits = CASE WHEN rate_limits.window_start = excluded.window_start THEN rate_limits.prev_hits
                   WHEN rate_limits.window_start = ? THEN rate_limits.hits ELSE 0 END,
  window_start = excluded.window_start,
  expires_at = excluded.expires_at
RETURNING hits, prev_hits, window_start`

// HitRateLimit implements rw.RateLimitStore with fixed windows aligned to multiples of window
// since the Unix epoch; the caller weighs the previous window for a sliding estimate.
func (db *DB) HitRateLimit(ctx context.Context, key string, window time.Duration, now time.Time) (rw.RateCount, error) {
	w := window.Milliseconds()
	if w <= 0 {
		return rw.RateCount{}, fmt.Errorf("rate limit %q: window %v is too short", key, window)
	}
	sum := sha256.Sum256([]byte(key))
	start := now.UnixMilli() / w * w
	var out struct {
		Hits, PrevHits int
		WindowStart    int64
	}
	err := db.q(ctx).Raw(rateLimitUpsert, hex.EncodeToString(sum[:]), start, start+2*w, start-w).Scan(&out).Error
	if err != nil {
		return rw.RateCount{}, fmt.Errorf("rate limit: %w", err)
	}
	return rw.RateCount{Hits: out.Hits, PrevHits: out.PrevHits, WindowStart: time.UnixMilli(out.WindowStart).UTC()}, nil
}

// SweepRateLimits deletes the counters whose windows ended before now; only those.
func (db *DB) SweepRateLimits(ctx context.Context, now time.Time) (int64, error) {
	res := db.q(ctx).Exec(`DELETE FROM rate_limits WHERE expires_at <= ?`, now.UnixMilli())
	if res.Error != nil {
		return 0, fmt.Errorf("sweep rate limits: %w", res.Error)
	}
	return res.RowsAffected, nil
}

// CountRateLimits returns how many counters are stored, for tests and the operator.
func (db *DB) CountRateLimits(ctx context.Context) (int64, error) {
	var n int64
	err := db.q(ctx).Raw(`SELECT COUNT(*) FROM rate_limits`).Scan(&n).Error
	return n, err
}
