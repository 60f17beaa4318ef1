package web

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// TestLimiterManyKeysKeepCounts: a spray of more keys than the old limiter's 10,000 (at which it
// wiped every count) leaves a limited key limited; expired keys are swept, current ones kept.
func TestLimiterManyKeysKeepCounts(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 12, 4, 10, 0, 5, 0, time.UTC)
	rates := newMemoryRates()
	s := &Server{now: func() time.Time { return now }, rates: rates}
	l := s.newLimiter("login", 5, time.Minute)
	allow := func(key string) bool {
		ok, err := l.allow(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	for i := range 5 {
		if !allow("ip:192.0.2.1") {
			t.Fatalf("attempt %d refused", i+1)
		}
	}
	for i := range 10_050 {
		allow(fmt.Sprintf("email:spray%d@example.com", i))
	}
	if allow("ip:192.0.2.1") {
		t.Fatal("a spray of 10,050 other keys reset the limited key")
	}
	// Half a window into the next one, half the old hits (6: the refused one counts) still
	// weigh: 6/2 + 1 ≤ 5.
	now = now.Add(85 * time.Second)
	if !allow("ip:192.0.2.1") {
		t.Error("the limit did not slide open")
	}
	// A window later the spray has expired and is swept; the two addresses stay.
	now = now.Add(60 * time.Second)
	allow("ip:192.0.2.2")
	if n := len(rates.keys); n != 2 {
		t.Errorf("%d counters after the sweep, want the 2 addresses", n)
	}
}
