package score

import (
	"testing"

	"routewarden/controls"
	"routewarden/internal/control"
	rw "routewarden/internal/routewarden"
)

// BenchmarkEvaluate scores a fully answered transit assessment against the embedded library:
// the work behind every assessment page and API detail.
func BenchmarkEvaluate(b *testing.B) {
	set, err := controls.Shipped()
	if err != nil {
		b.Fatal(err)
	}
	lib := set.Latest()[0]
	in := Input{Library: lib, Scope: []string{"transit", "access"}, Now: now, Answers: map[string]*rw.Answer{}, Evidence: map[string]int{}}
	for _, c := range lib.Controls {
		for _, q := range c.Questions {
			v := "yes"
			switch q.Type {
			case control.TypeSingleChoice, control.TypeMultipleChoice:
				v = q.Options[0].Value
			case control.TypeNumber, control.TypePercentage:
				v = "97"
			case control.TypeDate:
				v = "2026-06-30"
			case control.TypeText:
				v = "text"
			case control.TypeFile:
				in.Evidence[q.ID] = 1
				continue
			}
			in.Answers[q.ID] = &rw.Answer{QuestionID: q.ID, Values: []string{v}}
		}
	}
	for _, d := range rw.Checks {
		for asn := uint32(64496); asn < 64499; asn++ {
			f := 0.95
			in.Measurements = append(in.Measurements, rw.Measurement{ASN: asn, Check: d.ID, Status: rw.StatusPass, Figure: &f})
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		r := Evaluate(in)
		if len(r.Controls) == 0 {
			b.Fatal("no results")
		}
	}
}
