package web

import (
	"context"
	"fmt"
	"html/template"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"routewarden/internal/control"
	"routewarden/internal/monitor"
	"routewarden/internal/report"
	rw "routewarden/internal/routewarden"
)

// reportRoutes are the portfolio reports: the dashboard and concentration risk.
func (s *Server) reportRoutes() []route {
	read := rw.PermRead
	return []route{
		{"GET", "/reports", read, false, s.reportsIndex},
		{"GET", "/reports/concentration", read, false, s.concentrationPage},
		{"GET", "/reports/obligations", read, false, s.obligationsCoveragePage},
		{"GET", "/reports/obligations/:id", read, false, s.obligationCoveragePage},
		{"GET", "/api/v1/reports/obligations", read, true, s.apiObligationsCoverage},
		{"GET", "/api/v1/reports/dashboard", read, true, s.apiDashboard},
		{"GET", "/api/v1/reports/concentration", read, true, s.apiConcentration},
	}
}

// reportEntry is one report on the reports index: where it is and its API and CLI faces.
type reportEntry struct {
	Title, Link, What, API, CLI string
}

type reportsView struct{ Reports []reportEntry }

func (reportsView) PageTitle() string { return "Reports" }

// reports lists the portfolio reports in the order a risk officer reads them.
var reports = []reportEntry{
	{"Portfolio dashboard", "/", "Ratings, MANRS readiness of critical suppliers, assessments by state with the overdue first, open alerts, attestations due for renewal, data freshness and the trend after each monitor pass.",
		"GET /api/v1/reports/dashboard", ""},
	{"Obligations coverage", "/reports/obligations", "For each DORA, NIS2 and CER obligation mapped to controls, which suppliers in scope meet, partly meet or fail it in their latest decided assessment, with the controls behind each cell.",
		"GET /api/v1/reports/obligations", "routewarden report obligations"},
	{"Concentration risk", "/reports/concentration", "Upstream networks that several critical or important services depend on, read from observed BGP paths; services with a single upstream; what is lost if one upstream is; declared versus observed upstreams.",
		"GET /api/v1/reports/concentration", "routewarden report concentration"},
	{"Register of information (DORA)", "/reports/roi", "The register of contractual arrangements for ICT services (DORA Art. 28(3), ITS (EU) 2024/2956) as the EBA xBRL-CSV package, a workbook or CSV files, with the missing fields listed first.",
		"GET /api/v1/reports/roi", "routewarden report roi"},
	{"Board reports", "/reports/board", "A signed PDF for management and supervisors: portfolio, concentration findings, obligations coverage, open critical findings and waivers, attestations in force.",
		"POST /api/v1/reports/board", "routewarden report board"},
}

func (s *Server) reportsIndex(c *gin.Context) {
	s.render(c, http.StatusOK, "reports", reportsView{Reports: reports})
}

// bar is one bar of a server-drawn bar chart, with the list behind it.
type bar struct {
	Label, Value, Link string
	// Title, when set, names what a short label stands for (a MANRS action's title): a tooltip on
	// the bar and a line in the table view.
	Title string
	N     float64
}

// barChart draws horizontal bars as inline SVG; the text alternative lists every value, and
// the same rows are the table view.
type barChart struct {
	Title string
	Alt   string
	SVG   template.HTML
	Bars  []bar
}

func newBarChart(title string, bars []bar, maxN float64) barChart {
	ch := barChart{Title: title, Bars: bars}
	var alt []string
	for _, b := range bars {
		alt = append(alt, b.Label+": "+b.Value)
		maxN = max(maxN, b.N)
	}
	ch.Alt = title + " — " + strings.Join(alt, "; ")
	if maxN == 0 {
		maxN = 1
	}
	// The value is written after the bar: room for the longest one (11 px text, about 6.2 px a
	// character) so that "70 % (3 of 5 ready)" is not cut off at the edge.
	const rowH, labelW, barW = 18.0, 120.0, 160.0
	valW := 40.0
	for _, b := range bars {
		valW = max(valW, 6.2*float64(len([]rune(b.Value)))+8)
	}
	w := labelW + barW + valW
	h := rowH*float64(len(bars)) + 4
	var b strings.Builder
	// role=group, not img: each bar is a link to the list behind it, and an image may not
	// hold focusable parts (axe-core: nested-interactive). The label is the text alternative.
	fmt.Fprintf(&b, `<svg class="bars" viewBox="0 0 %.0f %.0f" width="%.0f" height="%.0f" role="group" aria-label="%s"><title>%s</title>`,
		w, h, w, h, template.HTMLEscapeString(ch.Alt), template.HTMLEscapeString(ch.Alt))
	for i, x := range bars {
		y := float64(i)*rowH + 2
		bw := barW * x.N / maxN
		title := ""
		if x.Title != "" {
			title = "<title>" + template.HTMLEscapeString(x.Label+" — "+x.Title) + "</title>"
		}
		fmt.Fprintf(&b, `<a href="%s">%s<text x="0" y="%.1f" class="lbl">%s</text><rect x="%.0f" y="%.1f" width="%.1f" height="%.0f" class="bar"/><text x="%.1f" y="%.1f" class="val">%s</text></a>`,
			template.HTMLEscapeString(x.Link), title, y+12, template.HTMLEscapeString(x.Label), labelW, y+2, bw, rowH-6, labelW+bw+4, y+12, template.HTMLEscapeString(x.Value))
	}
	ch.SVG = template.HTML(b.String() + `</svg>`)
	return ch
}

