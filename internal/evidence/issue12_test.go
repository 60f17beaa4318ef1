package evidence

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"routewarden/controls"
	"routewarden/internal/control"
	rw "routewarden/internal/routewarden"
)

// The reproductions of issue 12 as small data sets. The ASNs and prefixes are real numbers but
// the announcements, ROAs, ASPAs and relationships are synthetic, chosen for each case.

// dataset parses the given kinds (kind → file body) into Data, with the data times the
// snapshots would carry.
func dataset(t *testing.T, files map[string]string) *Data {
	t.Helper()
	d := NewData()
	id := int64(0)
	for _, kind := range rw.SnapshotKinds {
		body, ok := files[kind]
		if !ok {
			continue
		}
		id++
		p, err := Parse(kind, []File{{kind + ".txt", []byte(body)}})
		if err != nil {
			t.Fatalf("%s: %v", kind, err)
		}
		d.Use(&rw.Snapshot{ID: id, Kind: kind, Source: kind + ".txt", DataTime: p.DataTime}, p)
	}
	return d
}

// rib renders bgpdump -m lines from "PREFIX|PATH" pairs, the collector peer being the first AS.
func rib(lines ...string) string {
	var b strings.Builder
	for _, l := range lines {
		prefix, path, _ := strings.Cut(l, "|")
		peer, _, _ := strings.Cut(path, " ")
		fmt.Fprintf(&b, "TABLE_DUMP2|1700000000|B|192.0.2.1|%s|%s|%s|IGP|192.0.2.1|0|0||NAG||\n", peer, prefix, path)
	}
	return b.String()
}

func vrps(roas []string, aspas []string) string {
	var rs []string
	for _, r := range roas { // "PREFIX MAXLEN ASN"
		f := strings.Fields(r)
		rs = append(rs, fmt.Sprintf(`{"asn":"AS%s","prefix":"%s","maxLength":%s,"ta":"test"}`, f[2], f[0], f[1]))
	}
	var as []string
	for _, a := range aspas { // "CUSTOMER PROVIDER..."
		f := strings.Fields(a)
		var ps []string
		for _, p := range f[1:] {
			ps = append(ps, `"AS`+p+`"`)
		}
		as = append(as, fmt.Sprintf(`{"customer":"AS%s","providers":[%s],"ta":"test"}`, f[0], strings.Join(ps, ",")))
	}
	return `{"metadata":{"buildtime":"2023-11-14T00:00:00Z"},"roas":[` + strings.Join(rs, ",") + `],"aspas":[` + strings.Join(as, ",") + `]}`
}

func runOne(t *testing.T, d *Data, tg Target, id string) rw.CheckResult {
	t.Helper()
	for _, r := range run(d, tg, time.Date(2023, 11, 20, 0, 0, 0, 0, time.UTC), append(append([]rw.CheckDef{}, rw.Checks...), rw.ProposedChecks...)) {
		if r.Check == id {
			return r
		}
	}
	t.Fatalf("no result for %s", id)
	return rw.CheckResult{}
}

func fig(r rw.CheckResult) string {
	if r.Figure == nil {
		return "nil"
	}
	return fmt.Sprintf("%.4g", *r.Figure)
}

type want struct {
	check  string
	status rw.CheckStatus
	figure string // "nil" for none
	text   []string
}

func expect(t *testing.T, d *Data, tg Target, ws []want) {
	t.Helper()
	for _, w := range ws {
		t.Run(w.check, func(t *testing.T) {
			r := runOne(t, d, tg, w.check)
			if r.Status != w.status || fig(r) != w.figure {
				t.Errorf("%s %s %q; want %s %s", r.Status, fig(r), r.Summary, w.status, w.figure)
			}
			all := r.Summary
			for _, dt := range r.Details {
				all += "\n" + dt.Prefix + " " + dt.Path + " " + dt.Note
			}
			for _, s := range w.text {
				if !strings.Contains(all, s) {
					t.Errorf("result lacks %q:\n%s", s, all)
				}
			}
		})
	}
}

