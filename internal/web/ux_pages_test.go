package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	rw "routewarden/internal/routewarden"
)

// TestUsabilityMarkup checks the page markup issue 13 asked for, page by page, without a browser.
func TestUsabilityMarkup(t *testing.T) {
	e := newAssessEnv(t)
	b, code := e.login("procurement@demo.example", "demo")
	if code != 303 {
		t.Fatalf("login: %d", code)
	}
	get := func(path string) string {
		t.Helper()
		code, page := b.get(path)
		if code != 200 {
			t.Fatalf("GET %s: %d", path, code)
		}
		return page
	}

	t.Run("skip link and main target", func(t *testing.T) {
		page := get("/vendors")
		if !strings.Contains(page, `<a class="skip" href="#main">`) || !strings.Contains(page, `<main id="main"`) {
			t.Error("the layout has no skip link to the main content")
		}
	})
	t.Run("assessment list links vendors, flags overdue rows, one line per date", func(t *testing.T) {
		page := get("/assessments")
		a := e.byState(rw.StateInProgress)
		if !strings.Contains(page, fmt.Sprintf(`<a href="/vendors/%d">%s</a>`, a.VendorID, a.VendorName)) {
			t.Errorf("vendor %q is not a link to its page", a.VendorName)
		}
		if strings.Contains(page, `<br><span class="muted">`) {
			t.Error("every row still repeats the library name under the title")
		}
		if strings.Contains(page, "badge crit\">overdue") && !strings.Contains(page, `<tr class="overdue">`) {
			t.Error("an overdue assessment's row is not flagged")
		}
		if !strings.Contains(page, `<td class="nowrap">`) {
			t.Error("due dates may wrap")
		}
	})
	t.Run("vendor result chips say what they count", func(t *testing.T) {
		page := get("/vendors/1")
		for _, word := range []string{"pass", "warn", "fail", "unknown"} {
			if !regexp.MustCompile(`<span class="st ` + word + `">\d+ ` + word + `</span>`).MatchString(page) {
				t.Errorf("no labelled %s chip", word)
			}
		}
	})
	t.Run("coverage heatmap before the chip table", func(t *testing.T) {
		page := get("/coverage")
		svg, table := strings.Index(page, `<svg class="matrix"`), strings.Index(page, `<table class="list matrix-table"`)
		if svg < 0 || table < 0 || svg > table {
			t.Errorf("matrix at %d, table at %d", svg, table)
		}
		if !strings.Contains(page, `<details class="chip-table"`) {
			t.Error("the chip table is not behind a disclosure")
		}
		if strings.Contains(page, `class="matrix" `) && strings.Contains(page, `role="img" aria-labelledby="matrix-title"`) {
			t.Error("the heatmap is an image that contains links (axe nested-interactive)")
		}
	})
	t.Run("a vendor without services links to the service form", func(t *testing.T) {
		code, v := e.api("POST", "/api/v1/vendors", rw.RoleProcurement, `{"legal_name":"No Services Yet AG","country":"CH"}`)
		if code != 201 {
			t.Fatalf("create vendor: %d %v", code, v)
		}
		id := int64(v["id"].(float64))
		_, page := b.post("/assessments", b.form(url.Values{"vendor_id": {fmt.Sprint(id)}, "due_date": {"2027-01-31"}}))
		if !strings.Contains(page, fmt.Sprintf(`<a href="/vendors/%d/services/new" id="add-services">`, id)) {
			t.Errorf("no link to add a service:\n%s", page)
		}
	})
	t.Run("login demo accounts fill the form", func(t *testing.T) {
		_, page := (&browser{e: e, c: http.DefaultClient}).get("/login")
		if !strings.Contains(page, `class="link demo-fill" data-email="procurement@demo.example"`) {
			t.Error("no fill button for the demo accounts")
		}
	})
	t.Run("every portal answer field has a label", func(t *testing.T) {
		_, _, page := e.vendor(e.invite(e.byState(rw.StateInProgress), ""))
		field := regexp.MustCompile(`<(input|textarea) type="(?:number|date)"[^>]*>|<textarea[^>]*>`)
		n := 0
		for _, m := range field.FindAllString(page, -1) {
			n++
			if !strings.Contains(m, "aria-labelledby=") && !strings.Contains(m, `name="body"`) {
				t.Errorf("unlabelled field: %s", m)
			}
		}
		if n == 0 {
			t.Fatal("no answer fields on the portal page")
		}
		if !strings.Contains(page, `<label class="block">Your comment <textarea name="body"`) {
			t.Error("the questionnaire comment box has no label")
		}
	})
}
