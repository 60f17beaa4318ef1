package score

import (
	"fmt"
	"slices"
	"strings"

	"routewarden/internal/control"
	rw "routewarden/internal/routewarden"
)

// Basis says what a control's result rests on; measured evidence outranks documents, which
// outrank declarations.
type Basis string

// Bases of a result.
const (
	BasisMeasured  Basis = control.BasisMeasured
	BasisEvidenced Basis = control.BasisEvidenced
	BasisDeclared  Basis = control.BasisDeclared
)

// ControlResult is one control's status with its basis and how it was reached.
type ControlResult struct {
	ID          string       `json:"id"`
	Title       string       `json:"title"`
	Family      string       `json:"family"`
	Severity    string       `json:"severity"`
	Weight      int          `json:"weight"`
	MANRS       []string     `json:"manrs"`
	Status      Status       `json:"status"`
	Basis       Basis        `json:"basis"`
	Why         string       `json:"how_reached"`
	Checks      []CheckGrade `json:"checks,omitempty"`
	Waived      bool         `json:"waived"`
	WaiverUntil string       `json:"waived_until,omitempty"`
}

// CheckGrade is one check rule of a control applied to the worst measured figure.
type CheckGrade struct {
	Check  string  `json:"check"`
	Figure float64 `json:"figure"`
	ASN    uint32  `json:"asn"`
	Grade  string  `json:"grade"` // pass, warn, fail
	Rule   string  `json:"rule"`
}

func evalControl(in Input, m map[string]measured, c *control.Control) ControlResult {
	r := ControlResult{ID: c.ID, Title: c.Title, Family: c.Family, Severity: c.Severity, Weight: c.Weight, MANRS: c.MANRS, Basis: Basis(c.Basis)}
	r.Status, r.Basis, r.Why, r.Checks = status(in, m, c)
	if r.Status == PartiallyMet || r.Status == NotMet {
		for _, w := range in.Waivers {
			if w.ControlID == c.ID && w.Active(in.Now) {
				r.Waived, r.WaiverUntil = true, w.ExpiresAt.Format("2006-01-02")
				r.Why += fmt.Sprintf(" Risk accepted by %s until %s: %s", w.CreatedBy, r.WaiverUntil, w.Justification)
			}
		}
	}
	return r
}

// status decides a control's status in this order: outside the scope → not applicable;
// measured figures for its checks → graded by the library's thresholds; otherwise the answers,
// evidence, reviews and findings decide.
func status(in Input, m map[string]measured, c *control.Control) (Status, Basis, string, []CheckGrade) {
	if !slices.ContainsFunc(c.AppliesTo, func(t string) bool { return slices.Contains(in.Scope, t) }) {
		return NotApplicable, Basis(c.Basis), fmt.Sprintf("Applies to %s only; the assessment's scope is %s.",
			strings.Join(c.AppliesTo, ", "), strings.Join(in.Scope, ", ")), nil
	}
	grades := gradeChecks(c, m)
	for _, f := range in.Findings {
		if f.ControlID == c.ID && f.Status == "open" {
			// A reviewer's finding is a judgement on the evidence as a whole: it holds against
			// favourable measurements too, until it is resolved.
			return NotMet, Basis(c.Basis), fmt.Sprintf("Open %s finding by %s: %s.", f.Severity, f.CreatedBy, f.Title), grades
		}
	}
	if r := overruled(in, c); len(grades) > 0 && r != nil {
		st, basis, why, _ := declaredStatus(in, c)
		return st, basis, fmt.Sprintf("Measurement set aside: %s resolved discrepancy %s for the answer (%s). Then: %s", r.ResolvedBy, r.Key, r.Reason, why), grades
	}
	if len(grades) > 0 {
		return measuredStatus(grades)
	}
	return declaredStatus(in, c)
}

// overruled returns a resolution by which a reviewer sided with an answer of the control against
// a measurement: the one case where the answers, not the measurement, decide a measured control.
func overruled(in Input, c *control.Control) *rw.Resolution {
	for _, q := range c.Questions {
		for _, k := range q.Contradictions {
			if r := in.Resolutions[DiscrepancyKey(q.ID, k.Measured.Check)]; r != nil && r.Outcome == "answer" {
				return r
			}
		}
	}
	return nil
}