// Item 6: one invalid prefix seen by three collector peers is one invalid prefix; coverage is
// 1 of 3 prefixes, not 5 of 9 announcements.
func TestIssue12DistinctPrefixes(t *testing.T) {
	d := dataset(t, map[string]string{
		"vrps": vrps([]string{"193.0.0.0/21 21 3333", "193.0.10.0/23 23 12654"}, nil),
		"routes": rib(
			"193.0.0.0/21|1299 3333", "193.0.0.0/21|6939 3333", "193.0.0.0/21|174 1299 3333",
			"193.0.0.0/21|2914 1299 3333", "193.0.0.0/21|3356 1299 3333",
			// AS1299 propagates the invalid prefix to three collector peers: one prefix.
			"193.0.10.0/23|174 1299 3333", "193.0.10.0/23|2914 1299 3333", "193.0.10.0/23|3356 1299 3333",
			"193.0.22.0/23|1299 3333",
		),
	})
	expect(t, d, Target{ASN: 3333}, []want{
		{"rpki.roa-coverage", rw.StatusFail, "0.3333", []string{"IPv4 1 of 3 prefixes", "seen in 9 announcements"}},
		{"rpki.invalid-originations", rw.StatusFail, "1", []string{"1 of 3 distinct", "seen by 3 collector peers"}},
		{"rpki.score", rw.StatusFail, "-3", []string{"over 3 distinct"}},
	})
	expect(t, d, Target{ASN: 1299}, []want{
		{"rov.invalid-propagation", rw.StatusFail, "1", []string{"193.0.10.0/23", "seen by 3 collector peers"}},
	})
}

// A vendor (AS3333) with a provider (1299), a peer (6939), a customer (12654, whose customer is
// 196615) and a second ASN of its own (3334) that CAIDA takes for its provider.
const asrelFile = `# source:topology|BGP|20230801|ripe|rrc00
1299|3333|-1
3333|6939|0
3333|12654|-1
12654|196615|-1
12654|15169|-1
1299|2914|0
2914|13335|-1
3334|3333|-1
3334|8075|-1
174|6939|-1
`

var vendorRoutes = rib(
	// Own routes, through the provider, the peer and a neighbour of unknown relationship.
	"193.0.0.0/21|1299 3333", "193.0.0.0/21|6939 3333", "193.0.22.0/23|9002 8283 3333",
	// A customer route, leaked by the peer 6939 to 174 after the vendor: not the vendor's doing.
	"84.205.64.0/24|174 6939 3333 12654 196615",
	// A customer route whose origin's ASPA does not name the customer: invalid as received
	// from a customer (upstream verification), valid under downstream verification.
	"8.8.8.0/24|1299 3333 12654 15169",
	// A provider route, passed down to the customer (fine) and across to the peer (a leak).
	"1.1.1.0/24|12654 3333 1299 2914 13335", "1.1.1.0/24|6939 3333 1299 2914 13335",
	// A private ASN added after the vendor, and one in the customer's part of the path.
	"84.205.66.0/24|4200000001 3333 12654 196615",
	"84.205.67.0/24|1299 3333 12654 65001 196615",
	// The vendor's own second ASN passes a customer route to the vendor, which sends it up.
	"40.76.0.0/14|1299 3333 3334 8075",
	// Bogon and too-specific routes passed on from the customer.
	"100.64.0.0/10|1299 3333 12654 196615", "84.205.68.0/25|1299 3333 12654 196615",
)

var vendorASPAs = []string{"196615 12654", "12654 3333", "3333 1299", "6939 2914", "174 3356", "15169 6939", "13335 2914", "2914 174"}

// Items 7, 9 and 10 over one data set.
func TestIssue12PathBlame(t *testing.T) {
	d := dataset(t, map[string]string{
		"vrps":   vrps([]string{"193.0.0.0/21 21 3333"}, vendorASPAs),
		"routes": vendorRoutes,
		"asrel":  asrelFile,
	})
	vendor := Target{ASN: 3333, Siblings: []uint32{3334}}
	expect(t, d, vendor, []want{
		// 8.8.8.0/24 (upstream, from a customer) and 84.205.67.0/24 (65001 not the origin's
		// provider); the leak by 6939 and the provider route verified downstream are not blamed.
		{"aspa.path-verification", rw.StatusFail, "2", []string{"8.8.8.0/24", "upstream: received from a customer", "84.205.67.0/24"}},
		{"bogon.asns", rw.StatusFail, "1", []string{"84.205.67.0/24", "AS65001"}},
		// 1299 is the provider; 6939 a peer; 8283 unknown, shown as such.
		{"upstream.concentration", rw.StatusWarn, "1", []string{"AS1299", "unknown relationship", "AS8283"}},
		{"aspa.providers-complete", rw.StatusPass, "1", []string{"AS8283"}},
		// One leak: the provider route sent to the peer. The sibling link 3334→3333 is no leak.
		{"leak.valley-free", rw.StatusFail, "1", []string{"Inferred", "1.1.1.0/24", "6939 3333 1299 2914 13335", "type 3", "106 days older"}},
	})
	// Without the vendor's sibling, CAIDA's p2c reading of 3334→3333 makes a leak.
	expect(t, d, Target{ASN: 3333}, []want{{"leak.valley-free", rw.StatusFail, "2", []string{"40.76.0.0/14"}}})
	// The peer that accepted the vendor's leak is the one ASPA verification judges for it.
	expect(t, d, Target{ASN: 6939}, []want{{"aspa.path-verification", rw.StatusFail, "1", []string{"1.1.1.0/24", "received from a peer"}}})
	// Without relationships every path is verified downstream and the customer case is valid.
	noRel := dataset(t, map[string]string{"vrps": vrps(nil, vendorASPAs), "routes": vendorRoutes})
	expect(t, noRel, vendor, []want{
		{"aspa.path-verification", rw.StatusFail, "1", []string{"84.205.67.0/24", "relationship unknown"}},
		{"upstream.concentration", rw.StatusUnknown, "nil", []string{"no AS-relationship data"}},
	})
}

