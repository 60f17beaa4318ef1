package web

import (
	"context"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"routewarden/internal/control"
	"routewarden/internal/report"
	rw "routewarden/internal/routewarden"
	"routewarden/internal/score"
)

// The obligations coverage across suppliers: /reports/obligations (heatmap, table view, CSV),
// /reports/obligations/:id (one obligation, every supplier's cell with its evidence) and
// GET /api/v1/reports/obligations. The rule is report.ComputeCoverage's.

// coverageRowsPerPage bounds the heatmap's rows per page; CSV and API carry every row.
const coverageRowsPerPage = 50

// coverageFilter reads ?regulation=, ?tier= and ?critical= (report.ParseCoverageFilter).
func coverageFilter(c *gin.Context, cat *control.Catalogue) (report.CoverageFilter, error) {
	return report.ParseCoverageFilter(cat, c.Query("regulation"), c.Query("tier"), c.Query("critical"))
}

// obligationsCoverage loads the coverage for the request's filter: the cells of rows only
// (all when nil), every count.
func (s *Server) obligationsCoverage(c *gin.Context, rows *report.RowRange) (*report.Coverage, *control.Catalogue, error) {
	l, cat, err := s.library(c)
	if err != nil {
		return nil, nil, err
	}
	f, err := coverageFilter(c, cat)
	if err != nil {
		return nil, nil, err
	}
	src := report.CoverageSources{Vendors: s.deps.Vendors, Libraries: s.deps.Library, Catalogue: cat, Current: l}
	if s.deps.Assessments != nil {
		src.Assessments = s.deps.Assessments
		src.Rescore = func(ctx context.Context, a *rw.Assessment, lib *control.Library) (map[string]rw.ControlOutcome, error) {
			return score.KeepOutcomes(ctx, s.deps.Assessments, s.deps.Vendors, lib, a, s.now())
		}
	}
	cov, err := report.LoadCoverageRows(c.Request.Context(), src, s.now(), f, rows)
	return cov, cat, err
}

type coverageLegend struct {
	State, Label, Symbol string
	N                    int
	Link                 string
}

type obligationsCoverageView struct {
	Cov         *report.Coverage
	Heatmap     template.HTML
	Alt         string
	Rows        []report.CoverageSupplier // this page's rows
	Legend      []coverageLegend
	Regulations []string
	Tiers       []string
	Regulation  string
	Tier        string
	Critical    string
	Page, Pages int
	PrevURL     string
	NextURL     string
	CSVURL      string
	APIURL      string
	Query       template.URL // the filter's query string (url.Values.Encode, so safe), for links to the drill-down
}

func (obligationsCoverageView) PageTitle() string { return "Obligations coverage across suppliers" }

func (s *Server) obligationsCoveragePage(c *gin.Context) {
	// The heatmap draws one page of rows: only those rows' cells are kept (the CSV has all).
	page, pageErr := strconv.Atoi(c.DefaultQuery("page", "1"))
	var rows *report.RowRange
	if !wantsCSV(c) && pageErr == nil && page >= 1 {
		rows = &report.RowRange{From: (page - 1) * coverageRowsPerPage, To: page * coverageRowsPerPage}
	}
	cov, cat, err := s.obligationsCoverage(c, rows)
	if err != nil {
		s.fail(c, err)
		return
	}
	if wantsCSV(c) {
		s.sendCSV(c, "obligations-coverage", report.CoverageRows(cov))
		return
	}
	q := filterQuery(c, "regulation", "tier", "critical")
	v := obligationsCoverageView{Cov: cov, Regulations: cat.RegulationIDs(), Tiers: rw.Tiers, Regulation: cov.Filter.Regulation,
		Tier: cov.Filter.Tier, Critical: c.Query("critical"), Query: template.URL(q.Encode())}
	v.Pages = max(1, (len(cov.Suppliers)+coverageRowsPerPage-1)/coverageRowsPerPage)
	if pageErr != nil || page < 1 || page > v.Pages {
		s.fail(c, rw.FieldError("page", "page must be a number from 1 to %d.", v.Pages))
		return
	}
	v.Page = page
	from := (v.Page - 1) * coverageRowsPerPage
	v.Rows = cov.Suppliers[from:min(from+coverageRowsPerPage, len(cov.Suppliers))]
	pageURL := func(p int) string {
		pq := filterQuery(c, "regulation", "tier", "critical")
		if p > 1 {
			pq.Set("page", strconv.Itoa(p))
		}
		return "/reports/obligations?" + pq.Encode()
	}
	if v.Page > 1 {
		v.PrevURL = pageURL(v.Page - 1)
	}
	if v.Page < v.Pages {
		v.NextURL = pageURL(v.Page + 1)
	}
	v.CSVURL = csvURL("/reports/obligations", q.Encode())
	v.APIURL = "/api/v1/reports/obligations"
	if enc := q.Encode(); enc != "" {
		v.APIURL += "?" + enc
	}
	for _, st := range report.CoverageStates {
		v.Legend = append(v.Legend, coverageLegend{State: st, Label: report.CoverageLabel(st), Symbol: report.CoverageSymbol(st), N: cov.Counts[st]})
	}
	v.Heatmap, v.Alt = coverageHeatmap(cov, v.Rows, q.Encode())
	s.render(c, http.StatusOK, "obligations_coverage", v)
}

