package report

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"routewarden/internal/evidence"
	rw "routewarden/internal/routewarden"
)

// parse builds a data set of kind from text through the evidence engine's own parser.
func parse(t testing.TB, kind, name, text string) *evidence.Parsed {
	t.Helper()
	p, err := evidence.Parse(kind, []evidence.File{{Name: name, Data: []byte(text)}})
	if err != nil {
		t.Fatalf("%s: %v", kind, err)
	}
	return p
}

// ribOf renders "prefix|path" lines as a bgpdump -m table dump.
func ribOf(lines ...string) string {
	var b strings.Builder
	for _, l := range lines {
		pfx, path, _ := strings.Cut(l, "|")
		peer := strings.Fields(path)[0]
		fmt.Fprintf(&b, "TABLE_DUMP2|1700000000|B|10.0.0.1|%s|%s|%s|IGP|10.0.0.1|0|0||NAG||\n", peer, pfx, path)
	}
	return b.String()
}

// The as-rel world of the tests: 100 and 200 are transit providers of vendor AS 10; 300 peers
// with 10; 400 is a customer of 10; 500 is an IXP route server (header); 20 is a second vendor
// behind 100 only; 30 is a vendor whose neighbour 600 has no known relation.
const testRel = `# input clique: 100 200
# IXP ASes: 500
100|200|0
100|10|-1
100|11|-1
200|10|-1
10|300|0
10|400|-1
100|20|-1
300|900|-1
900|400|-1
400|401|-1
`

func TestUpstreamInference(t *testing.T) {
	rel := parse(t, "asrel", "rel.txt", testRel).ASRel
	cases := []struct {
		name                          string
		paths                         []string // for AS 10
		ups, peers, unknown, leaks    []uint32
		customers                     []uint32
		skippedSet, direct, wantRoute int
	}{
		{name: "provider", paths: []string{"100 10"}, ups: []uint32{100}, wantRoute: 1},
		{name: "prepending", paths: []string{"100 10 10 10"}, ups: []uint32{100}, wantRoute: 1},
		{name: "prepending by the upstream", paths: []string{"200 200 10"}, ups: []uint32{200}, wantRoute: 1},
		{name: "two providers", paths: []string{"100 10", "200 10"}, ups: []uint32{100, 200}, wantRoute: 2},
		{name: "peer is not an upstream", paths: []string{"300 10"}, peers: []uint32{300}, wantRoute: 1},
		// A customer that feeds the collector itself leaks nothing; one that passes the route up
		// to its other provider (900) does; one that passes it down to its customer does not.
		{name: "customer feeding the collector", paths: []string{"400 10"}, customers: []uint32{400}, wantRoute: 1},
		{name: "customer passing the route to its provider leaks", paths: []string{"900 400 10"}, customers: []uint32{400}, leaks: []uint32{400}, wantRoute: 1},
		{name: "customer passing the route to its customer", paths: []string{"401 400 10"}, customers: []uint32{400}, wantRoute: 1},
		{name: "unknown relation is unknown", paths: []string{"700 10"}, unknown: []uint32{700}, wantRoute: 1},
		{name: "route server is transparent: peer behind it", paths: []string{"300 500 10"}, peers: []uint32{300}, wantRoute: 1},
		{name: "route server then provider", paths: []string{"100 500 10"}, ups: []uint32{100}, wantRoute: 1},
		{name: "private ASN skipped", paths: []string{"100 64512 10"}, ups: []uint32{100}, wantRoute: 1},
		{name: "32-bit private ASN skipped", paths: []string{"200 4200000001 10"}, ups: []uint32{200}, wantRoute: 1},
		{name: "AS_SET path not used", paths: []string{"100 {300,400} 10"}, skippedSet: 1, wantRoute: 1},
		{name: "direct neighbour of the collector", paths: []string{"10"}, direct: 1, wantRoute: 1},
		{name: "own second ASN passed over", paths: []string{"100 11 10"}, ups: []uint32{100}, wantRoute: 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var lines []string
			for i, p := range c.paths {
				lines = append(lines, fmt.Sprintf("192.0.%d.0/24|%s", i, p))
			}
			routes := parse(t, "routes", "rib.txt", ribOf(lines...)).Routes
			v := &rw.Vendor{ID: 1, LegalName: "V", Networks: []*rw.Network{{ASN: 10}, {ASN: 11}},
				Services: []*rw.Service{{ID: 1, Name: "S", Critical: true}}}
			r := ComputeConcentration(ConcentrationInput{Vendors: []*rw.Vendor{v}, Routes: routes, ASRel: rel})
			var va *VendorASN
			for i := range r.VendorASNs {
				if r.VendorASNs[i].ASN == 10 {
					va = &r.VendorASNs[i]
				}
			}
			if va == nil {
				t.Fatal("no inference for AS10")
			}
			eq := func(what string, got, want []uint32) {
				if !slices.Equal(got, want) && !(len(got) == 0 && len(want) == 0) {
					t.Errorf("%s = %v, want %v", what, got, want)
				}
			}
			eq("upstreams", va.Upstreams, c.ups)
			eq("peers", va.Peers, c.peers)
			eq("unknown", va.Unknown, c.unknown)
			eq("customers", va.Customers, c.customers)
			eq("leaks", va.Leaks, c.leaks)
			if va.SkippedSet != c.skippedSet || va.Direct != c.direct || va.Routes != c.wantRoute {
				t.Errorf("skipped set %d direct %d routes %d, want %d %d %d", va.SkippedSet, va.Direct, va.Routes, c.skippedSet, c.direct, c.wantRoute)
			}
			if len(c.ups) == 0 && (len(r.NoUpstreamServices) != 1 || r.NoUpstreamServices[0].Reason == "") {
				t.Errorf("want the service listed without upstream and a reason, got %+v", r.NoUpstreamServices)
			}
		})
	}
}

