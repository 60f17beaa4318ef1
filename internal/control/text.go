package control

import (
	"fmt"
	"io"
	"strings"
)

// String renders the rule's thresholds, e.g. "pass ≥ 0.98, warn ≥ 0.9, otherwise fail".
func (r CheckRule) String() string {
	op := "≥"
	if r.Better == "lower" {
		op = "≤"
	}
	s := fmt.Sprintf("pass %s %g", op, r.Pass)
	if r.Warn != nil {
		s += fmt.Sprintf(", warn %s %g", op, *r.Warn)
	}
	s += ", otherwise fail"
	for _, x := range r.StatusFigures {
		s += fmt.Sprintf("; at %g the check's own status decides", x)
	}
	return s
}

// String renders the condition, e.g. "RS-ROV-01.Q1 != all".
func (c Condition) String() string {
	return fmt.Sprintf("%s %s %s", c.Question, c.Op, c.Value)
}

// String renders the rule, e.g. "answer = all and rov.invalid-propagation > 0".
func (k Contradiction) String() string {
	return fmt.Sprintf("answer %s %s and %s %s %g", k.Answer.Op, k.Answer.Value,
		k.Measured.Check, k.Measured.Op, k.Measured.Value)
}

// WriteControl writes a plain-text description of a control: its metadata, checks with
// thresholds, evidence, questions with their conditions and contradiction rules, and the
// obligations it supports (looked up in cat).
func WriteControl(w io.Writer, l *Library, cat *Catalogue, c *Control) {
	fam, _ := l.Family(c.Family)
	fmt.Fprintf(w, "%s  %s\n\n", c.ID, c.Title)
	fmt.Fprintf(w, "Library:     %s %s\nFamily:      %s (%s)\nApplies to:  %s\nMANRS:       %s\n",
		l.Name, l.Version, c.Family, fam.Title, strings.Join(c.AppliesTo, ", "), orDash(strings.Join(c.MANRS, ", ")))
	fmt.Fprintf(w, "Severity:    %s (weight %d)\nBasis:       %s\n", c.Severity, c.Weight, c.Basis)
	fmt.Fprintf(w, "Objective:   %s\nRationale:   %s\n", c.Objective, c.Rationale)
	if len(c.Checks) > 0 {
		fmt.Fprintln(w, "\nChecks:")
		for _, r := range c.Checks {
			note := ""
			if r.Note != "" {
				note = " — " + r.Note
			}
			fmt.Fprintf(w, "  %s  %s%s\n", r.Check, r, note)
		}
	}
	if len(c.Evidence) > 0 {
		fmt.Fprintln(w, "\nEvidence:")
		for _, e := range c.Evidence {
			req := "optional"
			if e.Required {
				req = "required"
			}
			fmt.Fprintf(w, "  %s (%s): %s\n", e.ID, req, e.Title)
		}
	}
	fmt.Fprintln(w, "\nQuestions:")
	for _, q := range c.Questions {
		writeQuestion(w, q)
	}
	fmt.Fprintln(w, "\nObligations:")
	for _, id := range c.Obligations {
		if o, ok := cat.Obligation(id); ok {
			fmt.Fprintf(w, "  %-16s %s %s — %s\n", id, o.Regulation, o.Reference, o.Title)
		}
	}
}

func writeQuestion(w io.Writer, q Question) {
	opt := ""
	if q.Optional {
		opt = ", optional"
	}
	fmt.Fprintf(w, "  %s [%s%s] %s\n", q.ID, q.Type, opt, q.Text)
	for _, o := range q.Options {
		fmt.Fprintf(w, "      - %s: %s\n", o.Value, o.Label)
	}
	if q.When != nil {
		fmt.Fprintf(w, "      asked when %s\n", q.When)
	}
	if q.Evidence != "" {
		fmt.Fprintf(w, "      supplies evidence %s\n", q.Evidence)
	}
	if q.Prefill != "" {
		fmt.Fprintf(w, "      pre-filled from check %s\n", q.Prefill)
	}
	for _, k := range q.Contradictions {
		fmt.Fprintf(w, "      discrepancy when %s: %s\n", k, k.Reason)
	}
	if q.Grading != nil {
		fmt.Fprintf(w, "      graded: %s\n", q.GradingText())
	}
}

// GradingText renders the question's grading in words, e.g. "yes → met, no → not met" or
// "met ≤ 4 hours, partially met ≤ 24 hours, otherwise not met".
func (q *Question) GradingText() string {
	g := q.Grading
	if g == nil {
		return "not graded"
	}
	var s string
	switch q.Type {
	case TypeYesNo, TypeSingleChoice, TypeMultipleChoice:
		values := []string{"yes", "no"}
		if q.Type != TypeYesNo {
			values = values[:0]
			for _, o := range q.Options {
				values = append(values, o.Value)
			}
		}
		parts := make([]string, len(values))
		for i, v := range values {
			parts[i] = v + " → " + label(g.Answers[v])
		}
		s = strings.Join(parts, ", ")
		if q.Type == TypeMultipleChoice {
			s += " (" + map[string]string{"": "best chosen option decides", "best": "best chosen option decides",
				"worst": "worst chosen option decides", "all": "every option graded met is required"}[g.Combine] + ")"
		}
	case TypeDate:
		what := "days since the date"
		if g.Date == DateUntil {
			what = "days until the date"
		}
		s = what + ": " + g.Rule("days")
	default:
		unit := q.Unit
		if q.Type == TypePercentage {
			unit = "%"
		}
		s = g.Rule(unit)
	}
	if g.Note != "" {
		s += " — " + g.Note
	}
	return s
}

// WriteText writes the delta in the form `controls diff` prints: one line per added, removed
// or changed control, with titles looked up in the two versions.
func (d Delta) WriteText(w io.Writer, old, new *Library) {
	fmt.Fprintf(w, "%s → %s\n", d.From, d.To)
	if d.Empty() {
		fmt.Fprintln(w, "no changes")
		return
	}
	if len(d.Library) > 0 {
		fmt.Fprintf(w, "library: %s\n", strings.Join(d.Library, ", "))
	}
	for _, id := range d.Added {
		c, _ := new.Control(id)
		fmt.Fprintf(w, "added    %s  %s\n", id, c.Title)
	}
	for _, id := range d.Removed {
		c, _ := old.Control(id)
		fmt.Fprintf(w, "removed  %s  %s\n", id, c.Title)
	}
	for _, c := range d.Changed {
		fmt.Fprintf(w, "changed  %s: %s\n", c.ID, strings.Join(c.Fields, "; "))
	}
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