// filterQuery copies the named, non-empty query parameters.
func filterQuery(c *gin.Context, names ...string) url.Values {
	q := url.Values{}
	for _, n := range names {
		if v := strings.TrimSpace(c.Query(n)); v != "" {
			q.Set(n, v)
		}
	}
	return q
}

// coverageHeatmap draws rows × obligations as inline SVG: every cell a link to the
// obligation's drill-down at the supplier, with its symbol (never colour alone) and a title
// naming supplier, obligation, state and reason. The text alternative counts the states.
func coverageHeatmap(cov *report.Coverage, rows []report.CoverageSupplier, query string) (template.HTML, string) {
	var counts []string
	for _, st := range report.CoverageStates {
		if n := cov.Counts[st]; n > 0 {
			counts = append(counts, fmt.Sprintf("%d %s", n, report.CoverageLabel(st)))
		}
	}
	alt := fmt.Sprintf("Heatmap of %d suppliers × %d obligations: %s.", len(cov.Suppliers), len(cov.Obligations), strings.Join(counts, ", "))
	if len(rows) == 0 || len(cov.Obligations) == 0 {
		return "", alt
	}
	const cell, labelW, headH = 18.0, 220.0, 96.0
	w := labelW + cell*float64(len(cov.Obligations)) + 4
	h := headH + cell*float64(len(rows)) + 4
	suffix := ""
	if query != "" {
		suffix = "?" + query
	}
	esc := template.HTMLEscapeString
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="heatmap" viewBox="0 0 %.0f %.0f" width="%.0f" height="%.0f" role="group" aria-label="%s"><title>%s</title>`, w, h, w, h, esc(alt), esc(alt))
	for j, o := range cov.Obligations {
		x := labelW + cell*float64(j) + cell/2
		fmt.Fprintf(&b, `<a href="/reports/obligations/%s%s"><text class="col" transform="translate(%.1f %.0f) rotate(-60)">%s<title>%s %s — %s</title></text></a>`,
			url.PathEscape(o.ID), suffix, x+4, headH-4, esc(o.ID), esc(o.Regulation), esc(o.Reference), esc(o.Title))
	}
	for i, sup := range rows {
		y := headH + cell*float64(i)
		name := sup.Vendor
		if r := []rune(name); len(r) > 32 {
			name = string(r[:31]) + "…"
		}
		crit := ""
		if sup.Critical {
			crit = " ★"
		}
		fmt.Fprintf(&b, `<a href="/vendors/%d"><text class="row" x="%.0f" y="%.1f">%s%s<title>%s</title></text></a>`, sup.VendorID, labelW-6, y+cell-5, esc(name), crit, esc(sup.Vendor))
		for j, cl := range sup.Cells {
			x := labelW + cell*float64(j)
			title := fmt.Sprintf("%s — %s: %s", sup.Vendor, cl.Obligation, report.CoverageLabel(cl.State))
			if cl.Waived {
				title += " (a shortfall is waived)"
			}
			if cl.Reason != "" {
				title += ". " + cl.Reason
			} else if len(cl.Controls) > 0 {
				title += ". " + report.CellControlsText(cl.Controls)
			}
			fmt.Fprintf(&b, `<a href="/reports/obligations/%s%s#vendor-%d"><rect class="cov-%s" x="%.0f" y="%.0f" width="%.0f" height="%.0f"><title>%s</title></rect><text class="sym" x="%.1f" y="%.1f" aria-hidden="true">%s</text></a>`,
				url.PathEscape(cl.Obligation), suffix, sup.VendorID, cl.State, x+1, y+1, cell-2, cell-2, esc(title), x+cell/2, y+cell-5, report.CoverageSymbol(cl.State))
		}
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String()), alt
}

type obligationCoverageLine struct {
	report.CoverageSupplier
	Cell report.CoverageCell
}

type obligationCoverageView struct {
	Obligation *control.Obligation
	Column     report.CoverageObligation
	Lines      []obligationCoverageLine
	Legend     []coverageLegend
	State      string
	Query      template.URL // the filter's query string (url.Values.Encode)
}

func (v obligationCoverageView) PageTitle() string {
	return v.Obligation.ID + " across suppliers"
}

// obligationCoveragePage is one obligation: its counts (each a link to the suppliers in that
// state) and every supplier's cell with the controls, statuses and bases behind it.
func (s *Server) obligationCoveragePage(c *gin.Context) {
	cov, cat, err := s.obligationsCoverage(c, nil)
	var o *control.Obligation
	if err == nil {
		o, _, err = findObligation(c, cat)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	j := cov.Column(o.ID)
	if j < 0 {
		s.fail(c, rw.Errorf(rw.ENOTFOUND, "No control maps obligation %s (or the filter leaves it out), so no supplier is measured against it; see /obligations/%s.", o.ID, o.ID))
		return
	}
	state := c.Query("state")
	if state != "" && !slices.Contains(report.CoverageStates, state) {
		s.fail(c, rw.FieldError("state", "Unknown state %q; use one of %s.", state, strings.Join(report.CoverageStates, ", ")))
		return
	}
	q := filterQuery(c, "regulation", "tier", "critical")
	v := obligationCoverageView{Obligation: o, Column: cov.Obligations[j], State: state, Query: template.URL(q.Encode())}
	for _, st := range report.CoverageStates {
		lq := filterQuery(c, "regulation", "tier", "critical")
		lq.Set("state", st)
		v.Legend = append(v.Legend, coverageLegend{State: st, Label: report.CoverageLabel(st), Symbol: report.CoverageSymbol(st),
			N: v.Column.Counts[st], Link: "/reports/obligations/" + url.PathEscape(o.ID) + "?" + lq.Encode()})
	}
	for _, sup := range cov.Suppliers {
		if state == "" || sup.Cells[j].State == state {
			v.Lines = append(v.Lines, obligationCoverageLine{CoverageSupplier: sup, Cell: sup.Cells[j]})
		}
	}
	if wantsCSV(c) {
		one := &report.Coverage{Obligations: []report.CoverageObligation{v.Column}}
		for _, l := range v.Lines {
			sup := l.CoverageSupplier
			sup.Cells = []report.CoverageCell{l.Cell}
			one.Suppliers = append(one.Suppliers, sup)
		}
		s.sendCSV(c, "obligation-"+o.ID, report.CoverageRows(one))
		return
	}
	s.render(c, http.StatusOK, "obligation_coverage", v)
}

func (s *Server) apiObligationsCoverage(c *gin.Context) {
	cov, _, err := s.obligationsCoverage(c, nil)
	if err != nil {
		s.fail(c, err)
		return
	}
	if wantsCSV(c) {
		s.sendCSV(c, "obligations-coverage", report.CoverageRows(cov))
		return
	}
	c.JSON(http.StatusOK, cov)
}
