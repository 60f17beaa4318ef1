package report_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"routewarden/internal/demo"
	"routewarden/internal/evidence"
	"routewarden/internal/report"
	rw "routewarden/internal/routewarden"
)

// The concentration report and the upstream.concentration check (whose figure pre-fills the
// questionnaire's "number of upstream providers") read the same upstreams for every demo vendor
// ASN — among them Zürich's and Atlantic's second ASNs, reached only through their first.
func TestConcentrationAgreesWithCheck(t *testing.T) {
	now := time.Now().UTC()
	d := evidence.NewData()
	id := int64(0)
	for kind, files := range demo.EvidenceFiles(now) {
		p, err := evidence.Parse(kind, files)
		if err != nil {
			t.Fatalf("%s: %v", kind, err)
		}
		id++
		d.Use(&rw.Snapshot{ID: id, Kind: kind, Source: "demo"}, p)
	}
	vendors := demo.Portfolio()
	for i, v := range vendors {
		v.ID = int64(i + 1)
	}
	conc := report.ComputeConcentration(report.ConcentrationInput{Vendors: vendors, Routes: d.Routes, ASRel: d.ASRel, PeeringDB: d.PeeringDB})
	byASN := map[uint32]report.VendorASN{}
	for _, va := range conc.VendorASNs {
		byASN[va.ASN] = va
	}
	throughOwn := 0
	for _, v := range vendors {
		var own []uint32
		for _, n := range v.Networks {
			own = append(own, n.ASN)
		}
		for _, n := range v.Networks {
			siblings := slices.DeleteFunc(slices.Clone(own), func(a uint32) bool { return a == n.ASN })
			var r *rw.CheckResult
			for _, x := range evidence.Run(d, evidence.Target{ASN: n.ASN, Siblings: siblings}, now) {
				if x.Check == "upstream.concentration" {
					r = &x
				}
			}
			var fromCheck []uint32
			for _, dt := range r.Details {
				var a uint32
				if _, err := fmt.Sscanf(dt.Note, "upstream provider AS%d", &a); err == nil {
					fromCheck = append(fromCheck, a)
				}
			}
			slices.Sort(fromCheck)
			want := byASN[n.ASN].Upstreams
			if !slices.Equal(fromCheck, want) && !(len(fromCheck) == 0 && len(want) == 0) {
				t.Errorf("%s AS%d: check %v (%s), report %v", v.LegalName, n.ASN, fromCheck, r.Summary, want)
			}
			if strings.Contains(r.Summary, "own network") {
				throughOwn++
			}
		}
	}
	if throughOwn < 2 {
		t.Errorf("%d demo ASNs reached through their vendor's own network; want Zürich's and Atlantic's second ASNs at least", throughOwn)
	}
}
