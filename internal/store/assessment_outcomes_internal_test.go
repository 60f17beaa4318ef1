package store

import (
	"reflect"
	"testing"

	rw "routewarden/internal/routewarden"
)

func TestOutcomesEncoding(t *testing.T) {
	in := map[string]rw.ControlOutcome{
		"RS-ROV-01":  {Status: "met", Basis: "measured"},
		"RS-FILT-02": {Status: "not_met", Basis: "declared", Waived: true},
		"RS-GOV-08":  {Status: "unknown"},
	}
	s := encodeOutcomes(in)
	if want := "RS-FILT-02\tnot_met\tdeclared\t1\nRS-GOV-08\tunknown\t\t0\nRS-ROV-01\tmet\tmeasured\t0\n"; s != want {
		t.Errorf("encoded %q, want %q", s, want)
	}
	out, err := decodeOutcomes(s)
	if err != nil || !reflect.DeepEqual(out, in) {
		t.Errorf("round trip: %v %v", out, err)
	}
	if m, err := decodeOutcomes(""); err != nil || len(m) != 0 {
		t.Errorf("empty: %v %v", m, err)
	}
	for _, bad := range []string{`{"RS-ROV-01":{"s":"met"}}`, "RS-ROV-01\tmet\n", "RS-ROV-01\tmet\tmeasured\tyes\n", "\tmet\tmeasured\t0\n"} {
		if _, err := decodeOutcomes(bad); err == nil {
			t.Errorf("decoded %q", bad)
		}
	}
}
