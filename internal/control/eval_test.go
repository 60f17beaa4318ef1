package control_test

import (
	"testing"

	"routewarden/internal/control"
)

func TestTest(t *testing.T) {
	yes := &control.Question{ID: "Q-yn", Type: control.TypeYesNo}
	multi := &control.Question{ID: "Q-mc", Type: control.TypeMultipleChoice,
		Options: []control.Option{{Value: "irr", Label: "IRR"}, {Value: "rpki", Label: "RPKI"}}}
	pct := &control.Question{ID: "Q-pct", Type: control.TypePercentage}
	date := &control.Question{ID: "Q-date", Type: control.TypeDate}
	text := &control.Question{ID: "Q-text", Type: control.TypeText}
	tests := []struct {
		name      string
		q         *control.Question
		answer    []string
		op, value string
		want      bool
		wantErr   bool
	}{
		{"yes = yes", yes, []string{"yes"}, "=", "yes", true, false},
		{"no = yes", yes, []string{"no"}, "=", "yes", false, false},
		{"no != yes", yes, []string{"no"}, "!=", "yes", true, false},
		{"unanswered", yes, nil, "!=", "yes", false, false},
		{"contains", multi, []string{"irr", "rpki"}, "contains", "rpki", true, false},
		{"excludes", multi, []string{"irr"}, "excludes", "rpki", true, false},
		{"62 >= 95", pct, []string{"62"}, ">=", "95", false, false},
		{"97.5 >= 95", pct, []string{"97.5"}, ">=", "95", true, false},
		{"date before", date, []string{"2026-03-01"}, "<", "2027-01-01", true, false},
		{"bad number answer", pct, []string{"most"}, ">=", "95", false, true},
		{"bad date answer", date, []string{"soon"}, "<", "2027-01-01", false, true},
		{"text cannot be tested", text, []string{"x"}, "=", "x", false, true},
		{"value not an option", multi, []string{"irr"}, "contains", "bgp", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := control.Test(tt.q, tt.answer, tt.op, tt.value)
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("Test = %v, %v; want %v, error %v", got, err, tt.want, tt.wantErr)
			}
		})
	}
}

// TestContradictionFires replays the product's example: "all our prefixes have ROAs" against
// 62 % measured coverage.
func TestContradictionFires(t *testing.T) {
	_, lib := shipped(t)
	q, _, ok := lib.Question("RS-ORIG-01.Q1")
	if !ok || len(q.Contradictions) == 0 {
		t.Fatal("RS-ORIG-01.Q1 has no contradiction rule")
	}
	k := q.Contradictions[0]
	tests := []struct {
		answer string
		figure float64
		want   bool
	}{
		{"100", 0.62, true},
		{"100", 0.97, false},
		{"60", 0.62, false},
	}
	for _, tt := range tests {
		t.Run(tt.answer, func(t *testing.T) {
			got, err := k.Fires(q, []string{tt.answer}, tt.figure)
			if err != nil || got != tt.want {
				t.Errorf("Fires(%s %%, %g) = %v, %v; want %v", tt.answer, tt.figure, got, err, tt.want)
			}
		})
	}
}

func TestVisible(t *testing.T) {
	_, lib := shipped(t)
	tests := []struct {
		name    string
		id      string
		answers map[string][]string
		want    bool
	}{
		{"unconditional", "RS-GOV-01.Q1", nil, true},
		{"condition unanswered", "RS-GOV-01.Q2", nil, false},
		{"condition met", "RS-GOV-01.Q2", map[string][]string{"RS-GOV-01.Q1": {"yes"}}, true},
		{"chain met", "RS-GOV-02.Q2", map[string][]string{"RS-GOV-01.Q1": {"yes"}, "RS-GOV-02.Q1": {"yes"}}, true},
		{"chain broken upstream", "RS-GOV-02.Q2", map[string][]string{"RS-GOV-01.Q1": {"no"}, "RS-GOV-02.Q1": {"yes"}}, false},
		{"unknown question", "RS-NOPE-01.Q1", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := lib.Visible(tt.id, tt.answers); got != tt.want {
				t.Errorf("Visible(%s) = %v, want %v", tt.id, got, tt.want)
			}
		})
	}
}
