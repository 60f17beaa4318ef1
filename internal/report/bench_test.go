package report

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"routewarden/internal/evidence"
	"routewarden/internal/mrt"
	rw "routewarden/internal/routewarden"
)

// BenchmarkConcentration is the concentration report over 1,000 vendors with 1–4 ASNs each
// (the busiest origins of the table) and two services each, against a synthetic full table of
// 1,000,000 routes with paths, with an as-rel file that makes every link of those paths a
// provider–customer link (the left AS the provider) and every tenth a peering.
func BenchmarkConcentration(b *testing.B) {
	var rib bytes.Buffer
	if _, err := (mrt.SyntheticRIB{Prefixes: 100_000, Peers: 40, PeersPerPrefix: 10, Seed: 1}).WriteTo(&rib); err != nil {
		b.Fatal(err)
	}
	p, err := evidence.Parse("routes", []evidence.File{{Name: "rib.mrt", Data: rib.Bytes()}})
	if err != nil {
		b.Fatal(err)
	}
	routes := p.Routes
	count := map[uint32]int{}
	links := map[[2]uint32]bool{}
	routes.Each(func(r evidence.Route) {
		if r.Path.OriginKnown && r.Path.Origin != 0 {
			count[r.Path.Origin]++
		}
		d := r.Path.Dedup()
		for i := 1; i < len(d); i++ {
			a, c := d[i-1], d[i]
			if !links[[2]uint32{c, a}] {
				links[[2]uint32{a, c}] = true
			}
		}
	})
	var rel strings.Builder
	n := 0
	for l := range links {
		kind := -1
		if n%10 == 0 {
			kind = 0
		}
		n++
		fmt.Fprintf(&rel, "%d|%d|%d\n", l[0], l[1], kind)
	}
	g, err := evidence.Parse("asrel", []evidence.File{{Name: "rel.txt", Data: []byte(rel.String())}})
	if err != nil {
		b.Fatal(err)
	}
	origins := make([]uint32, 0, len(count))
	for a := range count {
		origins = append(origins, a)
	}
	sort.Slice(origins, func(i, j int) bool {
		return count[origins[i]] > count[origins[j]] || count[origins[i]] == count[origins[j]] && origins[i] < origins[j]
	})
	var vendors []*rw.Vendor
	next := 0
	for i := range 1000 {
		v := &rw.Vendor{ID: int64(i + 1), LegalName: fmt.Sprintf("Bench Carrier %04d AG", i)}
		for range 1 + i%4 {
			v.Networks = append(v.Networks, &rw.Network{ASN: origins[next%len(origins)]})
			next++
		}
		v.Services = []*rw.Service{{ID: int64(2*i + 1), Name: "transit", Critical: i%3 == 0}, {ID: int64(2*i + 2), Name: "colo"}}
		vendors = append(vendors, v)
	}
	in := ConcentrationInput{Vendors: vendors, Routes: routes, ASRel: g.ASRel}
	b.ReportAllocs()
	b.ResetTimer()
	var r *Concentration
	cpu0 := cpuTime()
	for b.Loop() {
		r = ComputeConcentration(in)
	}
	b.ReportMetric((cpuTime()-cpu0).Seconds()/float64(b.N), "cpu-s/op")
	b.ReportMetric(float64(routes.Len()), "routes")
	b.ReportMetric(float64(len(r.Upstreams)), "upstreams")
	paths := 0
	for _, va := range r.VendorASNs {
		paths += va.Routes
	}
	b.ReportMetric(float64(paths), "vendor-routes")
}

// cpuTime is the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