// Item 8: the engine's use of ASPA verification on an origin-only route: a route the vendor
// originated is not judged at all (it received nothing).
func TestIssue12OwnRoutesNotJudged(t *testing.T) {
	d := dataset(t, map[string]string{
		"vrps":   vrps(nil, []string{"3333 64999"}),
		"routes": rib("193.0.0.0/21|1299 3333", "193.0.8.0/21|1299 3333"),
	})
	expect(t, d, Target{ASN: 3333}, []want{{"aspa.path-verification", rw.StatusUnknown, "nil", []string{"not seen passing on"}}})
}

// Item 14: the new checks.
func TestIssue12NewChecks(t *testing.T) {
	const delegated = `2|ripencc|1700000000|5|19830705|20231114|+0100
ripencc|NL|asn|3333|1|19930901|assigned|holder-3333
ripencc|NL|ipv4|193.0.0.0|2048|19930901|assigned|holder-3333
ripencc|NL|ipv4|193.0.32.0|1024|19930901|assigned|holder-3333
ripencc|NL|ipv4|193.0.40.0|1024|19930901|assigned|holder-3333
ripencc|NL|asn|12654|1|19930901|assigned|holder-12654
`
	const pdb = `{"data":[{"id":1,"org_id":10,"name":"Vendor","asn":3333,"info_prefixes4":2,"info_prefixes6":0,"status":"ok"},
{"id":2,"org_id":20,"name":"Customer","asn":12654,"info_prefixes4":50,"info_prefixes6":5,"status":"ok"},
{"id":3,"org_id":10,"name":"Vendor second network","asn":3334,"info_prefixes4":5,"info_prefixes6":0,"status":"ok"}]}`
	d := dataset(t, map[string]string{
		"vrps": vrps([]string{
			"193.0.0.0/21 24 3333",  // loose: only the /21 is announced
			"193.0.24.0/23 24 3333", // tight: both /24s announced
			"193.0.32.0/22 22 0",    // AS0 over unannounced space
		}, nil),
		"routes":    vendorRoutes + rib("193.0.24.0/24|1299 3333", "193.0.25.0/24|1299 3333", "193.0.24.0/23|1299 3333"),
		"asrel":     asrelFile,
		"bogons":    delegated,
		"peeringdb": pdb,
	})
	vendor := Target{ASN: 3333, Siblings: []uint32{3334}}
	expect(t, d, vendor, []want{
		{"rpki.maxlength-hygiene", rw.StatusFail, "1", []string{"193.0.0.0/21-24 AS3333", "announces 0"}},
		{"rpki.as0-coverage", rw.StatusWarn, "0.5", []string{"1 of 2 delegated but unannounced", "193.0.40.0/22"}},
		{"routes.propagated-bogons", rw.StatusFail, "1", []string{"100.64.0.0/10"}},
		{"routes.too-specific", rw.StatusFail, "1", []string{"84.205.68.0/25", "0 of 5 originated, 1 of"}},
		// Own 5 IPv4 prefixes plus 7 passed on from the customer and the sibling, against a
		// limit of 2.
		{"peeringdb.max-prefix", rw.StatusFail, "0.1667", []string{"limit 2 for 12 announced", "info_prefixes4 = 2"}},
		{"bogon.prefixes", rw.StatusPass, "0", []string{"originations only", "routes.propagated-bogons"}},
	})
	// Item 10 with PeeringDB: 3334 is filed under the vendor's organisation, so the link is a
	// sibling link even when the vendor record does not list 3334.
	expect(t, d, Target{ASN: 3333}, []want{{"leak.valley-free", rw.StatusFail, "1", []string{"1.1.1.0/24", "one PeeringDB organisation"}}})
}

