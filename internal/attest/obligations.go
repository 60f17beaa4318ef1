package attest

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	rw "routewarden/internal/routewarden"
)

// obligationStates orders the states of an obligation as the summary counts them.
var obligationStates = []string{StatusMet, StatusPartiallyMet, StatusNotMet, StatusUnknown, StatusNotApplicable}

// obligationLabel is the word for an obligation's state. It is the state combine derives from
// the controls' statuses; an obligation none of whose controls has a known result was not
// assessed.
func obligationLabel(s string) string {
	switch s {
	case StatusPartiallyMet:
		return "Partly met"
	case StatusUnknown:
		return "Not assessed"
	}
	return statusLabel(s)
}

// obligationGroup is the obligations of one framework (DORA, NIS2, CER) with their states.
type obligationGroup struct {
	framework string
	declared  bool // a service in scope declares the framework
	rows      []Obligation
	counts    map[string]int
}

func (g obligationGroup) countText() string {
	var parts []string
	for _, s := range obligationStates {
		if g.counts[s] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", g.counts[s], strings.ToLower(obligationLabel(s))))
		}
	}
	return strings.Join(parts, ", ")
}

// obligationGroups groups the obligations by framework: the frameworks the services declare
// first, each in rw.Regulations order, obligations in catalogue order.
func obligationGroups(obs []Obligation) []obligationGroup {
	byFramework := map[string]*obligationGroup{}
	var order []string
	for _, o := range obs {
		fw := framework(o.Regulation)
		g, ok := byFramework[fw]
		if !ok {
			g = &obligationGroup{framework: fw, declared: !o.NotDeclared, counts: map[string]int{}}
			byFramework[fw] = g
			order = append(order, fw)
		}
		g.rows = append(g.rows, o)
		g.counts[o.Status]++
	}
	rank := func(fw string) int {
		if i := slices.Index(rw.Regulations, fw); i >= 0 {
			return i
		}
		return len(rw.Regulations)
	}
	slices.SortStableFunc(order, func(a, b string) int {
		ga, gb := byFramework[a], byFramework[b]
		if ga.declared != gb.declared {
			if ga.declared {
				return -1
			}
			return 1
		}
		return rank(a) - rank(b)
	})
	out := make([]obligationGroup, 0, len(order))
	for _, fw := range order {
		out = append(out, *byFramework[fw])
	}
	return out
}

// undeclaredFrameworks names the frameworks of groups no service in scope declares.
func undeclaredFrameworks(groups []obligationGroup) []string {
	var out []string
	for _, g := range groups {
		if !g.declared {
			out = append(out, g.framework)
		}
	}
	return out
}

// obligationSummary is section 2: how the attested controls stand against the DORA, NIS2 and
// CER obligations they support, before the per-control results and the annexes.
func (r *renderer) obligationSummary() {
	r.f.AddPage()
	r.heading("2. Obligations summary")
	r.para("The DORA, NIS2 and CER obligations the attested controls support, with the state that follows from those " +
		"controls' results in section 3; there is no separate scoring. Met: every supporting control that applies is met. " +
		"Not met: every one is not met. Not assessed: none has a known result (no answer or no data). Partly met: their " +
		"results differ, for example some met and some not met or not assessed. Controls that do not apply to the services " +
		"are left out; an obligation whose controls all do not apply is not applicable. The obligations of the frameworks " +
		"the services in scope declare are listed below; the annex (section 6) lists every obligation with its controls.")
	groups := obligationGroups(r.doc.Obligations)
	if len(groups) == 0 {
		r.para("No obligations are in scope.")
		return
	}
	r.ensure(float64(len(groups)+1)*(lineH+2*cellPad) + 4)
	cols := []column{{title: "Framework", width: 24}, {title: "Declared", width: 36}}
	for _, s := range obligationStates {
		cols = append(cols, column{title: obligationLabel(s), width: 24})
	}
	rows := make([][]string, 0, len(groups))
	for _, g := range groups {
		decl := "no (for completeness)"
		if g.declared {
			decl = "yes, by a service"
		}
		row := []string{g.framework, decl}
		for _, s := range obligationStates {
			row = append(row, strconv.Itoa(g.counts[s]))
		}
		rows = append(rows, row)
	}
	r.table(cols, rows)
	if undeclared := undeclaredFrameworks(groups); len(undeclared) == len(groups) {
		r.para("No service in scope declares DORA, NIS2 or CER, so no obligation is listed here; the annex (section 6) lists them all.")
	} else if len(undeclared) > 0 {
		r.para(strings.Join(undeclared, " and ") + ": not declared for the services in scope; counted above and listed in the annex (section 6).")
	}
	for _, g := range groups {
		if !g.declared {
			continue
		}
		r.subheading(g.framework + ": declared for the services in scope")
		rows = rows[:0]
		for _, o := range g.rows {
			rows = append(rows, []string{o.ID, o.Title, obligationLabel(o.Status)})
		}
		r.table([]column{{title: "Obligation", width: 34}, {title: "Article", width: 118}, {title: "State", width: 28, status: true}}, rows)
	}
}

// obligationAnnex maps each regulatory obligation to the controls behind it.
func (r *renderer) obligationAnnex() {
	r.f.AddPage()
	r.heading("6. Annex: obligations and their controls")
	r.para("Each DORA, NIS2 and CER obligation the controls support, the controls behind it, and the resulting state " +
		"(as in section 2). Titles are the articles' headings; the control library holds our paraphrase of each " +
		"obligation and links its official source.")
	if len(r.doc.Obligations) == 0 {
		r.para("No obligations are in scope.")
		return
	}
	rows := make([][]string, 0, len(r.doc.Obligations))
	for _, o := range r.doc.Obligations {
		title := o.Title
		if o.NotDeclared {
			title += " (not declared for these services)"
		}
		rows = append(rows, []string{o.ID, o.Regulation, title, strings.Join(o.ControlIDs, ", "), obligationLabel(o.Status)})
	}
	r.table([]column{{title: "Obligation", width: 30}, {title: "Regulation", width: 22}, {title: "Title", width: 60},
		{title: "Controls", width: 46}, {title: "State", width: 22, status: true}}, rows)
}
