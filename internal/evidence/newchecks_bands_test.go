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

// TestNewChecksGradedByLibrary: the five checks issue 12 item 14 added run in the catalogue
// (Run, not only the proposed list) and their status is the grade the mapping control of the
// newest library gives their figure, in every band the data reaches.
func TestNewChecksGradedByLibrary(t *testing.T) {
	set, err := controls.Shipped()
	if err != nil {
		t.Fatal(err)
	}
	const delegated = `2|ripencc|1700000000|8|19830705|20231114|+0100
ripencc|NL|asn|3333|1|19930901|assigned|holder-3333
ripencc|NL|ipv4|193.0.0.0|2048|19930901|assigned|holder-3333
ripencc|NL|ipv4|193.0.32.0|1024|19930901|assigned|holder-3333
ripencc|NL|ipv4|193.0.40.0|1024|19930901|assigned|holder-3333
ripencc|NL|asn|12654|1|19930901|assigned|holder-12654
ripencc|NL|ipv4|84.205.64.0|1024|19930901|assigned|holder-12654
ripencc|NL|asn|6939|1|19930901|assigned|holder-6939
ripencc|NL|ipv4|185.0.0.0|256|19930901|assigned|holder-6939
`
	const pdb = `{"data":[{"id":1,"org_id":10,"name":"Vendor","asn":3333,"info_prefixes4":2,"info_prefixes6":0,"status":"ok"},
{"id":2,"org_id":20,"name":"Customer","asn":12654,"info_prefixes4":4,"info_prefixes6":5,"status":"ok"},
{"id":3,"org_id":10,"name":"Vendor second network","asn":3334,"info_prefixes4":5,"info_prefixes6":0,"status":"ok"}]}`
	d := dataset(t, map[string]string{
		"vrps": vrps([]string{
			"193.0.0.0/21 24 3333", // loose: only the /21 is announced
			"193.0.32.0/22 22 0",   // AS0 over unannounced space
			"40.76.0.0/14 14 3334", // no maxLength beyond the prefix
		}, nil),
		"routes":    vendorRoutes,
		"asrel":     asrelFile,
		"bogons":    delegated,
		"peeringdb": pdb,
	})
	d.Bands = LibraryBands(set)
	tests := []struct {
		check   string
		asn     uint32
		status  rw.CheckStatus
		control string
	}{
		{"rpki.maxlength-hygiene", 3333, rw.StatusFail, "RS-ORIG-04"},
		{"rpki.maxlength-hygiene", 3334, rw.StatusPass, "RS-ORIG-04"},
		{"rpki.maxlength-hygiene", 6939, rw.StatusUnknown, ""},
		{"rpki.as0-coverage", 3333, rw.StatusWarn, "RS-ORIG-03"},
		{"rpki.as0-coverage", 12654, rw.StatusPass, "RS-ORIG-03"},
		{"rpki.as0-coverage", 6939, rw.StatusFail, "RS-ORIG-03"},
		{"routes.propagated-bogons", 3333, rw.StatusFail, "RS-FILT-03"},
		{"routes.propagated-bogons", 6939, rw.StatusPass, "RS-FILT-03"},
		{"routes.too-specific", 3333, rw.StatusFail, "RS-FILT-03"},
		{"routes.too-specific", 6939, rw.StatusPass, "RS-FILT-03"},
		{"peeringdb.max-prefix", 3333, rw.StatusFail, "RS-POL-04"},
		{"peeringdb.max-prefix", 12654, rw.StatusWarn, "RS-POL-04"},
		{"peeringdb.max-prefix", 3334, rw.StatusPass, "RS-POL-04"},
		{"peeringdb.max-prefix", 6939, rw.StatusUnknown, ""},
	}
	rules := map[string]control.CheckRule{}
	for _, c := range set.Latest()[0].Controls {
		for _, r := range c.Checks {
			if _, ok := rules[r.Check]; !ok {
				rules[r.Check] = r
			}
		}
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/AS%d", tt.check, tt.asn), func(t *testing.T) {
			var r *rw.CheckResult
			for _, x := range Run(d, Target{ASN: tt.asn}, time.Unix(0, 0)) {
				if x.Check == tt.check {
					r = &x
				}
			}
			if r == nil {
				t.Fatalf("Run does not evaluate %s: it is not in the catalogue", tt.check)
			}
			if r.Status != tt.status {
				t.Fatalf("status %s (figure %s), want %s: %q", r.Status, fig(*r), tt.status, r.Summary)
			}
			if tt.control == "" {
				return
			}
			rule, ok := rules[tt.check]
			if !ok || d.Bands[tt.check].Control != tt.control {
				t.Fatalf("no rule of %s grades %s (band %+v)", tt.control, tt.check, d.Bands[tt.check])
			}
			if got := rule.Grade(*r.Figure); string(r.Status) != got {
				t.Errorf("page %s, control grade %s for figure %g", r.Status, got, *r.Figure)
			}
			if !strings.Contains(r.Summary, "("+tt.control+")") {
				t.Errorf("summary does not name the grading control: %q", r.Summary)
			}
		})
	}
}
