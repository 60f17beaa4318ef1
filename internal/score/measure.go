package score

import (
	"fmt"
	"math"
	"slices"
	"strconv"

	"routewarden/internal/control"
	rw "routewarden/internal/routewarden"
)

// measured is the worst figure of one check across the vendor's ASNs.
type measured struct {
	Figure  float64
	ASN     uint32
	Summary string
	ASNs    int // how many ASNs reported a figure
}

// lowerIsBetter says in which direction a check's figures improve: as the library's rules for
// the check say (better: lower or higher), else by the figure's unit (fewer offences are
// better for counts; more is better for ratios, scores and booleans).
func lowerIsBetter(lib *control.Library, check string) bool {
	if lib != nil {
		for _, c := range lib.Controls {
			for _, r := range c.Checks {
				if r.Check == check {
					return r.Better == "lower"
				}
			}
		}
	}
	def, _ := rw.FindCheck(check)
	return def.Figure == "count"
}

// aggregate keeps, per check, the worst known figure over all ASNs in the direction the library
// gives the check: the highest where lower is better, the lowest where higher is better (the
// number of upstreams: the worst-connected ASN decides). Unknown results and results without a
// figure are left out: missing data never passes.
func aggregate(lib *control.Library, ms []rw.Measurement) map[string]measured {
	out := map[string]measured{}
	lower := map[string]bool{}
	for _, x := range ms {
		if x.Figure == nil || x.Status == rw.StatusUnknown {
			continue
		}
		l, ok := lower[x.Check]
		if !ok {
			l = lowerIsBetter(lib, x.Check)
			lower[x.Check] = l
		}
		cur, seen := out[x.Check]
		worse := *x.Figure < cur.Figure
		if l {
			worse = *x.Figure > cur.Figure
		}
		if !seen || worse {
			cur.Figure, cur.ASN, cur.Summary = *x.Figure, x.ASN, x.Summary
		}
		cur.ASNs++
		out[x.Check] = cur
	}
	return out
}

// Prefill returns the answers that measurements settle: questions of the controls in scope
// that name a prefill check with a known figure. Ratios become percentages, booleans yes/no.
func Prefill(lib *control.Library, scope []string, ms []rw.Measurement) []*rw.Answer {
	m := aggregate(lib, ms)
	var out []*rw.Answer
	for _, c := range lib.ForProviders(scope) {
		for _, q := range c.Questions {
			got, ok := m[q.Prefill]
			if q.Prefill == "" || !ok {
				continue
			}
			if v, ok := prefillValue(q, got.Figure); ok {
				out = append(out, &rw.Answer{QuestionID: q.ID, Values: []string{v}, Measured: true, UpdatedBy: "system",
					Comment: ""})
			}
		}
	}
	return out
}

func prefillValue(q control.Question, fig float64) (string, bool) {
	def, _ := rw.FindCheck(q.Prefill)
	switch q.Type {
	case control.TypePercentage:
		if def.Figure == "ratio" {
			fig *= 100
		}
		return strconv.FormatFloat(math.Round(fig*10)/10, 'f', -1, 64), true
	case control.TypeNumber:
		return strconv.FormatFloat(fig, 'f', -1, 64), true
	case control.TypeYesNo:
		if fig >= 1 {
			return "yes", true
		}
		return "no", true
	}
	return "", false
}

// Discrepancy is an answer contradicted by a measurement, per a contradiction rule of the
// library. It must be resolved, with a reason, before the assessment can be approved.
type Discrepancy struct {
	Key        string   `json:"key"` // question ID "/" check
	ControlID  string   `json:"control"`
	QuestionID string   `json:"question"`
	Check      string   `json:"check"`
	Answer     []string `json:"answer"`
	Figure     float64  `json:"measured_figure"`
	ASN        uint32   `json:"asn"`
	Rule       string   `json:"rule"` // the rule that fired, in words
	Reason     string   `json:"reason"`
	Resolved   bool     `json:"resolved"`
	Outcome    string   `json:"outcome,omitempty"` // "measurement" or "answer"
	Resolution string   `json:"resolution_reason,omitempty"`
	ResolvedBy string   `json:"resolved_by,omitempty"`
}

// DiscrepancyKey names a discrepancy by question and check.
func DiscrepancyKey(question, check string) string { return question + "/" + check }

func discrepancies(in Input, m map[string]measured) []Discrepancy {
	var out []Discrepancy
	values := answerValues(in.Answers)
	for _, c := range in.Library.ForProviders(in.Scope) {
		for qi := range c.Questions {
			q := &c.Questions[qi]
			a := in.Answers[q.ID]
			if a == nil || a.Measured || a.Empty() || !in.Library.Visible(q.ID, values) {
				continue
			}
			for _, k := range q.Contradictions {
				got, ok := m[k.Measured.Check]
				if !ok {
					continue
				}
				if fired, err := k.Fires(q, a.Values, got.Figure); err != nil || !fired {
					continue
				}
				d := Discrepancy{Key: DiscrepancyKey(q.ID, k.Measured.Check), ControlID: c.ID, QuestionID: q.ID, Check: k.Measured.Check,
					Answer: slices.Clone(a.Values), Figure: got.Figure, ASN: got.ASN, Reason: k.Reason,
					Rule: fmt.Sprintf("answer %s %s while %s %s %g", k.Answer.Op, k.Answer.Value, k.Measured.Check, k.Measured.Op, k.Measured.Value)}
				if r := in.Resolutions[d.Key]; r != nil {
					d.Resolved, d.Outcome, d.Resolution, d.ResolvedBy = true, r.Outcome, r.Reason, r.ResolvedBy
				}
				out = append(out, d)
			}
		}
	}
	return out
}

func answerValues(answers map[string]*rw.Answer) map[string][]string {
	out := make(map[string][]string, len(answers))
	for id, a := range answers {
		if a != nil && !a.Empty() {
			out[id] = a.Values
		}
	}
	return out
}