func TestPortfolio(t *testing.T) {
	rel := parse(t, "asrel", "rel.txt", testRel).ASRel
	routes := parse(t, "routes", "rib.txt", ribOf(
		"192.0.2.0/24|100 10", "192.0.2.0/24|200 10", // AS10: providers 100 and 200
		"198.51.100.0/24|200 100 20", // AS20: provider 100 only (200 beyond it)
		"203.0.113.0/24|100 600 30",  // AS30: 600, relation unknown
	)).Routes
	cs := func(id int64, crit bool) []*rw.Service {
		return []*rw.Service{{ID: id, Name: fmt.Sprint("svc", id), Critical: crit}}
	}
	vendors := []*rw.Vendor{
		{ID: 1, LegalName: "Ten", Networks: []*rw.Network{{ASN: 10}}, Services: cs(1, true)},
		{ID: 2, LegalName: "Twenty", Networks: []*rw.Network{{ASN: 20}}, Services: cs(2, true)},
		{ID: 3, LegalName: "Thirty", Networks: []*rw.Network{{ASN: 30}}, Services: cs(3, false)},
		{ID: 4, LegalName: "NoNet", Services: cs(4, false)},
	}
	two, one := 2, 1
	declared := map[int64]Declared{
		2: {AssessmentID: 7, Count: &two, ASNs: []uint32{100, 200}},
		1: {AssessmentID: 8, Count: &one, ASNs: []uint32{100}},
	}
	r := ComputeConcentration(ConcentrationInput{Vendors: vendors, Routes: routes, ASRel: rel, Declared: declared})
	if len(r.Upstreams) != 2 || r.Upstreams[0].ASN != 100 {
		t.Fatalf("upstreams = %+v, want 100 first then 200", r.Upstreams)
	}
	u := r.Upstreams[0]
	if len(u.Services) != 2 || u.CriticalServices != 2 || !u.Shared || u.CriticalShare != 1 {
		t.Errorf("AS100: %+v", u)
	}
	if len(u.LoseAll) != 1 || u.LoseAll[0].VendorID != 2 || len(u.LoseSome) != 1 || u.LoseSome[0].VendorID != 1 {
		t.Errorf("what-if AS100: all %+v some %+v", u.LoseAll, u.LoseSome)
	}
	// AS200 sits beyond AS100 on AS20's only path: losing it costs AS20 all its paths too.
	if w := r.Upstreams[1]; w.ASN != 200 || len(w.LoseAll) != 1 || w.LoseAll[0].VendorID != 2 || len(w.LoseSome) != 1 {
		t.Errorf("what-if AS200: %+v", w)
	}
	if len(r.SingleUpstreamServices) != 1 || r.SingleUpstreamServices[0].VendorID != 2 {
		t.Errorf("single upstream = %+v", r.SingleUpstreamServices)
	}
	if len(r.NoUpstreamServices) != 2 {
		t.Errorf("no upstream = %+v", r.NoUpstreamServices)
	}
	// Weights: AS10's service 0.5/0.5, AS20's 1 on AS100 → shares 0.75 and 0.25 → HHI 6250.
	if r.HHI == nil || *r.HHI != 6250 {
		t.Errorf("HHI = %v, want 6250", r.HHI)
	}
	var msgs []string
	for _, d := range r.Discrepancies {
		msgs = append(msgs, fmt.Sprintf("%d %s %s", d.VendorID, d.Control, d.Message))
	}
	want := []string{
		"1 RS-RES-01 The number of upstream providers declared differs from the number observed in BGP paths.",
		"1 RS-GOV-08 Upstream observed in BGP paths but not declared: AS200.",
		"2 RS-RES-01 Declared as multi-homed, but only one upstream is observed in BGP paths.",
		"2 RS-RES-01 Declared upstream not observed as a provider in any BGP path: AS200.",
	}
	if !slices.Equal(msgs, want) {
		t.Errorf("discrepancies:\n%s\nwant\n%s", strings.Join(msgs, "\n"), strings.Join(want, "\n"))
	}
}

