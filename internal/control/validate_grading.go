package control

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// grading validates a question's grading: the fields fit the answer type, every possible
// answer (yes and no, every option) is graded, thresholds are ordered and in range, and some
// answer fails the control: a question that cannot fail cannot tell a weak supplier from a
// strong one.
func (v *validator) grading(p string, q *Question) {
	g := q.Grading
	if g == nil {
		return
	}
	p += ".grading"
	if !Gradable(q) {
		v.add(p, "question %s: a %s answer is not graded (a reviewer judges it); remove the grading", q.ID, q.Type)
		return
	}
	choice := q.Type == TypeYesNo || q.Type == TypeSingleChoice || q.Type == TypeMultipleChoice
	if choice {
		if g.Better != "" || g.Met != nil || g.Partial != nil || g.Date != "" {
			v.add(p, "question %s: a %s answer is graded by answers, not by better, met, partial or date", q.ID, q.Type)
		}
		want := []string{"yes", "no"}
		if q.Type != TypeYesNo {
			want = want[:0]
			for _, o := range q.Options {
				want = append(want, o.Value)
			}
		}
		for _, w := range want {
			if _, ok := g.Answers[w]; !ok {
				v.add(p+".answers", "question %s: answer %q is not graded", q.ID, w)
			}
		}
		keys := make([]string, 0, len(g.Answers))
		for k := range g.Answers {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if !slices.Contains(want, k) {
				v.add(p+".answers", "question %s: %q is not a possible answer (%s)", q.ID, k, strings.Join(want, ", "))
			} else if !slices.Contains(Grades, g.Answers[k]) {
				v.add(p+".answers", "question %s: grade %q of answer %q is not one of %s", q.ID, g.Answers[k], k, strings.Join(Grades, ", "))
			}
		}
		if g.Combine != "" && (q.Type != TypeMultipleChoice || !slices.Contains([]string{"best", "worst", "all"}, g.Combine)) {
			v.add(p+".combine", "question %s: combine is best, worst or all, for multiple_choice questions only", q.ID)
		}
	} else {
		v.thresholds(p, q)
	}
	if !q.CanFail() && !v.gates[q.ID] && len(v.issuesAt(p)) == 0 {
		v.add(p, "question %s can never fail its control: no answer grades not_met and it opens no follow-up question that can", q.ID)
	}
}

func (v *validator) thresholds(p string, q *Question) {
	g := q.Grading
	if len(g.Answers) > 0 || g.Combine != "" {
		v.add(p, "question %s: a %s answer is graded by better, met and partial, not by answers", q.ID, q.Type)
	}
	switch {
	case q.Type == TypeDate && g.Date != DateAge && g.Date != DateUntil:
		v.add(p, "question %s: date must be %s (days since a past event) or %s (days until a deadline or expiry)", q.ID, DateAge, DateUntil)
	case q.Type != TypeDate && g.Date != "":
		v.add(p+".date", "question %s: date applies to date questions only", q.ID)
	}
	if g.Better != "higher" && g.Better != "lower" {
		v.add(p+".better", "question %s: better must be higher or lower, not %q", q.ID, g.Better)
		return
	}
	if g.Met == nil {
		v.add(p, "question %s: grading has no met threshold", q.ID)
		return
	}
	for _, t := range []*float64{g.Met, g.Partial} {
		switch {
		case t == nil:
		case q.Type == TypePercentage && (*t < 0 || *t > 100):
			v.add(p, "question %s: threshold %g is outside 0..100", q.ID, *t)
		case q.Type == TypeDate && *t < 0:
			v.add(p, "question %s: threshold %g days is negative", q.ID, *t)
		}
	}
	if g.Partial != nil {
		if (g.Better == "higher" && *g.Partial >= *g.Met) || (g.Better == "lower" && *g.Partial <= *g.Met) {
			v.add(p+".partial", "question %s: partial %g must be on the worse side of met %g (%s is better)", q.ID, *g.Partial, *g.Met, g.Better)
		}
	}
}

func (v *validator) issuesAt(prefix string) []issue {
	var out []issue
	for _, is := range v.issues {
		if strings.HasPrefix(is.path, prefix) {
			out = append(out, is)
		}
	}
	return out
}

// requireGrading reports every question with a gradable answer that has no grading: the
// newest version of a library must say, for each, which answers meet, partly meet or fail.
func (v *validator) requireGrading() {
	for i := range v.lib.Controls {
		c := &v.lib.Controls[i]
		for j := range c.Questions {
			q := &c.Questions[j]
			if q.Grading == nil && Gradable(q) {
				v.add(fmt.Sprintf("$.controls[%d].questions[%d]", i, j),
					"question %s has no grading: say which answers meet, partly meet or fail %s", q.ID, c.ID)
			}
		}
	}
}

// statusFigures validates the figures at which a check's status decides.
func (v *validator) statusFigures(p, id, figure string, r CheckRule) {
	for i, x := range r.StatusFigures {
		if err := inRange(figure, x); err != nil {
			v.add(fmt.Sprintf("%s.status_figures[%d]", p, i), "control %s: status figure for %s: %v", id, r.Check, err)
		}
	}
}
