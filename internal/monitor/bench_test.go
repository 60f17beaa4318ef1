package monitor_test

import (
	"bytes"
	"context"
	"fmt"
	"sort"
	"syscall"
	"testing"
	"time"

	"routewarden/controls"
	"routewarden/internal/evidence"
	"routewarden/internal/monitor"
	"routewarden/internal/mrt"
	rw "routewarden/internal/routewarden"
	"routewarden/internal/rpki"
	"routewarden/internal/store/storetest"
)

// BenchmarkMonitorRun is one monitor pass (re-check, history, rules, alerts) over 1,000
// vendors with 1–4 ASNs each (2,500 ASNs) against a synthetic full table: 1,000,000 routes with
// paths and 700,000 VRPs, on a real SQLite database. The first pass (which stores every
// result once) is outside the timing; each timed pass is a steady-state re-check.
func BenchmarkMonitorRun(b *testing.B) {
	var rib, vrps, routes bytes.Buffer
	if _, err := (mrt.SyntheticRIB{Prefixes: 100_000, Peers: 40, PeersPerPrefix: 10, Seed: 1}).WriteTo(&rib); err != nil {
		b.Fatal(err)
	}
	if _, err := rpki.Synthesize(rpki.SynthConfig{Seed: 1, VRPs: 700_000, Routes: 1}, &vrps, &routes); err != nil {
		b.Fatal(err)
	}
	d := evidence.NewData()
	for i, f := range []struct {
		kind, name string
		data       []byte
	}{{"routes", "rib.mrt", rib.Bytes()}, {"vrps", "vrps.json", vrps.Bytes()}} {
		p, err := evidence.Parse(f.kind, []evidence.File{{Name: f.name, Data: f.data}})
		if err != nil {
			b.Fatal(err)
		}
		d.Use(&rw.Snapshot{ID: int64(i + 1), Kind: f.kind, Source: f.name, ImportedAt: time.Now()}, p)
	}
	count := map[uint32]int{}
	d.Routes.Each(func(r evidence.Route) {
		if r.Path.OriginKnown && r.Path.Origin != 0 {
			count[r.Path.Origin]++
		}
	})
	origins := make([]uint32, 0, len(count))
	for a := range count {
		origins = append(origins, a)
	}
	sort.Slice(origins, func(i, j int) bool {
		return count[origins[i]] > count[origins[j]] || count[origins[i]] == count[origins[j]] && origins[i] < origins[j]
	})
	db := storetest.SQLite(b)
	ctx := context.Background()
	next := 0
	for i := range 1000 {
		v := &rw.Vendor{LegalName: fmt.Sprintf("Bench Carrier %04d AG", i), Country: "DE"}
		for range 1 + i%4 {
			v.Networks = append(v.Networks, &rw.Network{ASN: origins[next]})
			next++
		}
		if err := db.CreateVendor(ctx, v); err != nil {
			b.Fatal(err)
		}
	}
	rules, err := monitor.LoadRules(controls.AlertRules, nil)
	if err != nil {
		b.Fatal(err)
	}
	run := &monitor.Runner{Store: db, Rules: rules, Now: db.Now, Data: func(context.Context) (*evidence.Data, error) { return d, nil }}
	if _, err := run.Run(ctx); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	var s *monitor.Summary
	cpu0 := cpuTime()
	for b.Loop() {
		if s, err = run.Run(ctx); err != nil {
			b.Fatal(err)
		}
	}
	// CPU seconds per pass stay meaningful on a busy machine, where wall time does not.
	b.ReportMetric((cpuTime()-cpu0).Seconds()/float64(b.N), "cpu-s/op")
	b.ReportMetric(float64(s.Run.ASNs), "asns")
	b.ReportMetric(float64(s.Run.Results), "results")
	b.ReportMetric(float64(s.Run.Changes), "changes")
}

// cpuTime is the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