// Item 11: the as-set in one source, with cycles, missing members and size against the cone.
func TestIssue12ASSet(t *testing.T) {
	const db = `as-set: AS-VENDOR
members: AS3333, AS-CUST, AS-GONE
source: RIPE

as-set: AS-CUST
members: AS12654, AS-VENDOR
source: RIPE

as-set: AS-VENDOR
members: AS64999, AS174
source: RADB

as-set: AS-CLEAN
members: AS3333, AS12654, AS196615
source: RIPE

as-set: AS-BLOAT
members: AS3333, AS12654, AS174, AS2914
source: RIPE

as-set: AS-OTHER
members: AS12654
source: RIPE
`
	d := dataset(t, map[string]string{"irr": db, "asrel": asrelFile})
	for _, tc := range []struct {
		set    string
		status rw.CheckStatus
		figure string
		text   []string
	}{
		{"RIPE::AS-VENDOR", rw.StatusWarn, "0.5", []string{"source RIPE", "1 cycle(s): AS-VENDOR > AS-CUST > AS-VENDOR", "AS-GONE", "AS-VENDOR@RADB"}},
		{"RADB::AS-VENDOR", rw.StatusFail, "0", []string{"does not contain AS3333"}},
		{"AS-CLEAN", rw.StatusPass, "1", []string{"3 ASNs", "customer cone"}},
		{"AS-BLOAT", rw.StatusWarn, "0.5", []string{"2 member ASN(s) outside the inferred customer cone"}},
		{"AS-OTHER", rw.StatusFail, "0", []string{"does not contain AS3333"}},
		{"AS-NONE", rw.StatusFail, "0", []string{"cannot be expanded"}},
	} {
		t.Run(tc.set, func(t *testing.T) {
			expect(t, d, Target{ASN: 3333, ASSet: tc.set}, []want{{"irr.as-set", tc.status, tc.figure, tc.text}})
		})
	}
}

// Item 12: Spoofer per family, NAT rewriting no failure, old results unknown.
func TestIssue12Spoofer(t *testing.T) {
	line := func(id int, ts, asn4, routed4, asn6, routed6 string) string {
		q := func(s string) string {
			if s == "" {
				return "null"
			}
			return `"` + s + `"`
		}
		c4, c6 := "", ""
		if asn4 != "" {
			c4 = "192.0.2.0/24"
		}
		if asn6 != "" {
			c6 = "2001:db8::/40"
		}
		return fmt.Sprintf(`{"session":%d,"timestamp":"%s","asn4":%s,"asn6":%s,"client4":%s,"client6":%s,"routedspoof":%s,"routedspoof6":%s,"privatespoof":null,"privatespoof6":null,"nat4":false,"nat6":false,"country":"nld"}`,
			id, ts, q(asn4), q(asn6), q(c4), q(c6), q(routed4), q(routed6)) + "\n"
	}
	data := line(1, "2023-10-01T00:00:00+00:00", "64601", "rewritten", "", "") +
		line(2, "2023-10-01T00:00:00+00:00", "64602", "blocked", "64602", "received") +
		line(3, "2021-01-01T00:00:00+00:00", "64603", "blocked", "", "") +
		line(4, "2023-09-01T00:00:00+00:00", "64604", "blocked", "", "") +
		line(5, "2023-10-01T00:00:00+00:00", "64604", "rewritten", "", "") +
		line(6, "2023-10-01T00:00:00+00:00", "64605", "received", "", "")
	d := dataset(t, map[string]string{"spoofer": data})
	for _, tc := range []struct {
		asn    uint32
		status rw.CheckStatus
		figure string
		text   string
	}{
		{64601, rw.StatusUnknown, "nil", "rewritten by a NAT"},
		{64602, rw.StatusFail, "0", "IPv4 blocked (session 2"},
		{64603, rw.StatusUnknown, "nil", "older than 365 days"},
		{64604, rw.StatusPass, "1", "1 later test(s) rewritten"},
		{64605, rw.StatusFail, "0", "IPv4 received"},
	} {
		t.Run(fmt.Sprint(tc.asn), func(t *testing.T) {
			expect(t, d, Target{ASN: tc.asn}, []want{{"spoof.sav", tc.status, tc.figure, []string{tc.text}}})
		})
	}
}

