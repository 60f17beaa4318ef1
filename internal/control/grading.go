package control

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Grades of an answer, named like the control statuses they lead to.
const (
	GradeMet          = "met"
	GradePartiallyMet = "partially_met"
	GradeNotMet       = "not_met"
)

// Grades lists the grades, best first.
var Grades = []string{GradeMet, GradePartiallyMet, GradeNotMet}

// Grading says which answers to a question meet, partly meet or fail its control.
//
//   - yes_no and single_choice: Answers grades every possible answer ("yes", "no", each option).
//   - multiple_choice: Answers grades every option; Combine says how the chosen options combine:
//     "best" (the default: alternatives, one suffices), "worst" (one bad choice spoils the
//     answer), or "all" (every option graded met is a required element: all of them chosen →
//     met, at least one option graded met or partially met chosen → partially met, otherwise
//     not met; options graded not met, such as "none", count for nothing).
//   - number and percentage: Better (higher or lower) with the Met and optional Partial
//     thresholds, taken from the control's objective (e.g. notification within 4 hours: better
//     lower, met 4).
//   - date: Date "age" grades the days since a past event (a review, a test), "until" the days
//     left until a deadline or an expiry; Better and thresholds as for numbers. A date on the
//     wrong side of today (a review in the future, a deadline already passed) fails.
//
// Text and file answers are not graded: a reviewer judges them (changes requested, findings),
// and required evidence counts through its presence.
type Grading struct {
	Answers map[string]string `yaml:"answers" json:"answers,omitempty"`
	Combine string            `yaml:"combine" json:"combine,omitempty"`
	Date    string            `yaml:"date" json:"date,omitempty"`
	Better  string            `yaml:"better" json:"better,omitempty"`
	Met     *float64          `yaml:"met" json:"met,omitempty"`
	Partial *float64          `yaml:"partial" json:"partial,omitempty"`
	// Note says how the grading follows from the control's objective.
	Note string `yaml:"note" json:"note,omitempty"`
}

// Date grading measures.
const (
	DateAge   = "age"   // days since the date, which lies in the past
	DateUntil = "until" // days until the date, which lies in the future
)

// Gradable reports whether answers of the question's type are graded.
func Gradable(q *Question) bool {
	return q.Type != TypeText && q.Type != TypeFile && slices.Contains(QuestionTypes, q.Type)
}

// Grade grades a non-empty answer to q at time now: the grade and the reason in words. It
// fails when q has no grading or the answer does not fit the question.
func (q *Question) Grade(answer []string, now time.Time) (string, string, error) {
	g := q.Grading
	if g == nil {
		return "", "", fmt.Errorf("question %s has no grading", q.ID)
	}
	if len(answer) == 0 {
		return "", "", fmt.Errorf("question %s: no answer to grade", q.ID)
	}
	switch q.Type {
	case TypeYesNo, TypeSingleChoice:
		grade, ok := g.Answers[answer[0]]
		if !ok {
			return "", "", fmt.Errorf("question %s: answer %q is not graded", q.ID, answer[0])
		}
		return grade, fmt.Sprintf("%s = %s → %s", q.ID, answer[0], label(grade)), nil
	case TypeMultipleChoice:
		grade, err := g.combine(q, answer)
		if err != nil {
			return "", "", err
		}
		how := map[string]string{"": "the best chosen option decides", "best": "the best chosen option decides",
			"worst": "the worst chosen option decides", "all": "every option graded met is required"}[g.Combine]
		return grade, fmt.Sprintf("%s = %s → %s (%s)", q.ID, strings.Join(answer, ", "), label(grade), how), nil
	case TypeNumber, TypePercentage:
		x, err := strconv.ParseFloat(answer[0], 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			return "", "", fmt.Errorf("question %s: answer %q is not a number", q.ID, answer[0])
		}
		grade := g.threshold(x)
		unit := q.Unit
		if q.Type == TypePercentage {
			unit = "%"
		}
		return grade, fmt.Sprintf("%s = %s%s → %s (%s)", q.ID, answer[0], spaced(unit), label(grade), g.Rule(unit)), nil
	case TypeDate:
		d, err := time.Parse(time.DateOnly, answer[0])
		if err != nil {
			return "", "", fmt.Errorf("question %s: answer %q is not a date (YYYY-MM-DD)", q.ID, answer[0])
		}
		today := now.UTC().Truncate(24 * time.Hour)
		days := math.Round(today.Sub(d).Hours() / 24)
		what := "days ago"
		if g.Date == DateUntil {
			days, what = -days, "days from now"
		}
		if days < 0 {
			why := "lies in the future"
			if g.Date == DateUntil {
				why = "has passed"
			}
			return GradeNotMet, fmt.Sprintf("%s = %s %s → %s", q.ID, answer[0], why, label(GradeNotMet)), nil
		}
		grade := g.threshold(days)
		return grade, fmt.Sprintf("%s = %s, %g %s → %s (%s)", q.ID, answer[0], days, what, label(grade), g.Rule("days")), nil
	}
	return "", "", fmt.Errorf("question %s: a %s answer is not graded", q.ID, q.Type)
}