func gradeChecks(c *control.Control, m map[string]measured) []CheckGrade {
	var out []CheckGrade
	for _, rule := range c.Checks {
		got, ok := m[rule.Check]
		if !ok {
			continue
		}
		g := CheckGrade{Check: rule.Check, Figure: got.Figure, ASN: got.ASN, Grade: rule.Grade(got.Figure)}
		cmp := "≥"
		if rule.Better == "lower" {
			cmp = "≤"
		}
		g.Rule = fmt.Sprintf("pass %s %g", cmp, rule.Pass)
		if rule.Warn != nil {
			g.Rule += fmt.Sprintf(", warn %s %g", cmp, *rule.Warn)
		}
		out = append(out, g)
	}
	return out
}

func measuredStatus(grades []CheckGrade) (Status, Basis, string, []CheckGrade) {
	worst, parts := "pass", make([]string, len(grades))
	for i, g := range grades {
		if g.Grade == "fail" || (g.Grade == "warn" && worst == "pass") {
			worst = g.Grade
		}
		parts[i] = fmt.Sprintf("%s = %g on AS%d (%s; %s)", g.Check, g.Figure, g.ASN, g.Grade, g.Rule)
	}
	st := map[string]Status{"pass": Met, "warn": PartiallyMet, "fail": NotMet}[worst]
	return st, BasisMeasured, "Measured: " + strings.Join(parts, "; ") + ". Measurement outranks the answers.", grades
}

func declaredStatus(in Input, c *control.Control) (Status, Basis, string, []CheckGrade) {
	values := answerValues(in.Answers)
	basis := BasisDeclared
	prefix := ""
	if c.Basis == control.BasisMeasured {
		prefix = "No measurement available for its checks; "
	}
	var visible, answered, missing, evNeed, evHave int
	var changes, denied []string
	for qi := range c.Questions {
		q := &c.Questions[qi]
		if !in.Library.Visible(q.ID, values) {
			continue
		}
		visible++
		if RequiresEvidence(c, q) {
			evNeed++
			if in.Evidence[q.ID] > 0 {
				evHave++
			}
			continue
		}
		a := in.Answers[q.ID]
		if a != nil && a.Review == rw.ReviewChanges {
			changes = append(changes, q.ID)
		}
		switch {
		case len(values[q.ID]) > 0:
			answered++
			if deniesClaim(q, values[q.ID]) {
				denied = append(denied, q.ID)
			}
		case q.Type != control.TypeFile && !q.Optional:
			missing++
		}
	}
	if evNeed > 0 && evHave == evNeed {
		basis = BasisEvidenced
	}
	switch {
	case visible == 0:
		return NotApplicable, basis, prefix + "every question is skipped by earlier answers.", nil
	case len(denied) > 0:
		return NotMet, basis, prefix + "declared absence: " + strings.Join(denied, ", ") + " answered no.", nil
	case answered == 0 && evHave == 0:
		return Unknown, basis, prefix + "no answers yet.", nil
	case missing > 0 || evHave < evNeed:
		return PartiallyMet, basis, prefix + fmt.Sprintf("%d required answer(s) and %d required document(s) missing.", missing, evNeed-evHave), nil
	case len(changes) > 0:
		return PartiallyMet, basis, prefix + "changes requested on " + strings.Join(changes, ", ") + ".", nil
	}
	how := "all required answers given"
	if basis == BasisEvidenced {
		how += fmt.Sprintf(" and %d required document(s) attached", evHave)
	}
	return Met, basis, prefix + how + ".", nil
}

// deniesClaim reports whether a yes/no answer is the opposite of the practice a contradiction
// rule treats as the vendor's claim (e.g. "no" to "Do you drop RPKI-invalid routes?").
func deniesClaim(q *control.Question, v []string) bool {
	if q.Type != control.TypeYesNo {
		return false
	}
	for _, k := range q.Contradictions {
		if k.Answer.Op == "=" && k.Answer.Value == "yes" && v[0] == "no" {
			return true
		}
	}
	return false
}
