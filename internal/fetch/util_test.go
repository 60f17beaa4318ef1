package fetch

import (
	"context"
	"testing"
	"time"
)

func TestRedact(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://stat.ripe.net/data/x/data.json?resource=AS3333", "https://stat.ripe.net/data/x/data.json?resource=AS3333"},
		{"https://h/p?api_key=abc&asn=1", "https://h/p?api_key=REDACTED&asn=1"},
		{"https://user:pw@h/p", "https://REDACTED@h/p"},
		{"://bad", "(unparseable URL)"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := Redact(tt.in); got != tt.want {
				t.Errorf("Redact(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
	}{
		{"", 0}, {"7", 7 * time.Second}, {" 12 ", 12 * time.Second}, {"-3", 0}, {"1.5", 0}, {"soon", 0},
		{"Fri, 27 Nov 2026 12:00:30 GMT", 30 * time.Second},
		{"Fri, 27 Nov 2026 11:00:00 GMT", 0},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := parseRetryAfter(tt.in, now); got != tt.want {
				t.Errorf("parseRetryAfter(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestBackoffCapped(t *testing.T) {
	c, _ := newTestClient(Config{BaseDelay: time.Second, MaxDelay: 5 * time.Second})
	want := []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 5 * time.Second, 5 * time.Second}
	for i, w := range want {
		if got := c.backoff(i + 1); got != w {
			t.Errorf("backoff(%d) = %v, want %v", i+1, got, w)
		}
	}
	real := New(Config{BaseDelay: time.Second})
	for i := 0; i < 100; i++ {
		if d := real.backoff(1); d < 0 || d > time.Second {
			t.Fatalf("jittered backoff %v outside [0, 1s]", d)
		}
	}
}

func TestLimiter(t *testing.T) {
	now := time.Unix(0, 0)
	l := NewLimiter(2, 3) // 2 per second, burst 3
	l.now = func() time.Time { return now }
	var waits []time.Duration
	l.sleep = func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil }
	for i := 0; i < 5; i++ {
		if err := l.Wait(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	// Three from the burst, then 0.5 s and 1 s of debt.
	want := []time.Duration{500 * time.Millisecond, time.Second}
	if len(waits) != 2 || waits[0] != want[0] || waits[1] != want[1] {
		t.Fatalf("waits = %v, want %v", waits, want)
	}
	now = now.Add(10 * time.Second) // refills to the burst, not beyond
	waits = nil
	for i := 0; i < 4; i++ {
		_ = l.Wait(context.Background())
	}
	if len(waits) != 1 {
		t.Errorf("after refill waits = %v, want exactly one wait", waits)
	}
}
