package report_test

import (
	"fmt"
	"testing"
	"time"

	"routewarden/controls"
	"routewarden/internal/report"
	rw "routewarden/internal/routewarden"
)

// BenchmarkCoverage is the obligations coverage of 1,000 suppliers against the shipped
// catalogue and library (every mapped obligation a column), each supplier with a decided
// assessment whose controls have mixed results, under DORA and NIS2 (every third also CER).
// Goal: under 100 ms.
func BenchmarkCoverage(b *testing.B) {
	set, err := controls.Shipped()
	if err != nil {
		b.Fatal(err)
	}
	lib := set.Latest()[0]
	statuses := []string{"met", "met", "partially_met", "not_met", "unknown", "not_applicable"}
	decided := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	in := report.CoverageInput{Now: decided, Catalogue: set.Catalogue, Current: lib}
	for i := range 1000 {
		regs := []string{"DORA", "NIS2"}
		if i%3 == 0 {
			regs = append(regs, "CER")
		}
		out := map[string]rw.ControlOutcome{}
		for j, c := range lib.Controls {
			out[c.ID] = rw.ControlOutcome{Status: statuses[(i+j)%len(statuses)], Basis: c.Basis, Waived: (i+j)%17 == 0}
		}
		in.Suppliers = append(in.Suppliers, report.CoverageSource{
			Vendor: &rw.Vendor{ID: int64(i + 1), LegalName: fmt.Sprintf("Supplier %04d", i),
				Services: []*rw.Service{{Name: "Transit", Type: "S10", Critical: i%4 == 0, Regulations: regs}}},
			Assessment: &rw.Assessment{ID: int64(i + 1), Library: lib.Name, LibraryVersion: lib.Version, State: rw.StateApproved, DecidedAt: &decided},
			Library:    lib, Outcomes: out})
	}
	cov := report.ComputeCoverage(in)
	b.ReportMetric(float64(len(cov.Obligations)), "obligations")
	b.ResetTimer()
	for b.Loop() {
		report.ComputeCoverage(in)
	}
}
