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

// CheckGrade is one check rule of a control applied to the vendor's ASNs: the grade of the ASN
// that grades worst, with its figure and the check's own summary of the evidence.
type CheckGrade struct {
	Check   string  `json:"check"`
	Figure  float64 `json:"figure"`
	ASN     uint32  `json:"asn"`
	Grade   string  `json:"grade"` // pass, warn, fail
	Rule    string  `json:"rule"`
	Summary string  `json:"summary,omitempty"`
	// ByStatus is set when the figure is one the thresholds cannot grade (the rule's
	// status_figures) and the check's own status decided.
	ByStatus bool `json:"by_status,omitempty"`
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
	grades := gradeChecks(c, in.Measurements)
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
		st, basis, why, grades := measuredStatus(grades)
		if g, reasons := answerGrades(in, c, true); len(reasons) > 0 && worse(statusOf(g), st) {
			// A measurement cannot prove a practice the vendor itself says is missing.
			st = statusOf(g)
			why += " The answers admit less: " + strings.Join(reasons, "; ") + "."
		}
		return st, basis, why, grades
	}
	return declaredStatus(in, c)
}

// statusOf turns an answer grade into a control status.
func statusOf(grade string) Status {
	switch grade {
	case control.GradeMet:
		return Met
	case control.GradePartiallyMet:
		return PartiallyMet
	}
	return NotMet
}

// worse reports whether a is a worse result than b among met, partially met and not met.
func worse(a, b Status) bool {
	rank := map[Status]int{Met: 0, PartiallyMet: 1, NotMet: 2}
	return rank[a] > rank[b]
}

// answerGrades grades the control's visible, answered, graded questions with the library's
// grading and returns the worst grade and, for each answer that does not meet the control, the
// reason. With ownOnly, answers pre-filled from measurements are left out (the measurement
// speaks for itself). Questions without grading (libraries before 2026.2) are skipped.
func answerGrades(in Input, c *control.Control, ownOnly bool) (string, []string) {
	values := answerValues(in.Answers)
	worst := control.GradeMet
	var reasons []string
	for qi := range c.Questions {
		q := &c.Questions[qi]
		a := in.Answers[q.ID]
		if q.Grading == nil || a == nil || a.Empty() || (ownOnly && a.Measured) || !in.Library.Visible(q.ID, values) {
			continue
		}
		g, why, err := q.Grade(a.Values, in.Now)
		if err != nil {
			g, why = control.GradeNotMet, err.Error()+" (cannot be graded)"
		}
		worst = control.WorseGrade(worst, g)
		if g != control.GradeMet {
			reasons = append(reasons, why)
		}
	}
	return worst, reasons
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

var gradeRank = map[string]int{"pass": 0, "warn": 1, "fail": 2}

// gradeChecks grades each check rule of the control on every ASN that has a known figure and
// keeps the worst: the weakest ASN decides, in the direction the rule gives. At the rule's
// status figures the check's own status decides (a transit-free network: no upstream, yet the
// check passes it).
func gradeChecks(c *control.Control, ms []rw.Measurement) []CheckGrade {
	var out []CheckGrade
	for _, rule := range c.Checks {
		var worst *CheckGrade
		for _, x := range ms {
			if x.Check != rule.Check || x.Figure == nil || x.Status == rw.StatusUnknown {
				continue
			}
			g := CheckGrade{Check: rule.Check, Figure: *x.Figure, ASN: x.ASN, Grade: rule.Grade(*x.Figure), Summary: x.Summary}
			if slices.Contains(rule.StatusFigures, *x.Figure) {
				if _, ok := gradeRank[string(x.Status)]; ok {
					g.Grade, g.ByStatus = string(x.Status), true
				}
			}
			if worst == nil || gradeRank[g.Grade] > gradeRank[worst.Grade] ||
				(gradeRank[g.Grade] == gradeRank[worst.Grade] && worseFigure(rule.Better, g.Figure, worst.Figure)) {
				worst = &g
			}
		}
		if worst == nil {
			continue
		}
		cmp := "≥"
		if rule.Better == "lower" {
			cmp = "≤"
		}
		worst.Rule = fmt.Sprintf("pass %s %g", cmp, rule.Pass)
		if rule.Warn != nil {
			worst.Rule += fmt.Sprintf(", warn %s %g", cmp, *rule.Warn)
		}
		if worst.ByStatus {
			worst.Rule += fmt.Sprintf("; at %g the check's own status decides", worst.Figure)
		}
		out = append(out, *worst)
	}
	return out
}

func worseFigure(better string, a, b float64) bool {
	if better == "lower" {
		return a > b
	}
	return a < b
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
	grade, reasons := answerGrades(in, c, false)
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
			if q.Grading == nil && deniesClaim(q, values[q.ID]) {
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
	case grade == control.GradeNotMet:
		return NotMet, basis, prefix + "the answers fail the control: " + strings.Join(reasons, "; ") + ".", nil
	case answered == 0 && evHave == 0:
		return Unknown, basis, prefix + "no answers yet.", nil
	case missing > 0 || evHave < evNeed:
		return PartiallyMet, basis, prefix + fmt.Sprintf("%d required answer(s) and %d required document(s) missing.", missing, evNeed-evHave), nil
	case len(changes) > 0:
		return PartiallyMet, basis, prefix + "changes requested on " + strings.Join(changes, ", ") + ".", nil
	case grade == control.GradePartiallyMet:
		return PartiallyMet, basis, prefix + "the answers partly meet the control: " + strings.Join(reasons, "; ") + ".", nil
	}
	how := "all required answers given"
	if basis == BasisEvidenced {
		how += fmt.Sprintf(" and %d required document(s) attached", evHave)
	}
	return Met, basis, prefix + how + ".", nil
}

// deniesClaim reports whether a yes/no answer is the opposite of the practice a contradiction
// rule treats as the vendor's claim (e.g. "no" to "Do you drop RPKI-invalid routes?"). It is
// how questions without grading (libraries before 2026.2) can fail.
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