func (g *Grading) combine(q *Question, answer []string) (string, error) {
	chosen := map[string]bool{}
	for _, v := range answer {
		if _, ok := g.Answers[v]; !ok {
			return "", fmt.Errorf("question %s: option %q is not graded", q.ID, v)
		}
		chosen[v] = true
	}
	switch g.Combine {
	case "", "best":
		best := GradeNotMet
		for v := range chosen {
			if rank(g.Answers[v]) < rank(best) {
				best = g.Answers[v]
			}
		}
		return best, nil
	case "worst":
		worst := GradeMet
		for v := range chosen {
			worst = WorseGrade(worst, g.Answers[v])
		}
		return worst, nil
	}
	all, some := true, false
	for _, o := range q.Options {
		grade := g.Answers[o.Value]
		if chosen[o.Value] && grade != GradeNotMet {
			some = true
		}
		if grade == GradeMet && !chosen[o.Value] {
			all = false
		}
	}
	switch {
	case all && some:
		return GradeMet, nil
	case some:
		return GradePartiallyMet, nil
	}
	return GradeNotMet, nil
}

func (g *Grading) threshold(x float64) string {
	better := func(a, b float64) bool { return a >= b }
	if g.Better == "lower" {
		better = func(a, b float64) bool { return a <= b }
	}
	switch {
	case g.Met != nil && better(x, *g.Met):
		return GradeMet
	case g.Partial != nil && better(x, *g.Partial):
		return GradePartiallyMet
	}
	return GradeNotMet
}

// Rule renders numeric thresholds in words, e.g. "met ≤ 4 hours, partially met ≤ 24 hours".
func (g *Grading) Rule(unit string) string {
	if g.Met == nil {
		return ""
	}
	cmp := "≥"
	if g.Better == "lower" {
		cmp = "≤"
	}
	s := fmt.Sprintf("met %s %g%s", cmp, *g.Met, spaced(unit))
	if g.Partial != nil {
		s += fmt.Sprintf(", partially met %s %g%s", cmp, *g.Partial, spaced(unit))
	}
	return s + ", otherwise not met"
}

// CanFail reports whether some possible answer to q grades not met.
func (q *Question) CanFail() bool {
	g := q.Grading
	if g == nil {
		return false
	}
	switch q.Type {
	case TypeYesNo, TypeSingleChoice, TypeMultipleChoice:
		for _, grade := range g.Answers {
			if grade == GradeNotMet {
				return true
			}
		}
		return false
	case TypeDate:
		return g.Met != nil
	case TypeNumber, TypePercentage:
		if g.Met == nil {
			return false
		}
		lo, hi := q.Min, q.Max
		if q.Type == TypePercentage {
			zero, hundred := 0.0, 100.0
			if lo == nil {
				lo = &zero
			}
			if hi == nil {
				hi = &hundred
			}
		}
		worst := *g.Met
		if g.Partial != nil {
			worst = *g.Partial
		}
		if g.Better == "lower" {
			return hi == nil || *hi > worst
		}
		return lo == nil || *lo < worst
	}
	return false
}

// Rank orders grades, met first; unknown grades rank last.
func rank(grade string) int {
	if i := slices.Index(Grades, grade); i >= 0 {
		return i
	}
	return len(Grades)
}

// WorseGrade returns the worse of two grades.
func WorseGrade(a, b string) string {
	if rank(b) > rank(a) {
		return b
	}
	return a
}

func label(grade string) string { return strings.ReplaceAll(grade, "_", " ") }

func spaced(unit string) string {
	switch unit {
	case "":
		return ""
	case "%":
		return " %"
	}
	return " " + unit
}
