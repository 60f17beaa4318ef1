package evidence

import (
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"

	rw "routewarden/internal/routewarden"
)

const vrpJSON = `{"metadata":{"buildtime":"2026-11-01T00:00:00Z"},"roas":[
 {"asn":"AS64500","prefix":"192.0.2.0/24","maxLength":24,"ta":"test"},
 {"asn":"AS64500","prefix":"2001:db8::/32","maxLength":48,"ta":"test"},
 {"asn":"AS64501","prefix":"198.51.100.0/24","maxLength":24,"ta":"test"},
 {"asn":"AS0","prefix":"203.0.113.0/24","maxLength":24,"ta":"test"}],
 "aspas":[{"customer":"AS64500","providers":["AS64510"],"ta":"test"}]}`

// Paths: collector peer first, origin last. AS64500 originates four routes (one IPv6), one of
// them RPKI-invalid by length and one not covered; AS64510 propagates an invalid route of AS64502.
const bgpdump = `TABLE_DUMP2|1700000000|B|10.0.0.1|64510|192.0.2.0/24|64510 64500|IGP|10.0.0.1|0|0||NAG||
TABLE_DUMP2|1700000000|B|10.0.0.1|64510|192.0.2.0/25|64510 64500|IGP|10.0.0.1|0|0||NAG||
TABLE_DUMP2|1700000000|B|10.0.0.1|64510|2001:db8:1::/48|64510 64500 64500|IGP|10.0.0.1|0|0||NAG||
TABLE_DUMP2|1700000000|B|10.0.0.2|64520|100.64.0.0/24|64520 64511 64500|IGP|10.0.0.2|0|0||NAG||
TABLE_DUMP2|1700000000|B|10.0.0.1|64510|198.51.100.0/24|64510 64502|IGP|10.0.0.1|0|0||NAG||
TABLE_DUMP2|1700000001|B|10.0.0.1|64510|203.0.113.0/24|64510 64503|IGP|10.0.0.1|0|0||NAG||
TABLE_DUMP2|1700000002|B|10.0.0.1|64510|192.0.2.0/24|64510 64500|IGP|10.0.0.1|0|0||NAG||
`

func testData(t *testing.T) *Data {
	t.Helper()
	d := NewData()
	for i, kf := range []struct{ kind, name, body string }{{"vrps", "vrps.json", vrpJSON}, {"routes", "rib.txt", bgpdump}} {
		p, err := Parse(kf.kind, []File{{kf.name, []byte(kf.body)}})
		if err != nil {
			t.Fatalf("%s: %v", kf.kind, err)
		}
		d.Use(&rw.Snapshot{ID: int64(i + 1), Kind: kf.kind, Source: kf.name}, p)
	}
	return d
}

func byCheck(rs []rw.CheckResult) map[string]rw.CheckResult {
	m := map[string]rw.CheckResult{}
	for _, r := range rs {
		m[r.Check] = r
	}
	return m
}

func TestRouteSetDeduplicates(t *testing.T) {
	d := testData(t)
	if d.Routes.Announced != 7 || d.Routes.Len() != 6 {
		t.Fatalf("announced %d, distinct %d; want 7, 6", d.Routes.Announced, d.Routes.Len())
	}
	if n := len(d.Routes.Originated(64500)); n != 4 {
		t.Errorf("AS64500 originates %d routes, want 4", n)
	}
	if n := len(d.Routes.Transit(64510)); n != 5 {
		t.Errorf("AS64510 transits %d routes, want 5", n)
	}
}

func TestChecks(t *testing.T) {
	d := testData(t)
	res := byCheck(Run(d, Target{ASN: 64500}, time.Unix(0, 0)))
	if len(res) != len(rw.Checks) {
		t.Fatalf("%d results for %d checks", len(res), len(rw.Checks))
	}
	want := map[string]struct {
		status rw.CheckStatus
		figure float64
		text   string
	}{
		// Per family (issue 12 item 13): IPv4 1 of 3, IPv6 1 of 1; the figure is the worse family.
		"rpki.roa-coverage":         {rw.StatusFail, 1.0 / 3, "IPv4 1 of 3"},
		"rpki.score":                {rw.StatusFail, 0.5 - 10*0.25, "10 ×"},
		"rpki.invalid-originations": {rw.StatusFail, 1, "1 of 4"},
		"bogon.prefixes":            {rw.StatusFail, 4, "4 of 4"}, // documentation and shared address space
		"aspa.published":            {rw.StatusPass, 1, "AS64510"},
	}
	for id, w := range want {
		r := res[id]
		if r.Status != w.status || r.Figure == nil || *r.Figure != w.figure || !strings.Contains(r.Summary, w.text) {
			fig := "nil"
			if r.Figure != nil {
				fig = fmt.Sprint(*r.Figure)
			}
			t.Errorf("%s: %s %s %q; want %s %v containing %q", id, r.Status, fig, r.Summary, w.status, w.figure, w.text)
		}
	}
	inv := res["rpki.invalid-originations"]
	if len(inv.Details) != 1 || inv.Details[0].Prefix != "192.0.2.0/25" || !strings.Contains(inv.Details[0].Note, "max-length") {
		t.Errorf("invalid details: %+v", inv.Details)
	}
	// Without the data a check needs, it is unknown with the reason — never pass.
	for _, id := range []string{"irr.route-coverage", "leak.valley-free", "coord.peeringdb-contacts", "manrs.participation", "spoof.sav"} {
		if r := res[id]; r.Status != rw.StatusUnknown || r.Figure != nil || !strings.Contains(r.Summary, "No ") {
			t.Errorf("%s without data: %s %q", id, r.Status, r.Summary)
		}
	}
	// Without AS relationships a neighbour is of unknown relation, never an upstream (item 9).
	for _, id := range []string{"aspa.providers-complete", "upstream.concentration"} {
		if r := res[id]; r.Status != rw.StatusUnknown || !strings.Contains(r.Summary, "AS64510, AS64511") {
			t.Errorf("%s without relationships: %s %q", id, r.Status, r.Summary)
		}
	}
	if r := res["hijack.other-origins"]; r.Status != rw.StatusUnknown {
		t.Errorf("other origins without expected prefixes: %s", r.Status)
	}
}