func TestConcentrationWithoutData(t *testing.T) {
	v := &rw.Vendor{ID: 1, LegalName: "V", Networks: []*rw.Network{{ASN: 10}}, Services: []*rw.Service{{ID: 1, Name: "S"}}}
	r := ComputeConcentration(ConcentrationInput{Vendors: []*rw.Vendor{v}})
	if r.Unknown == "" || len(r.Upstreams) != 0 || r.HHI != nil || len(r.NoUpstreamServices) != 1 || r.NoUpstreamServices[0].Reason != r.Unknown {
		t.Errorf("got %+v", r)
	}
}

func TestParseDeclaredASNs(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []uint32
	}{
		{"AS64496 (transit), as 3356 and AS-SET AS-FOO", []uint32{3356, 64496}},
		{"Lumen, Cogent", nil},
		{"AS99999999999", nil},
	} {
		t.Run(c.in, func(t *testing.T) {
			if got := ParseDeclaredASNs(c.in); !slices.Equal(got, c.want) && !(len(got) == 0 && len(c.want) == 0) {
				t.Errorf("got %v, want %v", got, c.want)
			}
		})
	}
}

// What the vendor declared about its upstreams leaves out the answers pre-filled from our own
// measurement: the vendor cannot change them, so they are not its declaration.
func TestDeclaredLeavesOutMeasured(t *testing.T) {
	ans := func(q string, measured bool, v string) *rw.Answer {
		return &rw.Answer{QuestionID: q, Measured: measured, Values: []string{v}}
	}
	if d := declaredOf(7, []*rw.Answer{ans(qUpstreamCount, true, "0")}); d != nil {
		t.Errorf("a measured count alone is a declaration: %+v", d)
	}
	d := declaredOf(7, []*rw.Answer{ans(qUpstreamCount, true, "0"), ans(qUpstreamNames, false, "AS64510 (primary) and AS64496 (backup)")})
	if d == nil || d.Count != nil || !slices.Equal(d.ASNs, []uint32{64496, 64510}) || d.AssessmentID != 7 {
		t.Errorf("declared %+v; want no count and AS64496, AS64510 from assessment 7", d)
	}
	d = declaredOf(8, []*rw.Answer{ans(qUpstreamCount, false, "2")})
	if d == nil || d.Count == nil || *d.Count != 2 {
		t.Errorf("a count the vendor gave is not declared: %+v", d)
	}
}
