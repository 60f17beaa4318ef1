package web_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	rw "routewarden/internal/routewarden"
)

// TestDashboardPage: the risk officer's home is the portfolio dashboard, with charts that carry
// text alternatives and tables, numbers that link to the lists behind them, and no script.
func TestDashboardPage(t *testing.T) {
	e := newEnv(t, true)
	b, code := e.login("risk@demo.example", "demo")
	if code != http.StatusSeeOther && code != http.StatusOK {
		t.Fatalf("login: %d", code)
	}
	code, html := b.get("/")
	if code != http.StatusOK {
		t.Fatalf("/: %d", code)
	}
	for _, want := range []string{"Portfolio dashboard", `role="img"`, "show as table", `href="/vendors?critical=yes"`,
		`href="/assessments?overdue=yes"`, `href="/alerts?state=active&amp;severity=critical"`, "Data freshness", "Alerts open after each monitor pass",
		"Mean readiness per MANRS action across critical suppliers", `href="/reports/concentration"`,
		"Mean ROA coverage of supplier networks", "Supplier networks originating RPKI-invalid routes",
		`href="/assessments?state=changes_requested"`, ">Changes requested<",
		">NetOps 1<", "NetOps 1 — Filtering: prevent propagation of incorrect routing information"} {
		if !strings.Contains(html, want) {
			t.Errorf("dashboard lacks %q", want)
		}
	}
	if strings.Contains(html, ">changes_requested<") {
		t.Error("the state chart shows a state's code instead of its name")
	}
	// The layout's progressive-enhancement script is optional; the dashboard itself has none.
	if i, j := strings.Index(html, "<main"), strings.Index(html, "</main>"); i < 0 || j < i || strings.Contains(html[i:j], "<script") {
		t.Error("dashboard needs JavaScript")
	}
	code, body := e.api("GET", "/api/v1/reports/dashboard", rw.RoleAuditor, "")
	vendors, _ := body["vendors"].(map[string]any)
	if code != http.StatusOK || vendors["n"] != float64(10) || len(body["trend"].([]any)) == 0 {
		t.Fatalf("dashboard API: %d %v", code, body)
	}
	// The demo's monitor passes carry the portfolio figures the trend draws.
	trend := body["trend"].([]any)
	last, _ := trend[len(trend)-1].(map[string]any)
	if cov, ok := last["roa_coverage"].(float64); !ok || cov <= 0 || cov > 1 || last["roa_measured"].(float64) < 1 || last["invalid_asns"] == nil {
		t.Errorf("latest trend point = %v; want the portfolio's ROA coverage and invalid originations", last)
	}
}

// TestConcentrationPage: the page draws the graph with the shared upstream highlighted, lists
// the single-upstream services, and the API answers the JSON the CLI gives.
func TestConcentrationPage(t *testing.T) {
	e := newEnv(t, true)
	b, _ := e.login("auditor@demo.example", "demo")
	code, html := b.get("/reports/concentration")
	if code != http.StatusOK {
		t.Fatalf("/reports/concentration: %d", code)
	}
	for _, want := range []string{`<svg class="graph"`, `class="node shared"`, "AS64496", "Łódź Data Centre", "Services with a single observed upstream", "Herfindahl"} {
		if !strings.Contains(html, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	code, body := e.api("GET", "/api/v1/reports/concentration", rw.RoleProcurement, "")
	ups, _ := body["upstreams"].([]any)
	shared := false
	for _, u := range ups {
		if len(u.(map[string]any)["services"].([]any)) >= 2 {
			shared = true
		}
	}
	if code != http.StatusOK || !shared {
		t.Errorf("concentration API: %d %v", code, body)
	}
}

// TestReportsIndex: the navigation leads to the dashboard and to a reports index that links
// every portfolio report, with its API and CLI; each link opens for a read-only role.
func TestReportsIndex(t *testing.T) {
	e := newEnv(t, true)
	b, _ := e.login("auditor@demo.example", "demo")
	code, page := b.get("/reports")
	if code != http.StatusOK {
		t.Fatalf("/reports: %d", code)
	}
	nav := mainNav(page)
	for _, want := range []string{`<a href="/" >Dashboard</a>`, `<a href="/reports" aria-current="page">Reports</a>`} {
		if !strings.Contains(nav, want) {
			t.Errorf("navigation lacks %s:\n%s", want, nav)
		}
	}
	for _, link := range []string{"/", "/reports/obligations", "/reports/concentration", "/reports/roi", "/reports/board"} {
		if !strings.Contains(page, `<h2><a href="`+link+`">`) {
			t.Errorf("reports index lacks a link to %s", link)
		}
		if code, _ := b.get(link); code != http.StatusOK {
			t.Errorf("%s for the auditor: %d", link, code)
		}
	}
	for _, want := range []string{"GET /api/v1/reports/roi", "routewarden report concentration"} {
		if !strings.Contains(page, want) {
			t.Errorf("reports index lacks %q", want)
		}
	}
	if _, page := b.get("/"); !strings.Contains(mainNav(page), `<a href="/" aria-current="page">Dashboard</a>`) {
		t.Error("the dashboard is not marked current in the navigation")
	}
}

// mainNav returns the page's main navigation.
func mainNav(page string) string {
	i := strings.Index(page, `<nav aria-label="Main">`)
	if i < 0 {
		return ""
	}
	j := strings.Index(page[i:], "</nav>")
	return page[i : i+max(j, 0)]
}

// TestObligationsLinksKeepFilter: the table view's and the per-obligation table's links carry
// the filter as a query string (html/template once escaped its = and & into %3d and %26, so the
// drill-down forgot the filter), and so do the drill-down's own links.
func TestObligationsLinksKeepFilter(t *testing.T) {
	e := newEnv(t, true)
	b, _ := e.login("risk@demo.example", "demo")
	code, page := b.get("/reports/obligations?regulation=DORA&critical=yes")
	if code != http.StatusOK {
		t.Fatalf("/reports/obligations: %d", code)
	}
	if strings.Contains(page, "%3d") || strings.Contains(page, "%26") {
		t.Error("the filter is escaped inside the links")
	}
	m := regexp.MustCompile(`href="(/reports/obligations/[^"?#]+)\?critical=yes&amp;regulation=DORA&amp;state=met"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("the per-obligation counts do not link to the drill-down with the filter")
	}
	code, page = b.get(m[1] + "?critical=yes&regulation=DORA")
	if code != http.StatusOK || !strings.Contains(page, `href="/reports/obligations?critical=yes&amp;regulation=DORA"`) {
		t.Errorf("drill-down %s: %d, or its way back loses the filter", m[1], code)
	}
}
