package control_test

import (
	"reflect"
	"testing"

	"routewarden/internal/control"
)

func ids(cs []*control.Control) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.ID)
	}
	return out
}

func TestLookups(t *testing.T) {
	set := loadValid(t)
	lib, _ := set.Library("demo", "1.1")
	tests := []struct {
		name string
		got  []*control.Control
		want []string
	}{
		{"family ORIG", lib.ByFamily("ORIG"), []string{"RS-ORIG-01"}},
		{"family none", lib.ByFamily("NOPE"), nil},
		{"provider ixp", lib.ByProviderType("ixp"), []string{"RS-GOV-01", "RS-COORD-01"}},
		{"provider transit", lib.ByProviderType("transit"), []string{"RS-ORIG-01", "RS-FILT-01", "RS-GOV-01", "RS-COORD-01"}},
		{"providers cdn+ixp", lib.ForProviders([]string{"cdn", "ixp"}), []string{"RS-ORIG-01", "RS-GOV-01", "RS-COORD-01"}},
		{"MANRS netops-3", lib.ByMANRS("netops-3"), []string{"RS-COORD-01"}},
		{"MANRS cdn-4", lib.ByMANRS("cdn-4"), []string{"RS-ORIG-01"}},
		{"obligation DORA-9.4.b", lib.ByObligation("DORA-9.4.b"), []string{"RS-ORIG-01", "RS-FILT-01", "RS-COORD-01"}},
		{"basis declared", lib.ByBasis(control.BasisDeclared), []string{"RS-GOV-01"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ids(tt.got); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
	t.Run("question", func(t *testing.T) {
		q, c, ok := lib.Question("RS-ORIG-01.Q2")
		if !ok || c.ID != "RS-ORIG-01" || q.When == nil || q.When.Question != "RS-ORIG-01.Q1" {
			t.Errorf("Question(RS-ORIG-01.Q2) = %+v, %v, %v", q, c, ok)
		}
	})
	t.Run("coverage", func(t *testing.T) {
		got := map[string][]string{}
		for _, r := range lib.Coverage(set.Catalogue) {
			got[r.Obligation.ID] = r.Controls
		}
		want := map[string][]string{
			"DORA-9.4.b":  {"RS-ORIG-01", "RS-FILT-01", "RS-COORD-01"},
			"DORA-28.4.d": {"RS-FILT-01", "RS-GOV-01"},
			"DORA-30.3.c": {"RS-GOV-01"},
			"DORA-5.3":    nil,
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("coverage %v, want %v", got, want)
		}
	})
	t.Run("MANRS coverage", func(t *testing.T) {
		cov := lib.MANRSCoverage()
		if len(cov) != len(control.Actions) || cov["ixp-1"] != nil || len(cov["netops-1"]) != 1 {
			t.Errorf("MANRS coverage %v", cov)
		}
	})
}

func TestGrade(t *testing.T) {
	warn := func(x float64) *float64 { return &x }
	tests := []struct {
		name   string
		rule   control.CheckRule
		figure float64
		want   string
	}{
		{"higher pass", control.CheckRule{Better: "higher", Pass: 0.98, Warn: warn(0.9)}, 0.99, "pass"},
		{"higher at pass", control.CheckRule{Better: "higher", Pass: 0.98, Warn: warn(0.9)}, 0.98, "pass"},
		{"higher warn", control.CheckRule{Better: "higher", Pass: 0.98, Warn: warn(0.9)}, 0.9, "warn"},
		{"higher fail", control.CheckRule{Better: "higher", Pass: 0.98, Warn: warn(0.9)}, 0.62, "fail"},
		{"higher no warn band", control.CheckRule{Better: "higher", Pass: 1}, 0, "fail"},
		{"lower pass", control.CheckRule{Better: "lower", Pass: 0, Warn: warn(2)}, 0, "pass"},
		{"lower warn", control.CheckRule{Better: "lower", Pass: 0, Warn: warn(2)}, 2, "warn"},
		{"lower fail", control.CheckRule{Better: "lower", Pass: 0, Warn: warn(2)}, 3, "fail"},
		{"lower no warn band", control.CheckRule{Better: "lower", Pass: 0}, 1, "fail"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.rule.Grade(tt.figure); got != tt.want {
				t.Errorf("Grade(%g) = %s, want %s", tt.figure, got, tt.want)
			}
		})
	}
}

func TestReadinessLevel(t *testing.T) {
	r := control.Readiness{Ready: 0.9, Aspiring: 0.6,
		Actions: map[string]control.ActionThreshold{"netops-2": {Ready: 0.8, Aspiring: 0.5}}}
	tests := []struct {
		action string
		score  float64
		want   string
	}{
		{"netops-1", 0.95, control.LevelReady},
		{"netops-1", 0.9, control.LevelReady},
		{"netops-1", 0.85, control.LevelAspiring},
		{"netops-1", 0.59, control.LevelLagging},
		{"netops-2", 0.85, control.LevelReady},
		{"netops-2", 0.55, control.LevelAspiring},
	}
	for _, tt := range tests {
		t.Run(tt.action, func(t *testing.T) {
			if got := r.Level(tt.action, tt.score); got != tt.want {
				t.Errorf("Level(%s, %g) = %s, want %s", tt.action, tt.score, got, tt.want)
			}
		})
	}
}

func TestCompareVersions(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"2026.1", "2026.2", -1}, {"2026.2", "2026.10", -1}, {"2026.10", "2026.9", 1},
		{"2026.1", "2026.1", 0}, {"2026", "2026.1", -1}, {"2027.1", "2026.12", 1},
	}
	for _, tt := range tests {
		t.Run(tt.a+"_"+tt.b, func(t *testing.T) {
			if got := control.CompareVersions(tt.a, tt.b); got != tt.want {
				t.Errorf("CompareVersions(%s, %s) = %d, want %d", tt.a, tt.b, got, tt.want)
			}
		})
	}
}