func TestPropagationAndOtherOrigins(t *testing.T) {
	d := testData(t)
	res := byCheck(Run(d, Target{ASN: 64510}, time.Unix(0, 0)))
	if r := res["rov.invalid-propagation"]; r.Status != rw.StatusFail || *r.Figure != 3 { // by length, by origin, and AS0
		t.Errorf("AS64510 propagation: %s %v %q", r.Status, r.Figure, r.Summary)
	}
	res = byCheck(Run(d, Target{ASN: 64501, Expected: mustPrefixes("198.51.100.0/24")}, time.Unix(0, 0)))
	if r := res["hijack.other-origins"]; r.Status != rw.StatusFail || *r.Figure != 1 || r.Details[0].Origin != 64502 {
		t.Errorf("other origins: %s %v %+v", r.Status, r.Figure, r.Details)
	}
	// An ASN absent from every data set is never pass.
	for _, r := range Run(d, Target{ASN: 64999}, time.Unix(0, 0)) {
		if r.Status == rw.StatusPass {
			t.Errorf("%s passes for an ASN without data: %q", r.Check, r.Summary)
		}
	}
}

func TestParseRefusesBadInput(t *testing.T) {
	cases := map[string][]File{
		"vrps":    {{"bad.json", []byte(`{"roas":[{"asn":"AS1","prefix":"192.0.2.0/33","maxLength":24}]}`)}},
		"routes":  {{"bad.txt", []byte("192.0.2.0/24 AS64500\nnot-a-prefix 1\n")}},
		"unknown": {{"x", []byte("x")}},
	}
	for kind, files := range cases {
		if _, err := Parse(kind, files); err == nil {
			t.Errorf("%s: bad input accepted", kind)
		} else if kind != "unknown" && !strings.Contains(err.Error(), files[0].Name) {
			t.Errorf("%s: error %q does not name the file", kind, err)
		}
	}
}

func mustPrefixes(ss ...string) []netip.Prefix {
	out := make([]netip.Prefix, len(ss))
	for i, s := range ss {
		out[i] = netip.MustParsePrefix(s)
	}
	return out
}

// TestEveryCheckImplemented keeps the catalogue and the engine in step: a catalogued check
// without an implementation would only ever say unknown.
func TestEveryCheckImplemented(t *testing.T) {
	all := append(append([]rw.CheckDef{}, rw.Checks...), rw.ProposedChecks...)
	for _, c := range all {
		if _, ok := registry[c.ID]; !ok {
			t.Errorf("check %s has no implementation", c.ID)
		}
	}
	for _, c := range rw.ProposedChecks {
		if _, ok := rw.FindCheck(c.ID); !ok {
			t.Errorf("proposed check %s is not found by FindCheck (a library could not map it)", c.ID)
		}
	}
	if len(registry) != len(all) {
		t.Errorf("%d implementations for %d catalogued and proposed checks", len(registry), len(all))
	}
}

func TestVRPExportTime(t *testing.T) {
	p, err := Parse("vrps", []File{{"vrps.json", []byte(vrpJSON)}})
	if err != nil {
		t.Fatal(err)
	}
	if p.DataTime == nil || !p.DataTime.Equal(time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("data time %v, want the export's buildtime", p.DataTime)
	}
	for head, want := range map[string]string{
		`{"metadata":{"generated":1700000000,"generatedTime":"2023-11-14T22:13:20Z"}}`: "2023-11-14T22:13:20Z",
		`{"metadata":{"generated":1700000000}}`:                                        "2023-11-14T22:13:20Z",
		`{"roas":[]}`:                                                                  "",
	} {
		tm, ok := exportTime([]byte(head))
		if got := map[bool]string{true: tm.Format(time.RFC3339), false: ""}[ok]; got != want {
			t.Errorf("exportTime(%s) = %q, want %q", head, got, want)
		}
	}
}
