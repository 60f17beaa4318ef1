package report_test

import (
	"fmt"
	"io"
	"testing"

	"routewarden/internal/report"
	rw "routewarden/internal/routewarden"
)

// BenchmarkRegister builds and writes the xBRL-CSV package for 1,000 vendors with two services each.
func BenchmarkRegister(b *testing.B) {
	var vs []*rw.Vendor
	for i := range 1000 {
		p := fmt.Sprintf("5299%014d", i)
		vs = append(vs, &rw.Vendor{ID: int64(i + 1), LegalName: fmt.Sprintf("Vendor %d", i), LEI: lei(p), Country: "DE",
			Services: []*rw.Service{fullService(int64(2*i+1), fmt.Sprintf("C-%d-a", i)), fullService(int64(2*i+2), fmt.Sprintf("C-%d-b", i))}})
	}
	for b.Loop() {
		reg := report.BuildRegister(entity(), vs, now)
		if err := reg.WriteXBRLCSV(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}
