package web

import (
	"context"
	"fmt"
	"sync"
	"time"

	rw "routewarden/internal/routewarden"
)

// limiter allows about n attempts per key in any window-long stretch of time. The counters live
// in a rw.RateLimitStore (the database, in serve), so that every instance on one database
// enforces one limit. The estimate is the classic sliding window over two fixed windows: the
// current window's hits plus the previous window's weighted by how much of it still overlaps.
// Every attempt counts, refused ones too, so hammering does not reopen the door sooner.
type limiter struct {
	name   string // keeps the keys of different limiters apart
	n      int
	window time.Duration
	now    func() time.Time
	store  rw.RateLimitStore

	mu        sync.Mutex
	lastSweep time.Time
}

func (s *Server) newLimiter(name string, n int, window time.Duration) *limiter {
	return &limiter{name: name, n: n, window: window, now: s.now, store: s.rates}
}

// allow records an attempt for key and reports whether it is within the limit. A store error is
// returned, and the caller refuses the attempt: a limit that cannot be checked is not lifted.
func (l *limiter) allow(ctx context.Context, key string) (bool, error) {
	now := l.now()
	l.sweep(ctx, now)
	rc, err := l.store.HitRateLimit(ctx, l.name+"|"+key, l.window, now)
	if err != nil {
		return false, fmt.Errorf("rate limit %s: %w", l.name, err)
	}
	return estimate(rc, l.window, now) <= float64(l.n), nil
}

func estimate(rc rw.RateCount, window time.Duration, now time.Time) float64 {
	overlap := 1 - float64(now.Sub(rc.WindowStart))/float64(window)
	return float64(rc.Hits) + float64(rc.PrevHits)*min(max(overlap, 0), 1)
}

// sweep deletes expired counters at most once per window per limiter: storage stays bounded by
// the keys seen in the last two windows, and no counter that still matters is ever dropped.
func (l *limiter) sweep(ctx context.Context, now time.Time) {
	l.mu.Lock()
	due := now.Sub(l.lastSweep) >= l.window
	if due {
		l.lastSweep = now
	}
	l.mu.Unlock()
	if due {
		_, _ = l.store.SweepRateLimits(ctx, now)
	}
}

// memoryRates is the rw.RateLimitStore used when Deps.RateLimits is not set (tests and
// embeddings with one process): the same fixed windows in memory, with the same sweep of expired
// counters and no reset of the whole map.
type memoryRates struct {
	mu   sync.Mutex
	keys map[string]*memoryRate
}

type memoryRate struct {
	start   int64 // Unix milliseconds
	expires int64
	hits    int
	prev    int
}

func newMemoryRates() *memoryRates { return &memoryRates{keys: map[string]*memoryRate{}} }

func (m *memoryRates) HitRateLimit(_ context.Context, key string, window time.Duration, now time.Time) (rw.RateCount, error) {
	w := window.Milliseconds()
	start := now.UnixMilli() / w * w
	m.mu.Lock()
	defer m.mu.Unlock()
	r := m.keys[key]
	switch {
	case r == nil:
		r = &memoryRate{}
		m.keys[key] = r
	case r.start == start:
	case r.start == start-w:
		r.prev, r.hits = r.hits, 0
	default:
		r.prev, r.hits = 0, 0
	}
	r.start, r.expires = start, start+2*w
	r.hits++
	return rw.RateCount{Hits: r.hits, PrevHits: r.prev, WindowStart: time.UnixMilli(start).UTC()}, nil
}

func (m *memoryRates) SweepRateLimits(_ context.Context, now time.Time) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var n int64
	for k, r := range m.keys {
		if r.expires <= now.UnixMilli() {
			delete(m.keys, k)
			n++
		}
	}
	return n, nil
}
