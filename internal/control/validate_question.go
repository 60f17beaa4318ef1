package control

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"routewarden/internal/routewarden"
)

var questionSuffixRE = regexp.MustCompile(`^Q[0-9]{1,2}$`)

// qref locates a question in the library.
type qref struct {
	q     *Question
	c     *Control
	path  string
	order int
}

// questions validates every question, its conditions and contradictions, and checks that
// conditions form no cycle.
func (v *validator) questions() {
	index := map[string]qref{}
	var order []string
	for i := range v.lib.Controls {
		c := &v.lib.Controls[i]
		if len(c.Questions) == 0 {
			v.add(fmt.Sprintf("$.controls[%d]", i), "control %s has no questions", c.ID)
		}
		for j := range c.Questions {
			q := &c.Questions[j]
			p := fmt.Sprintf("$.controls[%d].questions[%d]", i, j)
			if prev, dup := index[q.ID]; dup {
				v.add(p+".id", "duplicate question ID %q (first in control %s)", q.ID, prev.c.ID)
				continue
			}
			suffix, ok := strings.CutPrefix(q.ID, c.ID+".")
			if !ok || !questionSuffixRE.MatchString(suffix) {
				v.add(p+".id", "question ID %q must be %s.Q<n>", q.ID, c.ID)
			}
			index[q.ID] = qref{q: q, c: c, path: p, order: len(order)}
			order = append(order, q.ID)
		}
	}
	onCycle := v.cycles(index, order)
	v.gates = map[string]bool{}
	for _, id := range order {
		if q := index[id].q; q.When != nil && q.CanFail() {
			v.gates[q.When.Question] = true
		}
	}
	for _, id := range order {
		v.question(index[id], index, onCycle)
	}
}

func (v *validator) question(r qref, index map[string]qref, onCycle map[string]bool) {
	q, p := r.q, r.path
	if strings.TrimSpace(q.Text) == "" {
		v.add(p, "question %s has no text", q.ID)
	}
	if !slices.Contains(QuestionTypes, q.Type) {
		v.add(p+".type", "question %s: type %q is not one of %s", q.ID, q.Type, strings.Join(QuestionTypes, ", "))
		return
	}
	v.options(p, q)
	v.bounds(p, q)
	if q.Evidence != "" {
		switch {
		case q.Type != TypeFile:
			v.add(p+".evidence", "question %s: only file questions collect evidence", q.ID)
		case !slices.ContainsFunc(r.c.Evidence, func(e Evidence) bool { return e.ID == q.Evidence }):
			v.add(p+".evidence", "question %s: control %s has no evidence %q", q.ID, r.c.ID, q.Evidence)
		}
	}
	if q.Prefill != "" {
		v.prefill(p, q)
	}
	if w := q.When; w != nil {
		target, ok := index[w.Question]
		switch {
		case !ok:
			v.add(p+".when.question", "question %s: condition refers to unknown question %q", q.ID, w.Question)
		case w.Question == q.ID:
			v.add(p+".when.question", "question %s: condition refers to itself", q.ID)
		case target.order > r.order && !onCycle[q.ID]:
			v.add(p+".when.question", "question %s: condition refers to the later question %s; conditions must refer to earlier answers", q.ID, w.Question)
		default:
			if err := testValid(target.q, w.Op, w.Value); err != nil {
				v.add(p+".when", "question %s: condition on %s: %v", q.ID, w.Question, err)
			}
		}
	}
	for i, k := range q.Contradictions {
		v.contradiction(fmt.Sprintf("%s.contradictions[%d]", p, i), q, k)
	}
	v.grading(p, q)
}

func (v *validator) options(p string, q *Question) {
	choice := q.Type == TypeSingleChoice || q.Type == TypeMultipleChoice
	if !choice {
		if len(q.Options) > 0 {
			v.add(p+".options", "question %s: only choice questions have options", q.ID)
		}
		return
	}
	if len(q.Options) < 2 {
		v.add(p+".options", "question %s: a choice question needs at least two options", q.ID)
	}
	seen := map[string]bool{}
	for i, o := range q.Options {
		op := fmt.Sprintf("%s.options[%d]", p, i)
		if !localIDRE.MatchString(o.Value) {
			v.add(op+".value", "question %s: option value %q must be lower-case letters, digits and dashes", q.ID, o.Value)
		}
		if seen[o.Value] {
			v.add(op+".value", "question %s: duplicate option %q", q.ID, o.Value)
		}
		seen[o.Value] = true
		if strings.TrimSpace(o.Label) == "" {
			v.add(op, "question %s: option %q has no label", q.ID, o.Value)
		}
	}
}

func (v *validator) bounds(p string, q *Question) {
	numeric := q.Type == TypeNumber || q.Type == TypePercentage
	if !numeric {
		if q.Min != nil || q.Max != nil || q.Unit != "" {
			v.add(p, "question %s: min, max and unit apply to number and percentage questions only", q.ID)
		}
		return
	}
	if q.Type == TypePercentage {
		for _, b := range []*float64{q.Min, q.Max} {
			if b != nil && (*b < 0 || *b > 100) {
				v.add(p, "question %s: percentage bound %g is outside 0..100", q.ID, *b)
			}
		}
	}
	if q.Min != nil && q.Max != nil && *q.Min >= *q.Max {
		v.add(p+".min", "question %s: min %g is not below max %g", q.ID, *q.Min, *q.Max)
	}
}

