package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"routewarden/internal/control"
)

// coverageCell is one obligation × family cell of the coverage table: the family's controls
// behind the obligation.
type coverageCell struct {
	Family   string
	Controls []*control.Control
}

// coverageLine is one obligation row of the coverage table.
type coverageLine struct {
	obligationLine
	Cells []coverageCell
}

// coverageSummary counts one regulation's obligations by the strongest basis behind them.
type coverageSummary struct {
	Regulation                                   *control.Regulation
	Obligations, Informational, Mapped, Unmapped int
	Measured, Evidenced, Declared                int
	Lines                                        []coverageLine
	Bar                                          []barSegment
}

type coverageView struct {
	Lib      libraryRef
	Families []control.Family
	Regs     []coverageSummary
	Matrix   matrix
	Mapped   int // obligations with at least one control
	Total    int
	Actions  []actionCoverage
	Colspan  int // columns of the obligations × families table
	// Informational counts obligations catalogued for completeness; Uncovered those that are
	// not informational yet have no control.
	Informational, Uncovered int
}

// actionCoverage is one MANRS action with the controls that implement it.
type actionCoverage struct {
	Action   control.Action
	Controls []*control.Control
}

func (coverageView) PageTitle() string { return "Obligation coverage" }

func (s *Server) coverage(c *gin.Context) {
	l, cat, err := s.library(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	v := coverageView{Lib: s.ref(l), Families: l.Families, Matrix: buildMatrix(l, cat), Colspan: len(l.Families) + 2}
	for _, g := range regulationGroups(l, cat, "") {
		sum := coverageSummary{Regulation: g.Regulation, Obligations: len(g.Lines), Mapped: g.Mapped}
		for _, line := range g.Lines {
			sum.count(line)
			cl := coverageLine{obligationLine: line}
			for _, fam := range l.Families {
				cell := coverageCell{Family: fam.ID}
				for _, ctl := range line.Controls {
					if ctl.Family == fam.ID {
						cell.Controls = append(cell.Controls, ctl)
					}
				}
				cl.Cells = append(cl.Cells, cell)
			}
			sum.Lines = append(sum.Lines, cl)
		}
		sum.percentages()
		v.Regs = append(v.Regs, sum)
		v.Mapped += g.Mapped
		v.Informational += sum.Informational
		for _, line := range g.Lines {
			if len(line.Controls) == 0 && !line.Obligation.Informational {
				v.Uncovered++
			}
		}
		v.Total += len(g.Lines)
	}
	for _, a := range control.Actions {
		v.Actions = append(v.Actions, actionCoverage{a, l.ByMANRS(a.ID)})
	}
	s.render(c, http.StatusOK, "coverage", v)
}

func (sum *coverageSummary) count(line obligationLine) {
	if line.Obligation.Informational {
		sum.Informational++
	}
	switch line.Strongest {
	case control.BasisMeasured:
		sum.Measured++
	case control.BasisEvidenced:
		sum.Evidenced++
	case control.BasisDeclared:
		sum.Declared++
	default:
		sum.Unmapped++
	}
}

// barSegment is one part of a stacked bar: X and W are percentages of the bar's width.
type barSegment struct {
	Class, Label string
	Count        int
	X, W         float64
}

// percentages fills the stacked bar of obligations by strongest basis (empty parts left out).
func (sum *coverageSummary) percentages() {
	if sum.Obligations == 0 {
		return
	}
	x := 0.0
	for _, p := range []struct {
		class string
		n     int
	}{{control.BasisMeasured, sum.Measured}, {control.BasisEvidenced, sum.Evidenced}, {control.BasisDeclared, sum.Declared}, {"none", sum.Unmapped}} {
		if p.n == 0 {
			continue
		}
		w := 100 * float64(p.n) / float64(sum.Obligations)
		label := p.class
		if label == "none" {
			label = "no control"
		}
		sum.Bar = append(sum.Bar, barSegment{Class: p.class, Label: label, Count: p.n, X: x, W: w})
		x += w
	}
}
