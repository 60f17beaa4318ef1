package web

import (
	"strconv"
	"testing"

	"routewarden/internal/control"
)

// FuzzCheckValue feeds arbitrary form values to the answer validation of every question type:
// it never panics, and what it accepts is normalised and within the question's bounds.
func FuzzCheckValue(f *testing.F) {
	for _, s := range []string{"yes", "no", "", " 42 ", "1e308", "-0", "NaN", "2026-02-30", "99.5%", "a", "\x00"} {
		f.Add(s, s)
	}
	lo, hi := 0.0, 1000.0
	qs := []*control.Question{
		{ID: "y", Type: control.TypeYesNo}, {ID: "s", Type: control.TypeSingleChoice, Options: []control.Option{{Value: "a"}, {Value: "b"}}},
		{ID: "m", Type: control.TypeMultipleChoice, Options: []control.Option{{Value: "a"}, {Value: "b"}}},
		{ID: "n", Type: control.TypeNumber, Min: &lo, Max: &hi}, {ID: "p", Type: control.TypePercentage},
		{ID: "d", Type: control.TypeDate}, {ID: "t", Type: control.TypeText}, {ID: "f", Type: control.TypeFile},
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		for _, q := range qs {
			out, err := checkValue(q, []string{a, b})
			if err != nil {
				continue
			}
			if q.Type == control.TypeFile && out != nil {
				t.Fatalf("file question accepted a value")
			}
			if q.Type == control.TypeNumber || q.Type == control.TypePercentage {
				if len(out) != 1 {
					continue
				}
				n, err := strconv.ParseFloat(out[0], 64)
				max := 100.0
				if q.Max != nil {
					max = *q.Max
				}
				if err != nil || n < 0 || n > max {
					t.Fatalf("%s accepted %q → %q", q.ID, a, out)
				}
			}
		}
	})
}

// FuzzSniffEvidence: arbitrary uploads never panic, and an accepted file's name matches the
// sniffed content.
func FuzzSniffEvidence(f *testing.F) {
	f.Add("a.pdf", []byte("%PDF-1.4\n"))
	f.Add("a.txt", []byte("hello"))
	f.Add("a.pdf", []byte("<html>"))
	f.Add("../../x.png", []byte("\x89PNG\r\n\x1a\n"))
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		mt, err := SniffEvidence(safeFileName(name), data)
		if err == nil && evidenceTypes[mt] == nil {
			t.Fatalf("accepted unknown type %s", mt)
		}
		if n := safeFileName(name); n == "" || len(n) > 600 {
			t.Fatalf("safeFileName(%q) = %q", name, n)
		}
	})
}