// prefillFigures says which check figures can pre-fill which answer types.
var prefillFigures = map[string][]string{
	TypePercentage: {"ratio"},
	TypeNumber:     {"count", "score"},
	TypeYesNo:      {"bool", "grade"},
}

func (v *validator) prefill(p string, q *Question) {
	def, ok := routewarden.FindCheck(q.Prefill)
	if !ok {
		v.add(p+".prefill", "question %s: unknown check %q", q.ID, q.Prefill)
		return
	}
	if !slices.Contains(prefillFigures[q.Type], def.Figure) {
		v.add(p+".prefill", "question %s: a %s figure cannot pre-fill a %s answer", q.ID, def.Figure, q.Type)
	}
}

func (v *validator) contradiction(p string, q *Question, k Contradiction) {
	if err := testValid(q, k.Answer.Op, k.Answer.Value); err != nil {
		v.add(p+".answer", "question %s: contradiction answer: %v", q.ID, err)
	}
	def, ok := routewarden.FindCheck(k.Measured.Check)
	switch {
	case !ok:
		v.add(p+".measured.check", "question %s: unknown check %q", q.ID, k.Measured.Check)
	case !slices.Contains(numericOps, k.Measured.Op):
		v.add(p+".measured.op", "question %s: measured op %q is not one of %s", q.ID, k.Measured.Op, strings.Join(numericOps, " "))
	default:
		if err := inRange(def.Figure, k.Measured.Value); err != nil {
			v.add(p+".measured.value", "question %s: %s: %v", q.ID, k.Measured.Check, err)
		}
	}
	if strings.TrimSpace(k.Reason) == "" {
		v.add(p, "question %s: contradiction has no reason", q.ID)
	}
}

var (
	numericOps  = []string{"=", "!=", "<", "<=", ">", ">="}
	equalityOps = []string{"=", "!="}
	setOps      = []string{"contains", "excludes"}
)

// testValid reports whether "answer op value" is a meaningful test of an answer to q.
func testValid(q *Question, op, value string) error {
	ops := map[string][]string{
		TypeYesNo: equalityOps, TypeSingleChoice: equalityOps, TypeMultipleChoice: setOps,
		TypeNumber: numericOps, TypePercentage: numericOps, TypeDate: numericOps,
	}[q.Type]
	if ops == nil {
		return fmt.Errorf("a %s answer cannot be tested", q.Type)
	}
	if !slices.Contains(ops, op) {
		return fmt.Errorf("op %q is not one of %s for a %s answer", op, strings.Join(ops, " "), q.Type)
	}
	switch q.Type {
	case TypeYesNo:
		if value != "yes" && value != "no" {
			return fmt.Errorf("value %q is not yes or no", value)
		}
	case TypeSingleChoice, TypeMultipleChoice:
		if !slices.ContainsFunc(q.Options, func(o Option) bool { return o.Value == value }) {
			return fmt.Errorf("value %q is not an option of %s", value, q.ID)
		}
	case TypeDate:
		if _, err := time.Parse(time.DateOnly, value); err != nil {
			return fmt.Errorf("value %q is not a date (YYYY-MM-DD)", value)
		}
	default:
		x, err := strconv.ParseFloat(value, 64)
		if err != nil {
			return fmt.Errorf("value %q is not a number", value)
		}
		if q.Type == TypePercentage && (x < 0 || x > 100) {
			return fmt.Errorf("value %g is outside 0..100", x)
		}
	}
	return nil
}

// cycles reports every cycle of conditions (a question shown only after an answer that is
// itself shown only after the first question's answer) and returns the questions on cycles.
// Each question has at most one condition, so every walk is a chain.
func (v *validator) cycles(index map[string]qref, order []string) map[string]bool {
	onCycle := map[string]bool{}
	done := map[string]bool{}
	for _, start := range order {
		var chain []string
		onChain := map[string]int{}
		id := start
		for id != "" && !done[id] {
			if at, seen := onChain[id]; seen {
				for _, c := range chain[at:] {
					onCycle[c] = true
				}
				v.reportCycle(index, chain[at:])
				break
			}
			onChain[id] = len(chain)
			chain = append(chain, id)
			r, ok := index[id]
			if !ok || r.q.When == nil {
				break
			}
			id = r.q.When.Question
		}
		for _, c := range chain {
			done[c] = true
		}
	}
	return onCycle
}

func (v *validator) reportCycle(index map[string]qref, cycle []string) {
	first := cycle[0]
	for _, id := range cycle {
		if index[id].order < index[first].order {
			first = id
		}
	}
	// Rotate so the message starts at the question reported.
	for cycle[0] != first {
		cycle = append(cycle[1:], cycle[0])
	}
	v.add(index[first].path+".when", "condition cycle: %s → %s", strings.Join(cycle, " → "), first)
}
