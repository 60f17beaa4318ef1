package control

import (
	"fmt"
	"slices"
)

// Delta is what changed between two versions of a library.
type Delta struct {
	From string `json:"from"`
	To   string `json:"to"`
	// Library lists changed library-level fields (title, description, released, readiness,
	// families, changelog).
	Library []string       `json:"library"`
	Added   []string       `json:"added"`   // control IDs only in the new version, in its order
	Removed []string       `json:"removed"` // control IDs only in the old version, in its order
	Changed []ControlDelta `json:"changed"`
}

// ControlDelta names the fields of one control that changed. Question changes are itemised:
// "question X added", "question X removed", "question X: text, options".
type ControlDelta struct {
	ID     string   `json:"id"`
	Fields []string `json:"fields"`
}

// Empty reports whether the two versions have the same content.
func (d Delta) Empty() bool {
	return len(d.Library) == 0 && len(d.Added) == 0 && len(d.Removed) == 0 && len(d.Changed) == 0
}

// Diff compares two library versions control by control (by durable ID).
func Diff(old, new *Library) Delta {
	d := Delta{From: old.Name + " " + old.Version, To: new.Name + " " + new.Version}
	d.Library = changedFields([]field{
		{"library", old.Name, new.Name}, {"title", old.Title, new.Title},
		{"description", old.Description, new.Description}, {"released", old.Released, new.Released},
		{"readiness", old.Readiness, new.Readiness}, {"families", old.Families, new.Families},
		{"changelog", old.Changelog, new.Changelog},
	})
	for _, c := range new.Controls {
		if _, ok := old.Control(c.ID); !ok {
			d.Added = append(d.Added, c.ID)
		}
	}
	for i := range old.Controls {
		oc := &old.Controls[i]
		nc, ok := new.Control(oc.ID)
		if !ok {
			d.Removed = append(d.Removed, oc.ID)
			continue
		}
		if f := diffControl(oc, nc); len(f) > 0 {
			d.Changed = append(d.Changed, ControlDelta{ID: oc.ID, Fields: f})
		}
	}
	return d
}

type field struct {
	name     string
	old, new any
}

func changedFields(fs []field) []string {
	var out []string
	for _, f := range fs {
		if canonical(f.old) != canonical(f.new) {
			out = append(out, f.name)
		}
	}
	return out
}

func diffControl(o, n *Control) []string {
	out := changedFields([]field{
		{"title", o.Title, n.Title}, {"family", o.Family, n.Family},
		{"objective", o.Objective, n.Objective}, {"rationale", o.Rationale, n.Rationale},
		{"applies_to", o.AppliesTo, n.AppliesTo}, {"manrs", o.MANRS, n.MANRS},
		{"severity", o.Severity, n.Severity}, {"weight", o.Weight, n.Weight},
		{"basis", o.Basis, n.Basis}, {"checks", o.Checks, n.Checks},
		{"evidence", o.Evidence, n.Evidence},
	})
	if f := diffList("obligations", o.Obligations, n.Obligations); f != "" {
		out = append(out, f)
	}
	return append(out, diffQuestions(o.Questions, n.Questions)...)
}

// diffList names a changed list with its additions and removals, e.g.
// "obligations +DORA-9.3.a −CER-13.1.a"; a mere reordering reads "obligations order".
func diffList(name string, old, new []string) string {
	if canonical(old) == canonical(new) {
		return ""
	}
	s := name
	for _, x := range new {
		if !slices.Contains(old, x) {
			s += " +" + x
		}
	}
	for _, x := range old {
		if !slices.Contains(new, x) {
			s += " −" + x
		}
	}
	if s == name {
		s += " order"
	}
	return s
}

func diffQuestions(old, new []Question) []string {
	var out []string
	find := func(qs []Question, id string) *Question {
		for i := range qs {
			if qs[i].ID == id {
				return &qs[i]
			}
		}
		return nil
	}
	for _, q := range new {
		if find(old, q.ID) == nil {
			out = append(out, fmt.Sprintf("question %s added", q.ID))
		}
	}
	var oldOrder, newOrder []string
	for i := range old {
		oq := &old[i]
		nq := find(new, oq.ID)
		if nq == nil {
			out = append(out, fmt.Sprintf("question %s removed", oq.ID))
			continue
		}
		oldOrder = append(oldOrder, oq.ID)
		if f := diffQuestion(oq, nq); f != "" {
			out = append(out, fmt.Sprintf("question %s: %s", oq.ID, f))
		}
	}
	for _, q := range new {
		if find(old, q.ID) != nil {
			newOrder = append(newOrder, q.ID)
		}
	}
	if canonical(oldOrder) != canonical(newOrder) {
		out = append(out, "question order")
	}
	return out
}

func diffQuestion(o, n *Question) string {
	fs := changedFields([]field{
		{"text", o.Text, n.Text}, {"help", o.Help, n.Help}, {"type", o.Type, n.Type},
		{"optional", o.Optional, n.Optional}, {"options", o.Options, n.Options},
		{"min", o.Min, n.Min}, {"max", o.Max, n.Max}, {"unit", o.Unit, n.Unit},
		{"when", o.When, n.When}, {"evidence", o.Evidence, n.Evidence},
		{"prefill", o.Prefill, n.Prefill}, {"contradictions", o.Contradictions, n.Contradictions},
		{"grading", o.Grading, n.Grading},
	})
	s := ""
	for i, f := range fs {
		if i > 0 {
			s += ", "
		}
		s += f
	}
	return s
}
