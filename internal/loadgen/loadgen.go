// Package loadgen drives HTTP scenarios against a server for a bounded time and summarises
// throughput, latency percentiles, errors and memory. It measures; it never decides what is
// fast enough.
package loadgen

import (
	"context"
	"fmt"
	"io"
	"math"
	"slices"
	"sync"
	"time"
)

// Scenario is one kind of request, sent by Workers concurrent clients in a closed loop (each
// sends its next request when the previous one is answered).
type Scenario struct {
	Name    string
	Workers int
	// Do sends one request as worker w (0 ≤ w < Workers) and returns an error for anything but
	// the expected answer. i counts that worker's requests from 0.
	Do func(ctx context.Context, w, i int) error
}

// Result summarises one run of a scenario.
type Result struct {
	Name     string
	Workers  int
	Requests int
	Errors   int
	Elapsed  time.Duration
	P50, P99 time.Duration
	Mean     time.Duration
	Max      time.Duration
	// CPU is the CPU time the whole process (server and clients) used during the run; on a
	// shared machine CPU per request says more than latency, which includes waiting for a core.
	CPU time.Duration
	// FirstErrors holds up to five error messages, for the report.
	FirstErrors []string
}

// CPUPerRequest is CPU divided by the requests answered.
func (r Result) CPUPerRequest() time.Duration {
	if r.Requests == 0 {
		return 0
	}
	return r.CPU / time.Duration(r.Requests)
}

// RPS is the number of answered requests per second, errors included.
func (r Result) RPS() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Requests) / r.Elapsed.Seconds()
}

// Run runs sc until d has passed or ctx ends. Requests in flight at the deadline are allowed
// to finish and are counted (cutting them off would turn them into server-side errors).
func Run(ctx context.Context, sc Scenario, d time.Duration) Result {
	workers := max(sc.Workers, 1)
	deadline := time.Now().Add(d)
	lat := make([][]time.Duration, workers)
	errs := make([]int, workers)
	var (
		mu    sync.Mutex
		first []string
		wg    sync.WaitGroup
	)
	start, cpu0 := time.Now(), processCPU()
	for w := range workers {
		wg.Go(func() {
			for i := 0; ctx.Err() == nil && time.Now().Before(deadline); i++ {
				t0 := time.Now()
				err := sc.Do(ctx, w, i)
				if ctx.Err() != nil {
					return // interrupted: neither a success nor a failure
				}
				lat[w] = append(lat[w], time.Since(t0))
				if err != nil {
					errs[w]++
					mu.Lock()
					if len(first) < 5 {
						first = append(first, err.Error())
					}
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	res := Result{Name: sc.Name, Workers: workers, Elapsed: time.Since(start), CPU: processCPU() - cpu0, FirstErrors: first}
	var all []time.Duration
	for w := range workers {
		all = append(all, lat[w]...)
		res.Errors += errs[w]
	}
	res.Requests = len(all)
	slices.Sort(all)
	res.P50, res.P99 = Percentile(all, 50), Percentile(all, 99)
	if n := len(all); n > 0 {
		var sum time.Duration
		for _, x := range all {
			sum += x
		}
		res.Mean, res.Max = sum/time.Duration(n), all[n-1]
	}
	return res
}

// Percentile returns the p-th percentile (0 < p ≤ 100) of sorted by the nearest-rank method:
// the smallest value that at least p percent of the values are less than or equal to. It is 0
// for an empty slice.
func Percentile(sorted []time.Duration, p float64) time.Duration {
	n := len(sorted)
	if n == 0 {
		return 0
	}
	rank := int(math.Ceil(p / 100 * float64(n)))
	return sorted[min(max(rank, 1), n)-1]
}

// WriteHeader writes the column titles of WriteRow.
func WriteHeader(w io.Writer) {
	fmt.Fprintf(w, "%-29s %7s %8s %8s %9s %9s %9s %9s %9s %6s\n", "scenario", "workers", "requests", "req/s", "p50", "p99", "mean", "max", "cpu/req", "errors")
}

// WriteRow writes r as one line of the report, then its first errors.
func WriteRow(w io.Writer, r Result) {
	fmt.Fprintf(w, "%-29s %7d %8d %8.1f %9s %9s %9s %9s %9s %6d\n", r.Name, r.Workers, r.Requests, r.RPS(),
		ms(r.P50), ms(r.P99), ms(r.Mean), ms(r.Max), ms(r.CPUPerRequest()), r.Errors)
	for _, e := range r.FirstErrors {
		fmt.Fprintf(w, "    error: %s\n", e)
	}
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2fms", float64(d)/float64(time.Millisecond)) }
