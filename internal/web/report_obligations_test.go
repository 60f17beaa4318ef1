package web_test

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	rw "routewarden/internal/routewarden"
)

// TestObligationsCoveragePage: the heatmap of the demo portfolio as every staff role reads it,
// its filters (unknown values refused with the field named), the drill-down with the controls
// behind each cell and the counts as links, the CSV (one row per supplier and obligation, with
// the controls) and the API.
func TestObligationsCoveragePage(t *testing.T) {
	e := newEnv(t, true)
	b, _ := e.login("auditor@demo.example", "demo")
	code, html := b.get("/reports/obligations")
	if code != http.StatusOK {
		t.Fatalf("/reports/obligations: %d", code)
	}
	for _, want := range []string{`<svg class="heatmap"`, `role="group" aria-label="Heatmap of 10 suppliers × `, "show as table",
		`✓</span> met`, `◐</span> partly met`, `✗</span> failed`, `?</span> unknown`, `href="/reports/obligations/DORA-28.4.d"`, "Download CSV", "Atlantic Subsea Carrier Inc."} {
		if !strings.Contains(html, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	// Filters narrow rows and columns.
	_, html = b.get("/reports/obligations?regulation=NIS2&critical=no")
	if strings.Contains(html, "DORA-28.4.d") || !strings.Contains(html, "NIS2-21.2.d") || strings.Contains(html, "Atlantic Subsea") || !strings.Contains(html, "Meridian Edge CDN") {
		t.Error("regulation=NIS2&critical=no does not narrow to NIS2 obligations and suppliers without a critical service")
	}
	for q, field := range map[string]string{"tier=gold": "Unknown tier", "critical=maybe": "critical must be yes or no", "regulation=SOX": "Unknown regulation", "page=99": "page must be a number from 1 to 1"} {
		code, html := b.get("/reports/obligations?" + q)
		if code != http.StatusBadRequest || !strings.Contains(html, field) {
			t.Errorf("?%s: %d, want 400 naming %q", q, code, field)
		}
	}

	// Drill-down: each supplier's cell with the controls, their status and basis, and a link to
	// where the result was reached; the counts link to the suppliers in that state.
	code, html = b.get("/reports/obligations/DORA-28.4.d")
	if code != http.StatusOK {
		t.Fatalf("drill-down: %d", code)
	}
	for _, want := range []string{"DORA-28.4.d across suppliers", `id="vendor-`, "/review#c-RS-", `class="basis `, "No decided assessment (approved or rejected) yet.",
		`href="/reports/obligations/DORA-28.4.d?state=met"`} {
		if !strings.Contains(html, want) {
			t.Errorf("drill-down lacks %q", want)
		}
	}
	_, html = b.get("/reports/obligations/DORA-28.4.d?state=unknown")
	if strings.Contains(html, "Atlantic Subsea Carrier Inc.</a>") {
		t.Error("?state=unknown lists a supplier with a decided assessment")
	}
	if code, _ := b.get("/reports/obligations/DORA-99"); code != http.StatusNotFound {
		t.Errorf("unknown obligation: %d", code)
	}
	if code, html := b.get("/reports/obligations/DORA-28.4.d?state=great"); code != http.StatusBadRequest || !strings.Contains(html, "Unknown state") {
		t.Errorf("unknown state: %d", code)
	}

	// CSV: every supplier × obligation with the controls, formula-safe, as an attachment.
	code, h, body := b.getRaw("/reports/obligations?format=csv")
	if code != http.StatusOK || !strings.HasPrefix(h.Get("Content-Disposition"), `attachment; filename="obligations-coverage-`) {
		t.Fatalf("CSV: %d %v", code, h)
	}
	rows, err := csv.NewReader(strings.NewReader(string(body))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if rows[0][0] != "vendor_id" || rows[0][11] != "state" || rows[0][12] != "controls" || (len(rows)-1)%10 != 0 {
		t.Errorf("CSV header %v, %d rows (want a multiple of the 10 suppliers)", rows[0], len(rows)-1)
	}
	var withControls bool
	for _, r := range rows[1:] {
		if r[11] == "failed" && strings.Contains(r[12], "Not met (") {
			withControls = true
		}
	}
	if !withControls {
		t.Error("no failed row names the control that is not met")
	}

	// The drill-down's CSV: the suppliers listed (here those that fail it), one row each.
	code, h, body = b.getRaw("/reports/obligations/DORA-6.9?state=failed&format=csv")
	rows, err = csv.NewReader(strings.NewReader(string(body))).ReadAll()
	if code != http.StatusOK || err != nil || !strings.HasPrefix(h.Get("Content-Disposition"), `attachment; filename="obligation-DORA-6.9-`) ||
		len(rows) != 2 || rows[1][1] != "Atlantic Subsea Carrier Inc." || rows[1][8] != "DORA-6.9" || rows[1][11] != "failed" {
		t.Errorf("drill-down CSV: %d %v %v", code, err, rows)
	}

	// API: the same coverage as JSON, for every staff role; vendors have no staff account.
	code, resp := e.api("GET", "/api/v1/reports/obligations?regulation=DORA", rw.RoleProcurement, "")
	if code != http.StatusOK {
		t.Fatalf("API: %d %v", code, resp)
	}
	raw, _ := json.Marshal(resp)
	var cov struct {
		Obligations []struct {
			ID, Framework string
			Counts        map[string]int
		}
		Suppliers []struct {
			Vendor string
			Cells  []struct{ Obligation, State string }
		}
	}
	if err := json.Unmarshal(raw, &cov); err != nil || len(cov.Obligations) == 0 || len(cov.Suppliers) != 10 {
		t.Fatalf("API body: %v %s", err, raw[:min(len(raw), 300)])
	}
	for _, o := range cov.Obligations {
		if o.Framework != "DORA" {
			t.Errorf("regulation=DORA returned %s (%s)", o.ID, o.Framework)
		}
	}
	if code, _ := e.api("GET", "/api/v1/reports/obligations?tier=x", rw.RoleAuditor, ""); code != http.StatusBadRequest {
		t.Errorf("API bad tier: %d", code)
	}
}
