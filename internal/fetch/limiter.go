package fetch

import (
	"context"
	"sync"
	"time"
)

// Limiter is a token bucket: it holds up to burst tokens, refills at rate tokens per second,
// and each request takes one token, waiting for it if necessary.
type Limiter struct {
	mu     sync.Mutex
	rate   float64
	burst  float64
	tokens float64
	last   time.Time
	now    func() time.Time
	sleep  func(ctx context.Context, d time.Duration) error
}

// NewLimiter returns a full bucket of burst tokens (at least 1) refilled at rate per second.
func NewLimiter(rate float64, burst int) *Limiter {
	if burst < 1 {
		burst = 1
	}
	return &Limiter{rate: rate, burst: float64(burst), tokens: float64(burst), now: time.Now, sleep: sleepCtx}
}

// Wait takes one token, sleeping until one is available or ctx ends.
func (l *Limiter) Wait(ctx context.Context) error {
	d := l.reserve()
	if d <= 0 {
		return ctx.Err()
	}
	return l.sleep(ctx, d)
}

// reserve takes a token (possibly going into debt) and returns how long the caller must wait
// for it.
func (l *Limiter) reserve() time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if !l.last.IsZero() {
		l.tokens = min(l.burst, l.tokens+now.Sub(l.last).Seconds()*l.rate)
	}
	l.last = now
	l.tokens--
	if l.tokens >= 0 {
		return 0
	}
	return time.Duration(-l.tokens / l.rate * float64(time.Second))
}
