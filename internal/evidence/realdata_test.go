package evidence

import (
	"net/netip"
	"os"
	"path/filepath"
	"testing"
	"time"

	rw "routewarden/internal/routewarden"
	"routewarden/internal/rpki"
)

// realData reads the RIS updates of 2010-07-22 (bgpdump -m text) and a real VRP excerpt.
func realData(t *testing.T) *Data {
	t.Helper()
	d := NewData()
	for i, f := range []struct{ kind, name string }{
		{"routes", "updates.20100722.2015.gz.bgp.gz"}, {"vrps", "cmd_stayrtr_test.rpki.json"},
	} {
		b, err := os.ReadFile(filepath.Join("testdata", f.name))
		if err != nil {
			t.Fatal(err)
		}
		p, err := Parse(f.kind, []File{{f.name, b}})
		if err != nil {
			t.Fatal(err)
		}
		d.Use(&rw.Snapshot{ID: int64(i + 1), Kind: f.kind, Source: f.name, DataTime: p.DataTime}, p)
	}
	return d
}

// TestRealDataDistinctPrefixes: on real RIS data, the per-prefix figures equal an independent
// count of distinct prefixes, while the same data counted per (prefix, path) is larger for the
// networks seen by several peers (issue 12 item 6).
func TestRealDataDistinctPrefixes(t *testing.T) {
	d := realData(t)
	now := time.Unix(0, 0)
	multi, checked := 0, 0
	for asn := range d.Routes.byOrigin {
		routes := d.Routes.Originated(asn)
		invalid, covered := map[netip.Prefix]bool{}, map[netip.Prefix]bool{}
		all := map[netip.Prefix]bool{}
		for _, rt := range routes {
			all[rt.Prefix] = true
			switch d.VRPs.Validate(rt.Prefix, asn, true) {
			case rpki.Invalid:
				invalid[rt.Prefix] = true
			case rpki.Valid:
				covered[rt.Prefix] = true
			}
		}
		if len(routes) > len(all) {
			multi++
		}
		res := byCheck(run(d, Target{ASN: asn}, now, append(append([]rw.CheckDef{}, rw.Checks...), rw.ProposedChecks...)))
		if r := res["rpki.invalid-originations"]; r.Figure == nil || int(*r.Figure) != len(invalid) {
			t.Errorf("AS%d: invalid originations %v, want %d distinct prefixes", asn, r.Figure, len(invalid))
		}
		r := res["routes.too-specific"]
		if r.Figure == nil || int(*r.Figure) > len(all)+len(d.Routes.Transit(asn)) {
			t.Errorf("AS%d: too-specific %v beyond its prefixes", asn, r.Figure)
		}
		checked++
	}
	if multi == 0 || checked < 50 {
		t.Fatalf("the real data exercises too little: %d origins, %d seen on several paths", checked, multi)
	}
}
