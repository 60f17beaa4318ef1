package evidence

import (
	"bytes"
	"context"
	"sort"
	"sync"
	"testing"
	"time"

	"routewarden/internal/mrt"
	rw "routewarden/internal/routewarden"
	"routewarden/internal/rpki"
	"routewarden/internal/store/storetest"
)

// A synthetic full table: 100,000 prefixes seen from 10 peers each = 1,000,000 routes with
// paths, and about 700,000 VRPs.
var (
	fullOnce sync.Once
	fullRIB  []byte
	fullVRPs []byte
	fullData *Data
)

func fullTable(b *testing.B) *Data {
	b.Helper()
	fullOnce.Do(func() {
		var rib bytes.Buffer
		if _, err := (mrt.SyntheticRIB{Prefixes: 100_000, Peers: 40, PeersPerPrefix: 10, Seed: 1}).WriteTo(&rib); err != nil {
			b.Fatal(err)
		}
		var vrps, routes bytes.Buffer
		if _, err := rpki.Synthesize(rpki.SynthConfig{Seed: 1, VRPs: 700_000, Routes: 1}, &vrps, &routes); err != nil {
			b.Fatal(err)
		}
		fullRIB, fullVRPs = rib.Bytes(), vrps.Bytes()
		d := NewData()
		for i, f := range []struct {
			kind, name string
			data       []byte
		}{{"routes", "rib.mrt", fullRIB}, {"vrps", "vrps.json", fullVRPs}} {
			p, err := Parse(f.kind, []File{{f.name, f.data}})
			if err != nil {
				b.Fatal(err)
			}
			d.Use(&rw.Snapshot{ID: int64(i + 1), Kind: f.kind, Source: f.name}, p)
		}
		fullData = d
	})
	return fullData
}

// busiest returns the n ASNs originating the most routes.
func busiest(d *Data, n int) []uint32 {
	type kv struct {
		asn uint32
		n   int
	}
	var all []kv
	for a, idx := range d.Routes.byOrigin {
		all = append(all, kv{a, len(idx)})
	}
	sort.Slice(all, func(i, j int) bool { return all[i].n > all[j].n || all[i].n == all[j].n && all[i].asn < all[j].asn })
	out := make([]uint32, 0, n)
	for _, x := range all[:min(n, len(all))] {
		out = append(out, x.asn)
	}
	return out
}

// BenchmarkParseFullRIB reads 1M MRT routes into the indexed route set.
func BenchmarkParseFullRIB(b *testing.B) {
	fullTable(b)
	b.SetBytes(int64(len(fullRIB)))
	var n int64
	for b.Loop() {
		p, err := Parse("routes", []File{{"rib.mrt", fullRIB}})
		if err != nil {
			b.Fatal(err)
		}
		n += p.Routes.Announced
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "routes/s")
}

// BenchmarkChecksOneASN runs all checks for the ASN that originates the most routes.
func BenchmarkChecksOneASN(b *testing.B) {
	d := fullTable(b)
	asn := busiest(d, 1)[0]
	for b.Loop() {
		Run(d, Target{ASN: asn}, time.Unix(0, 0))
	}
	b.ReportMetric(float64(len(d.Routes.Originated(asn))), "originated")
	b.ReportMetric(float64(len(d.Routes.Transit(asn))), "transit")
}

// BenchmarkChecksBusiestTransit runs all checks for the ASN on the most paths (not as origin).
func BenchmarkChecksBusiestTransit(b *testing.B) {
	d := fullTable(b)
	var asn uint32
	for a, idx := range d.Routes.byAS {
		if len(idx) > len(d.Routes.byAS[asn]) {
			asn = a
		}
	}
	b.ReportMetric(float64(len(d.Routes.byAS[asn])), "paths")
	for b.Loop() {
		Run(d, Target{ASN: asn}, time.Unix(0, 0))
	}
}

// BenchmarkChecksPortfolio runs all checks for 1,000 vendors × 3 ASNs.
func BenchmarkChecksPortfolio(b *testing.B) {
	d := fullTable(b)
	asns := busiest(d, 3000)
	for b.Loop() {
		for _, a := range asns {
			Run(d, Target{ASN: a}, time.Unix(0, 0))
		}
	}
}

// BenchmarkImportFullRIB parses, compresses and stores 1M routes in SQLite, all or nothing.
func BenchmarkImportFullRIB(b *testing.B) {
	fullTable(b)
	db := storetest.SQLite(b)
	for b.Loop() {
		if _, _, err := Import(context.Background(), db, "routes", "bench", []File{{"rib.mrt", fullRIB}}, false); err != nil {
			b.Fatal(err)
		}
	}
}
