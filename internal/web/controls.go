package web

import (
	"net/http"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"routewarden/internal/control"
	rw "routewarden/internal/routewarden"
)

// option is one choice of a filter select, with the number of controls behind it.
type option struct {
	Value, Label string
	Count        int
}

// familyGroup is one family of the control list with its (filtered) controls.
type familyGroup struct {
	Family   control.Family
	Controls []*control.Control
}

type controlListView struct {
	Lib         libraryRef
	Filter      controlFilter
	Groups      []familyGroup
	Total, All  int
	Families    []option
	Providers   []option
	Actions     []option
	Bases       []option
	Obligations []regulationOptions
}

// regulationOptions are the obligations of one regulation, for an optgroup.
type regulationOptions struct {
	Regulation string
	Options    []option
}

func (controlListView) PageTitle() string { return "Controls" }

func (s *Server) controlList(c *gin.Context) {
	l, cat, err := s.library(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	f, err := parseControlFilter(c, l, cat)
	if err != nil {
		s.fail(c, err)
		return
	}
	v := controlListView{Lib: s.ref(l), Filter: f, All: len(l.Controls)}
	for _, fam := range l.Families {
		g := familyGroup{Family: fam}
		for _, ctl := range l.ByFamily(fam.ID) {
			if f.Match(ctl) {
				g.Controls = append(g.Controls, ctl)
			}
		}
		v.Total += len(g.Controls)
		if len(g.Controls) > 0 {
			v.Groups = append(v.Groups, g)
		}
		v.Families = append(v.Families, option{fam.ID, fam.ID + " · " + fam.Title, len(l.ByFamily(fam.ID))})
	}
	for _, t := range control.ProviderTypes {
		v.Providers = append(v.Providers, option{t, providerLabel(t), len(l.ByProviderType(t))})
	}
	for _, a := range control.Actions {
		v.Actions = append(v.Actions, option{a.ID, a.ID + " · " + a.Title, len(l.ByMANRS(a.ID))})
	}
	for _, b := range control.Bases {
		v.Bases = append(v.Bases, option{b, b, len(l.ByBasis(b))})
	}
	v.Obligations = obligationOptions(l, cat)
	s.render(c, http.StatusOK, "controls", v)
}

// obligationOptions groups the obligations that controls map, by regulation.
func obligationOptions(l *control.Library, cat *control.Catalogue) []regulationOptions {
	var out []regulationOptions
	for _, r := range cat.Regulations {
		g := regulationOptions{Regulation: r.ID + " · " + r.Act}
		for _, o := range r.Obligations {
			if n := len(l.ByObligation(o.ID)); n > 0 {
				g.Options = append(g.Options, option{o.ID, o.ID + " · " + o.Title, n})
			}
		}
		if len(g.Options) > 0 {
			out = append(out, g)
		}
	}
	return out
}

// questionView is a question with what the detail page shows next to it.
type questionView struct {
	*control.Question
	TypeLabel     string
	WhenControl   string // the control owning the question a condition refers to
	WhenText      string // the referenced question's text
	WhenLabel     string // the label of the option a condition compares with, if any
	EvidenceTitle string
	PrefillTitle  string
}

// checkView is a measured check rule with the check's catalogue entry.
type checkView struct {
	control.CheckRule
	Def rw.CheckDef
}

type controlView struct {
	Lib         libraryRef
	Control     *control.Control
	Family      control.Family
	Providers   []option
	Actions     []control.Action
	Checks      []checkView
	Questions   []questionView
	Obligations []*control.Obligation
}

func (v controlView) PageTitle() string { return v.Control.ID + " " + v.Control.Title }

var questionTypeLabels = map[string]string{
	control.TypeYesNo: "Yes / no", control.TypeSingleChoice: "Single choice", control.TypeMultipleChoice: "Multiple choice",
	control.TypeNumber: "Number", control.TypePercentage: "Percentage", control.TypeDate: "Date",
	control.TypeText: "Text", control.TypeFile: "File upload",
}

// findControl returns the control named by the :id parameter or a not-found error.
func findControl(c *gin.Context, l *control.Library) (*control.Control, error) {
	id := strings.TrimSpace(c.Param("id"))
	ctl, ok := l.Control(id)
	if !ok {
		return nil, rw.Errorf(rw.ENOTFOUND, "There is no control %q in %s %s.", id, l.Name, l.Version)
	}
	return ctl, nil
}

func (s *Server) controlShow(c *gin.Context) {
	l, cat, err := s.library(c)
	var ctl *control.Control
	if err == nil {
		ctl, err = findControl(c, l)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	v := controlView{Lib: s.ref(l), Control: ctl}
	v.Family, _ = l.Family(ctl.Family)
	for _, t := range ctl.AppliesTo {
		v.Providers = append(v.Providers, option{Value: t, Label: providerLabel(t)})
	}
	for _, id := range ctl.MANRS {
		if a, ok := control.FindAction(id); ok {
			v.Actions = append(v.Actions, a)
		}
	}
	for _, r := range ctl.Checks {
		def, _ := rw.FindCheck(r.Check)
		v.Checks = append(v.Checks, checkView{r, def})
	}
	for i := range ctl.Questions {
		v.Questions = append(v.Questions, describeQuestion(l, ctl, &ctl.Questions[i]))
	}
	for _, id := range ctl.Obligations {
		if o, ok := cat.Obligation(id); ok {
			v.Obligations = append(v.Obligations, o)
		}
	}
	s.render(c, http.StatusOK, "control", v)
}

func describeQuestion(l *control.Library, ctl *control.Control, q *control.Question) questionView {
	qv := questionView{Question: q, TypeLabel: questionTypeLabels[q.Type]}
	if q.When != nil {
		if ref, owner, ok := l.Question(q.When.Question); ok {
			qv.WhenControl, qv.WhenText = owner.ID, ref.Text
			for _, o := range ref.Options {
				if o.Value == q.When.Value {
					qv.WhenLabel = o.Label
				}
			}
		}
	}
	if q.Evidence != "" {
		if i := slices.IndexFunc(ctl.Evidence, func(e control.Evidence) bool { return e.ID == q.Evidence }); i >= 0 {
			qv.EvidenceTitle = ctl.Evidence[i].Title
		}
	}
	if q.Prefill != "" {
		def, _ := rw.FindCheck(q.Prefill)
		qv.PrefillTitle = def.Title
	}
	return qv
}
