package web

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"routewarden/internal/control"
	rw "routewarden/internal/routewarden"
)

// obligationLine is an obligation with the controls behind it and the strongest basis they
// are verified on.
type obligationLine struct {
	Obligation *control.Obligation
	Controls   []*control.Control
	Strongest  string
}

// regulationGroup is one regulation with its obligations.
type regulationGroup struct {
	Regulation *control.Regulation
	Lines      []obligationLine
	Mapped     int // obligations with at least one control
}

type obligationListView struct {
	Lib         libraryRef
	Regulation  string
	Regulations []string
	Groups      []regulationGroup
	Total       int
}

func (obligationListView) PageTitle() string { return "Obligations" }

// regulationGroups returns the catalogue by regulation (only regulation reg, unless empty),
// each obligation with the controls of l behind it.
func regulationGroups(l *control.Library, cat *control.Catalogue, reg string) []regulationGroup {
	var out []regulationGroup
	for i := range cat.Regulations {
		r := &cat.Regulations[i]
		if reg != "" && !strings.EqualFold(r.ID, reg) {
			continue
		}
		g := regulationGroup{Regulation: r}
		for j := range r.Obligations {
			line := obligationLine{Obligation: &r.Obligations[j], Controls: l.ByObligation(r.Obligations[j].ID)}
			line.Strongest = strongestBasis(line.Controls)
			if len(line.Controls) > 0 {
				g.Mapped++
			}
			g.Lines = append(g.Lines, line)
		}
		out = append(out, g)
	}
	return out
}

// regulationFilter reads ?regulation= and rejects an unknown regulation.
func regulationFilter(c *gin.Context, cat *control.Catalogue) (string, error) {
	reg := strings.TrimSpace(c.Query("regulation"))
	if reg == "" {
		return "", nil
	}
	if id, ok := cat.RegulationID(reg); ok {
		return id, nil
	}
	return "", rw.FieldError("regulation", "Unknown regulation %q; use one of %s.", reg, strings.Join(cat.RegulationIDs(), ", "))
}

func (s *Server) obligationList(c *gin.Context) {
	l, cat, err := s.library(c)
	var reg string
	if err == nil {
		reg, err = regulationFilter(c, cat)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	v := obligationListView{Lib: s.ref(l), Regulation: reg, Regulations: cat.RegulationIDs(), Groups: regulationGroups(l, cat, reg)}
	for _, g := range v.Groups {
		v.Total += len(g.Lines)
	}
	s.render(c, http.StatusOK, "obligations", v)
}

type obligationView struct {
	Lib           libraryRef
	Obligation    *control.Obligation
	Regulation    *control.Regulation
	Applicability string // the obligation's own note, else the regulation's
	Controls      []*control.Control
	Strongest     string
}

func (v obligationView) PageTitle() string { return v.Obligation.ID + " " + v.Obligation.Title }

// findObligation returns the obligation named by the :id parameter and its regulation, or a
// not-found error.
func findObligation(c *gin.Context, cat *control.Catalogue) (*control.Obligation, *control.Regulation, error) {
	id := strings.TrimSpace(c.Param("id"))
	o, ok := cat.Obligation(id)
	if !ok {
		return nil, nil, rw.Errorf(rw.ENOTFOUND, "There is no obligation %q in the catalogue.", id)
	}
	for i := range cat.Regulations {
		if cat.Regulations[i].ID == o.Regulation {
			return o, &cat.Regulations[i], nil
		}
	}
	return o, &control.Regulation{ID: o.Regulation}, nil
}

func (s *Server) obligationShow(c *gin.Context) {
	l, cat, err := s.library(c)
	var o *control.Obligation
	var reg *control.Regulation
	if err == nil {
		o, reg, err = findObligation(c, cat)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	v := obligationView{Lib: s.ref(l), Obligation: o, Regulation: reg, Applicability: o.Applicability, Controls: l.ByObligation(o.ID)}
	if v.Applicability == "" {
		v.Applicability = reg.Applicability
	}
	v.Strongest = strongestBasis(v.Controls)
	s.render(c, http.StatusOK, "obligation", v)
}
