package control_test

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"routewarden/internal/control"
)

// TestGradingRules breaks the graded 1.1 fixture one grading rule at a time: lint refuses a
// gradable question without grading and a question no answer can fail.
func TestGradingRules(t *testing.T) {
	base, err := os.ReadFile("testdata/valid/demo/1.1.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cat := loadValid(t).Catalogue
	filt := `        type: yes_no
        grading: {answers: {"yes": met, "no": not_met}}
      - id: RS-FILT-01.Q2`
	tests := []struct {
		name, old, new string
		msg            string
	}{
		{"missing grading", filt, "        type: yes_no\n      - id: RS-FILT-01.Q2", "question RS-FILT-01.Q1 has no grading"},
		{"question that cannot fail", filt, strings.Replace(filt, `"no": not_met`, `"no": partially_met`, 1), "question RS-FILT-01.Q1 can never fail its control"},
		{"answer not graded", filt, strings.Replace(filt, `, "no": not_met`, "", 1), `answer "no" is not graded`},
		{"unknown grade", filt, strings.Replace(filt, `"no": not_met`, `"no": bad`, 1), `grade "bad" of answer "no"`},
		{"not a possible answer", filt, strings.Replace(filt, `"no": not_met`, `"no": not_met, "maybe": met`, 1), `"maybe" is not a possible answer`},
		{"partial on the better side", "met: 98, partial: 90", "met: 98, partial: 99", "partial 99 must be on the worse side of met 98"},
		{"percentage threshold out of range", "met: 98, partial: 90", "met: 120, partial: 90", "threshold 120 is outside 0..100"},
		{"date without measure", "{date: until, better: lower", "{better: lower", "date must be age"},
		{"file question graded", "        type: file\n        evidence: filter-policy\n",
			"        type: file\n        evidence: filter-policy\n        grading: {answers: {\"yes\": met}}\n", "a file answer is not graded"},
		{"combine on a single choice", `{answers: {"yes": met, "no": not_met}}`, `{answers: {"yes": met, "no": not_met}, combine: all}`, "combine is best, worst or all"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(string(base), tt.old) {
				t.Fatalf("fixture lacks %q", tt.old)
			}
			l, err := control.ParseLibrary("demo/1.1.yaml", []byte(strings.Replace(string(base), tt.old, tt.new, 1)))
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			var probs control.Problems
			if err := l.Validate(cat); !errors.As(err, &probs) {
				t.Fatalf("Validate = %v, want problems", err)
			}
			for _, p := range probs {
				if strings.Contains(p.Msg, tt.msg) && p.Line > 0 {
					return
				}
			}
			t.Errorf("no problem with a line containing %q; got:\n%v", tt.msg, probs)
		})
	} // A question that cannot fail is accepted as a gate: RS-ORIG-01.Q1 below 100 % opens the
	// deadline RS-ORIG-01.Q2, which can.
	gate, err := control.ParseLibrary("demo/1.1.yaml", []byte(strings.Replace(string(base), "met: 98, partial: 90", "met: 98, partial: 0", 1)))
	if err != nil {
		t.Fatal(err)
	}
	if err := gate.Validate(cat); err != nil {
		t.Errorf("gate refused: %v", err)
	}
}

func TestGradeAnswers(t *testing.T) {
	now := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	fl := func(v float64) *float64 { return &v }
	hours := &control.Question{ID: "H", Type: control.TypeNumber, Unit: "hours", Grading: &control.Grading{Better: "lower", Met: fl(4), Partial: fl(24)}}
	review := &control.Question{ID: "R", Type: control.TypeDate, Grading: &control.Grading{Date: control.DateAge, Better: "lower", Met: fl(365), Partial: fl(730)}}
	deadline := &control.Question{ID: "D", Type: control.TypeDate, Grading: &control.Grading{Date: control.DateUntil, Better: "lower", Met: fl(180)}}
	opts := []control.Option{{Value: "a"}, {Value: "b"}, {Value: "c"}, {Value: "none"}}
	grades := map[string]string{"a": control.GradeMet, "b": control.GradeMet, "c": control.GradePartiallyMet, "none": control.GradeNotMet}
	multi := func(combine string) *control.Question {
		return &control.Question{ID: "M", Type: control.TypeMultipleChoice, Options: opts, Grading: &control.Grading{Answers: grades, Combine: combine}}
	}
	tests := []struct {
		q      *control.Question
		answer []string
		want   string
	}{
		{hours, []string{"720"}, control.GradeNotMet},
		{hours, []string{"24"}, control.GradePartiallyMet},
		{hours, []string{"4"}, control.GradeMet},
		{review, []string{"2026-06-01"}, control.GradeMet},
		{review, []string{"2025-06-01"}, control.GradePartiallyMet},
		{review, []string{"2020-06-01"}, control.GradeNotMet},
		{review, []string{"2027-01-01"}, control.GradeNotMet}, // a review in the future
		{deadline, []string{"2027-01-01"}, control.GradeMet},
		{deadline, []string{"2026-11-01"}, control.GradeNotMet}, // passed
		{multi(""), []string{"c", "a"}, control.GradeMet},
		{multi("worst"), []string{"c", "a"}, control.GradePartiallyMet},
		{multi("all"), []string{"a", "b"}, control.GradeMet},
		{multi("all"), []string{"a", "none"}, control.GradePartiallyMet},
		{multi("all"), []string{"none"}, control.GradeNotMet},
	}
	for _, tt := range tests {
		t.Run(tt.q.ID+"="+strings.Join(tt.answer, ","), func(t *testing.T) {
			got, why, err := tt.q.Grade(tt.answer, now)
			if err != nil || got != tt.want || why == "" {
				t.Errorf("Grade = %s (%s) %v, want %s", got, why, err, tt.want)
			}
		})
	}
	if _, _, err := hours.Grade([]string{"soon"}, now); err == nil {
		t.Error("a non-number graded")
	}
}
