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

// TestOutcomeListMatchesMap: the list decoding gives the map decoding's results sorted by
// control ID, whatever the order of the lines and with a control listed twice (the last line
// counts), and rejects what the map decoding rejects.
func TestOutcomeListMatchesMap(t *testing.T) {
	for _, tc := range []struct{ name, text string }{
		{"empty", ""},
		{"sorted", "RS-FILT-02\tnot_met\tdeclared\t1\nRS-GOV-08\tunknown\t\t0\nRS-ROV-01\tmet\tmeasured\t0\n"},
		{"unsorted", "RS-ROV-01\tmet\tmeasured\t0\nRS-FILT-02\tnot_met\tdeclared\t1\nRS-GOV-08\tunknown\t\t0\n"},
		{"twice", "RS-GOV-08\tunknown\t\t0\nRS-ROV-01\tmet\tmeasured\t0\nRS-GOV-08\tmet\tdeclared\t0\n"},
		{"twice in a row", "RS-GOV-08\tunknown\t\t0\nRS-GOV-08\tnot_met\tmeasured\t1\n"},
		{"no final newline", "RS-GOV-08\tunknown\t\t0"},
		{"json", `{"RS-ROV-01":{"s":"met"}}`},
		{"short", "RS-ROV-01\tmet\n"},
		{"bad waiver", "RS-ROV-01\tmet\tmeasured\tyes\n"},
		{"no id", "\tmet\tmeasured\t0\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, errMap := decodeOutcomes(tc.text)
			l, errList := decodeOutcomeList(tc.text)
			if (errMap == nil) != (errList == nil) {
				t.Fatalf("map error %v, list error %v", errMap, errList)
			}
			if errMap != nil {
				return
			}
			if l == nil || len(l) != len(m) {
				t.Fatalf("list %v, map %v", l, m)
			}
			for i, x := range l {
				if i > 0 && l[i-1].Control >= x.Control {
					t.Errorf("not sorted: %v", l)
				}
				if m[x.Control] != x.ControlOutcome {
					t.Errorf("%s: list %+v, map %+v", x.Control, x.ControlOutcome, m[x.Control])
				}
			}
		})
	}
}
