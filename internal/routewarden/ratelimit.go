package routewarden

import (
	"context"
	"time"
)

// RateCount is what a rate-limit store knows about one key after recording a hit: the hits of
// the current fixed window (including this one), those of the window just before it, and when
// the current window started.
type RateCount struct {
	Hits, PrevHits int
	WindowStart    time.Time
}

// RateLimitStore keeps rate-limit counters where every instance of the server sees them.
type RateLimitStore interface {
	// HitRateLimit records one hit for key in fixed windows of length window, atomically (two
	// instances hitting one key at once both count), and returns the counts. Only a hash of
	// key is stored.
	HitRateLimit(ctx context.Context, key string, window time.Duration, now time.Time) (RateCount, error)
	// SweepRateLimits deletes the counters that no longer matter at now and returns how many.
	SweepRateLimits(ctx context.Context, now time.Time) (int64, error)
}