func countBars(cs []report.Count) []bar {
	out := make([]bar, len(cs))
	for i, c := range cs {
		out[i] = bar{Label: c.Label, Value: fmt.Sprint(c.N), Link: c.Link, N: float64(c.N)}
	}
	return out
}

// actionLabel writes a MANRS action's ID the way the programmes do: "netops-1" → "NetOps 1",
// "cdn-2" → "CDN 2", "ixp-3" → "IXP 3".
func actionLabel(id string) string {
	prog, n, ok := strings.Cut(id, "-")
	if !ok {
		return id
	}
	if name, ok := map[string]string{"netops": "NetOps", "cdn": "CDN", "ixp": "IXP"}[prog]; ok {
		return name + " " + n
	}
	return id
}

// stateBars are countBars with the states under their human names ("Changes requested", not
// the API's changes_requested).
func stateBars(cs []report.Count) []bar {
	out := countBars(cs)
	for i := range out {
		if st := rw.AssessmentState(out[i].Label); st.Valid() {
			out[i].Label = st.Label()
		}
	}
	return out
}

type dashboardView struct {
	D         *report.Dashboard
	Ratings   barChart
	Readiness barChart
	States    barChart
	Alerts    barChart
	Trends    []trendChart // alerts open, portfolio ROA coverage, invalid originations per monitor pass
	Monitor   bool
	Board     bool // board reports can be issued here
	Now       time.Time
}

func (dashboardView) PageTitle() string { return "Portfolio dashboard" }

// dashboard loads the list rows the dashboard counts and computes it.
func (s *Server) dashboard(ctx context.Context) (*report.Dashboard, error) {
	src := report.DashboardSources{Vendors: s.deps.Vendors, Snapshots: s.deps.Snapshots}
	if s.deps.Assessments != nil {
		src.Assessments = s.deps.Assessments
	}
	if s.deps.Attestations != nil {
		src.Attestations = s.deps.Attestations
	}
	if s.deps.Monitor != nil {
		src.Monitor = s.deps.Monitor
	}
	return report.LoadDashboard(ctx, src, s.now(), historyWindow)
}

func (s *Server) dashboardPage(c *gin.Context) {
	d, err := s.dashboard(c.Request.Context())
	if err != nil {
		s.fail(c, err)
		return
	}
	v := dashboardView{D: d, Monitor: s.deps.Monitor != nil, Board: s.deps.BoardIssuer != nil, Now: s.now(),
		Ratings: newBarChart("Residual rating of each supplier's latest scored assessment", countBars(d.Ratings), 0),
		States:  newBarChart("Assessments by state, overdue first", stateBars(d.States), 0),
		Alerts:  newBarChart("Open and acknowledged alerts by severity", countBars(d.Alerts), 0)}
	var rb []bar
	for _, r := range d.Readiness {
		b := bar{Label: actionLabel(r.Action), Value: fmt.Sprintf("%.0f %% (%d of %d ready)", r.Mean*100, r.Ready, r.Suppliers), Link: "/vendors?critical=yes", N: r.Mean * 100}
		if a, ok := control.FindAction(r.Action); ok {
			b.Title = a.Title
		}
		rb = append(rb, b)
	}
	v.Readiness = newBarChart("Mean readiness per MANRS action across critical suppliers", rb, 100)
	v.Trends = s.trends(d.Trend)
	s.render(c, http.StatusOK, "dashboard", v)
}

// trendChart is one of the dashboard's trend charts, with the heading of its table view's value
// column and the list behind its values.
type trendChart struct {
	historyChart
	Column, Link string
}

// trends draws the portfolio's headline figures after each monitor pass: alerts held open, the
// mean ROA coverage of the supplier networks, and how many of them originate RPKI-invalid
// routes. A pass without data for a figure leaves a gap rather than a zero.
func (s *Server) trends(ts []report.TrendPoint) []trendChart {
	cov := make([]monitor.Point, 0, len(ts))
	inv := make([]monitor.Point, 0, len(ts))
	for _, t := range ts {
		cp := monitor.Point{At: t.At, Figure: t.ROACoverage, Status: "no ROA coverage measured"}
		if t.ROACoverage != nil {
			cp.Status = fmt.Sprintf("mean over %d supplier ASN(s)", t.ROAMeasured)
		}
		cov = append(cov, cp)
		ip := monitor.Point{At: t.At, Status: "not measured"}
		if t.InvalidASNs != nil {
			f := float64(*t.InvalidASNs)
			ip.Figure, ip.Status = &f, fmt.Sprintf("of %d supplier ASN(s) checked", t.ASNs)
		}
		inv = append(inv, ip)
	}
	return []trendChart{
		{s.alertTrend(ts), "Alerts open", "/alerts"},
		{stepChart("Mean ROA coverage of supplier networks", "rpki.roa-coverage", cov, s.now()), "Mean ROA coverage", "/vendors"},
		{stepChart("Supplier networks originating RPKI-invalid routes", "", inv, s.now()), "ASNs", "/alerts?state=active&rule=rpki-invalid-origination"},
	}
}

// alertTrend draws the alerts held open after each monitor pass as a step chart.
func (s *Server) alertTrend(ts []report.TrendPoint) historyChart {
	pts := make([]monitor.Point, 0, len(ts))
	for _, t := range ts {
		f := float64(t.Open)
		pts = append(pts, monitor.Point{At: t.At, Figure: &f, Status: fmt.Sprintf("%d opened, %d resolved, %d change(s)", t.Opened, t.Resolved, t.Changes)})
	}
	return stepChart("Alerts open after each monitor pass", "", pts, s.now())
}

func (s *Server) apiDashboard(c *gin.Context) {
	d, err := s.dashboard(c.Request.Context())
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, d)
}