// Item 13: other origins with a declared scrubbing provider; abuse contacts from inetnum and
// unknown where the source cannot tell.
func TestIssue12OriginsAndAbuse(t *testing.T) {
	const db = `aut-num: AS3333
as-name: VENDOR
source: RIPE

inetnum: 193.0.0.0 - 193.0.7.255
netname: VENDOR-NET
abuse-c: AB1-RIPE
source: RIPE

role: Abuse desk
nic-hdl: AB1-RIPE
abuse-mailbox: abuse@vendor.example
source: RIPE

aut-num: AS7018
as-name: ATT
source: ARIN

aut-num: AS12654
as-name: NO-CONTACT
source: RIPE
`
	d := dataset(t, map[string]string{
		"irr":    db,
		"routes": rib("193.0.0.0/21|1299 3333", "193.0.0.0/24|1299 19905", "193.0.1.0/24|1299 64666", "193.0.2.0/24|1299 64666", "12.0.0.0/8|1299 7018", "84.205.64.0/24|1299 12654"),
	})
	expected := mustPrefixes("193.0.0.0/21")
	expect(t, d, Target{ASN: 3333, Expected: expected}, []want{
		{"hijack.other-origins", rw.StatusFail, "2", []string{"AS19905, AS64666", "193.0.1.0/24, 193.0.2.0/24"}},
		{"coord.abuse-contact", rw.StatusPass, "1", []string{"AB1-RIPE", "abuse@vendor.example", "inetnum 193.0.0.0 - 193.0.7.255"}},
	})
	expect(t, d, Target{ASN: 3333, Expected: expected, AllowedOrigins: []uint32{19905}}, []want{
		{"hijack.other-origins", rw.StatusFail, "1", []string{"1 declared authorised", "declared as authorised"}},
	})
	expect(t, d, Target{ASN: 7018}, []want{{"coord.abuse-contact", rw.StatusUnknown, "nil", []string{"ARIN"}}})
	expect(t, d, Target{ASN: 12654}, []want{{"coord.abuse-contact", rw.StatusFail, "0", []string{"no abuse-c"}}})
}

// Item 4: with the library's bands, every status the engine reports for a mapped check equals
// the control's grade of the same figure; before, the engine's own thresholds disagreed (for
// example 3 invalid routes propagated: FAIL on the page, warn under RS-ROV-01's pass 0 / warn 10).
func TestIssue12StatusFromLibrary(t *testing.T) {
	set, err := controls.Shipped()
	if err != nil {
		t.Fatal(err)
	}
	lib, ok := set.Library("routewarden-manrs", "")
	if !ok {
		t.Fatal("no routewarden-manrs library")
	}
	rules := map[string]control.CheckRule{}
	for _, c := range lib.Controls {
		for _, r := range c.Checks {
			if _, ok := rules[r.Check]; !ok {
				rules[r.Check] = r
			}
		}
	}
	d := dataset(t, map[string]string{
		"vrps":   vrps([]string{"193.0.0.0/21 24 3333", "84.205.64.0/24 24 1", "8.8.8.0/24 24 1", "1.1.1.0/24 24 1"}, vendorASPAs),
		"routes": vendorRoutes,
		"asrel":  asrelFile,
	})
	d.Bands = LibraryBands(set)
	graded := 0
	for _, asn := range []uint32{3333, 1299, 6939, 12654} {
		for _, r := range Run(d, Target{ASN: asn}, time.Unix(0, 0)) {
			rule, mapped := rules[r.Check]
			if !mapped || r.Figure == nil || !strings.Contains(r.Summary, "Graded") {
				continue
			}
			graded++
			if got := rule.Grade(*r.Figure); string(r.Status) != got {
				t.Errorf("AS%d %s: page %s, control grade %s for figure %g", asn, r.Check, r.Status, got, *r.Figure)
			}
		}
	}
	if graded < 5 {
		t.Fatalf("only %d results graded by the library", graded)
	}
	// The reproduction: AS3333 propagates three RPKI-invalid prefixes.
	r := runOne(t, d, Target{ASN: 3333}, "rov.invalid-propagation")
	if r.Figure == nil || *r.Figure != 3 {
		t.Fatalf("propagation figure %s: %q", fig(r), r.Summary)
	}
	if want := rules["rov.invalid-propagation"].Grade(3); string(r.Status) != want || !strings.Contains(r.Summary, "RS-ROV-01") {
		t.Errorf("status %s, control grade %s: %q", r.Status, want, r.Summary)
	}
	d.Bands = nil
	if r := runOne(t, d, Target{ASN: 3333}, "rov.invalid-propagation"); r.Status != rw.StatusFail || !strings.Contains(r.Summary, "engine default") {
		t.Errorf("without a library: %s %q", r.Status, r.Summary)
	}
}
