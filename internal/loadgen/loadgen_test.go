package loadgen

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestPercentile(t *testing.T) {
	ms := func(xs ...int) []time.Duration {
		out := make([]time.Duration, len(xs))
		for i, x := range xs {
			out[i] = time.Duration(x) * time.Millisecond
		}
		return out
	}
	hundred := make([]int, 100)
	for i := range hundred {
		hundred[i] = i + 1
	}
	cases := []struct {
		name   string
		sorted []time.Duration
		p      float64
		want   time.Duration
	}{
		{"empty", nil, 50, 0},
		{"one value", ms(7), 99, 7 * time.Millisecond},
		{"median of odd count", ms(1, 2, 3, 4, 5), 50, 3 * time.Millisecond},
		{"median of even count is the lower middle", ms(1, 2, 3, 4), 50, 2 * time.Millisecond},
		{"p99 of 1..100", ms(hundred...), 99, 99 * time.Millisecond},
		{"p100 is the maximum", ms(hundred...), 100, 100 * time.Millisecond},
		{"p99 of ten values is the maximum", ms(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 99, 10 * time.Millisecond},
		{"tiny p is the minimum", ms(3, 4, 5), 0.1, 3 * time.Millisecond},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := Percentile(tc.sorted, tc.p); got != tc.want {
				t.Errorf("Percentile(%v, %v) = %v, want %v", tc.sorted, tc.p, got, tc.want)
			}
		})
	}
}

// TestRunCountsRequestsAndErrors drives a scenario without a network for a moment: every
// request is counted, every third is an error, and the report shows them.
func TestRunCountsRequestsAndErrors(t *testing.T) {
	sc := Scenario{Name: "fake", Workers: 3, Do: func(ctx context.Context, w, i int) error {
		time.Sleep(time.Millisecond)
		if i%3 == 2 {
			return errors.New("status 500")
		}
		return nil
	}}
	res := Run(context.Background(), sc, 100*time.Millisecond)
	if res.Requests < 3 || res.Errors == 0 || res.Errors > res.Requests/2 {
		t.Fatalf("requests %d, errors %d", res.Requests, res.Errors)
	}
	if res.P50 < time.Millisecond || res.P99 < res.P50 || res.Max < res.P99 || res.RPS() <= 0 {
		t.Errorf("p50 %v p99 %v max %v rps %v", res.P50, res.P99, res.Max, res.RPS())
	}
	var out bytes.Buffer
	WriteHeader(&out)
	WriteRow(&out, res)
	if !strings.Contains(out.String(), "fake") || !strings.Contains(out.String(), "error: status 500") {
		t.Errorf("report:\n%s", out.String())
	}
	if m := ReadMemory(); m.HeapLive == 0 || m.Goroutines == 0 {
		t.Errorf("memory: %+v", m)
	}
}
