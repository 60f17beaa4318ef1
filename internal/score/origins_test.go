package score

import (
	"slices"
	"strings"
	"testing"

	rw "routewarden/internal/routewarden"
)

func TestParseASNList(t *testing.T) {
	tests := []struct {
		in   string
		want []uint32
	}{
		{"AS64500", []uint32{64500}},
		{"Aegis Scrubbing (AS64500) and as 64501 on demand", []uint32{64500, 64501}},
		{"64500, 64501; 64500", []uint32{64500, 64501}},
		{"2 providers, see contract section 4", nil},
		{"Synthetic demo answer 12: documented in the operations handbook, section 14.", nil},
		{"AS0 and AS4294967296", nil},
		{"", nil},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := ParseASNList(tt.in); !slices.Equal(got, tt.want) {
				t.Errorf("ParseASNList(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

// TestAllowedOriginsFromAnswers is issue 12 item 13: a scrubbing provider declared in
// RS-MON-01.Q3 originating the vendor's prefixes must not fail RS-MON-01.
func TestAllowedOriginsFromAnswers(t *testing.T) {
	lib := lib2026_2(t)
	hijack := func(figure float64, origins ...uint32) rw.Measurement {
		m := fig(64498, "hijack.other-origins", rw.StatusWarn, figure)
		for _, o := range origins {
			m.Details = append(m.Details, rw.Detail{Kind: "origin", Origin: o, Prefix: "198.51.100.0/25", Note: "third-party origin of an expected prefix"})
		}
		return m
	}
	tests := []struct {
		name   string
		answer string
		m      rw.Measurement
		status Status
		figure float64
	}{
		{"no declaration: scrubbing origin counts", "", hijack(1, 64500), PartiallyMet, 1},
		{"scrubbing provider declared", "Aegis Scrubbing, AS64500, on-demand diversion", hijack(1, 64500), Met, 0},
		{"other provider declared", "AS64501", hijack(1, 64500), PartiallyMet, 1},
		{"one of two origins declared", "64500", hijack(2, 64500, 65541), PartiallyMet, 1},
		{"prose without AS numbers", "our 2 scrubbing providers", hijack(1, 64500), PartiallyMet, 1},
		{"hijacker and scrubber, both declared", "AS64500 AS65541", hijack(2, 64500, 65541), Met, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := Input{Library: lib, Scope: []string{"cloud"}, Now: now, Submitted: true, Measurements: []rw.Measurement{tt.m}}
			if tt.answer != "" {
				in.Answers = answers(AllowedOriginsQuestion, tt.answer)
			}
			r := Evaluate(in)
			c, _ := r.Control("RS-MON-01")
			if c.Status != tt.status {
				t.Errorf("RS-MON-01 = %s (%s), want %s", c.Status, c.Why, tt.status)
			}
			if len(c.Checks) != 1 || c.Checks[0].Figure != tt.figure {
				t.Fatalf("graded checks %+v, want figure %g", c.Checks, tt.figure)
			}
			if tt.figure < *tt.m.Figure && !strings.Contains(c.Checks[0].Summary, "declared authorised in RS-MON-01.Q3") {
				t.Errorf("summary does not say why the figure dropped: %q", c.Checks[0].Summary)
			}
			if *tt.m.Figure != *in.Measurements[0].Figure || in.Measurements[0].Details[0].Note != "third-party origin of an expected prefix" {
				t.Error("the caller's measurement was modified")
			}
		})
	}
}
