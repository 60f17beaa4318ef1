package web_test

import (
	"encoding/json"
	"html"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"routewarden/controls"
	"routewarden/internal/control"
	"routewarden/internal/demo"
	rw "routewarden/internal/routewarden"
)

// library loads the embedded control library the server shows: the expectations below are
// computed from it independently of the handlers.
func library(t *testing.T) (*control.Library, *control.Catalogue) {
	t.Helper()
	set, err := controls.Shipped()
	if err != nil {
		t.Fatal(err)
	}
	l, ok := set.Library("routewarden-manrs", "")
	if !ok {
		t.Fatal("no routewarden-manrs library")
	}
	return l, set.Catalogue
}

// getJSON sends an API GET with the role's token and decodes the body into v.
func getJSON(t *testing.T, e *env, path string, role rw.Role, v any) int {
	t.Helper()
	req, _ := http.NewRequest("GET", e.ts.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+e.tokens[role])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("GET %s: %d, body is not JSON: %v\n%s", path, resp.StatusCode, err, b)
	}
	return resp.StatusCode
}

func TestControlPagesEveryRole(t *testing.T) {
	e := newEnv(t, true)
	pages := []struct{ path, want string }{
		{"/controls", "RS-ROV-01"},
		{"/controls/RS-ROV-01", "RPKI-invalid routes dropped on all external sessions"},
		{"/obligations", "DORA-28.4.d"},
		{"/obligations/DORA-28.4.d", "eur-lex.europa.eu"},
		{"/coverage", "IR2690-6.7.2.l"},
	}
	for _, u := range demo.Users {
		b, code := e.login(u.Email, demo.Password)
		if code != http.StatusSeeOther {
			t.Fatalf("login %s: %d", u.Email, code)
		}
		for _, p := range pages {
			t.Run(string(u.Role)+p.path, func(t *testing.T) {
				code, body := b.get(p.path)
				if code != http.StatusOK || !strings.Contains(body, p.want) {
					t.Fatalf("GET %s as %s: %d, want 200 with %q", p.path, u.Role, code, p.want)
				}
				if !strings.Contains(body, `href="/controls"`) {
					t.Errorf("GET %s: no Controls link in the navigation", p.path)
				}
			})
		}
	}
}

func TestControlPages(t *testing.T) {
	e := newEnv(t, false)
	l, cat := library(t)
	b, _ := e.login("auditor@demo.example", demo.Password)
	tests := []struct {
		name       string
		path       string
		status     int
		want, deny []string
	}{
		{"family filter", "/controls?family=ROV", 200, []string{"RS-ROV-01", "RS-ROV-02"}, []string{"RS-ORIG-01", "RS-GOV-"}},
		{"basis and provider", "/controls?basis=measured&provider=ixp", 200, idsOf(l.Select(func(c *control.Control) bool {
			return c.Basis == "measured" && slices.Contains(c.AppliesTo, "ixp")
		})), idsOf(l.Select(func(c *control.Control) bool { return c.Basis != "measured" }))},
		{"manrs filter", "/controls?manrs=ixp-2", 200, idsOf(l.ByMANRS("ixp-2")), []string{"RS-ROV-01"}},
		{"obligation filter", "/controls?obligation=NIS2-21.2.d", 200, idsOf(l.ByObligation("NIS2-21.2.d")), nil},
		{"unknown family", "/controls?family=NOPE", 400, []string{"Unknown family"}, nil},
		{"unknown basis", "/controls?basis=guessed", 400, []string{"Unknown verification basis"}, nil},
		{"control detail", "/controls/RS-ROV-01", 200, []string{
			"RS-ROV-01.Q1", "RS-ROV-01.Q2", "Single choice", "Date", // questions and their types
			`<code>RS-ROV-01.Q1</code></a> != <code>all</code>`,              // condition
			"answer = all and rov.invalid-propagation &gt; 0",                // contradiction rule
			"pass ≤ 0, warn ≤ 10, otherwise fail", "rov.invalid-propagation", // measured check
			"DORA-28.4.d", "IR2690-6.7.2.l", "netops-1"}, nil},
		{"required evidence", "/controls/" + evidencedControl(t, l).ID, 200, []string{"required", html.EscapeString(evidencedControl(t, l).Evidence[0].Title)}, nil},
		{"unknown control", "/controls/RS-NOPE-99", 404, []string{"There is no control"}, nil},
		{"unknown version", "/controls?version=1999.1", 404, []string{"no version"}, nil},
		{"obligation detail", "/obligations/DORA-28.4.d", 200, append(idsOf(l.ByObligation("DORA-28.4.d")), "Art. 28(4)(d)"), nil},
		{"informational", "/obligations/DORA-5.3", 200, []string{"Informational", "No control of this library version"}, nil},
		{"regulation filter", "/obligations?regulation=CER", 200, []string{"CER-13.1.a"}, []string{"DORA-28.4.d"}},
		{"unknown regulation", "/obligations?regulation=GDPR", 400, []string{"Unknown regulation"}, nil},
		{"unknown obligation", "/obligations/DORA-99.9", 404, []string{"There is no obligation"}, nil},
		{"coverage", "/coverage", 200, append(obligationIDs(cat), idsOf(l.Select(func(*control.Control) bool { return true }))...), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body := b.get(tt.path)
			if code != tt.status {
				t.Fatalf("GET %s: %d, want %d", tt.path, code, tt.status)
			}
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("GET %s lacks %q", tt.path, w)
				}
			}
			for _, d := range tt.deny {
				if strings.Contains(body, d) {
					t.Errorf("GET %s shows %q", tt.path, d)
				}
			}
		})
	}
}

// TestCoverageShowsEveryObligation checks that every obligation has its row, linked, in the
// coverage table and that every mapping appears as a mark in the matrix.
func TestCoverageShowsEveryObligation(t *testing.T) {
	e := newEnv(t, false)
	l, cat := library(t)
	b, _ := e.login("procurement@demo.example", demo.Password)
	_, body := b.get("/coverage")
	marks := 0
	for _, o := range cat.Obligations() {
		if !strings.Contains(body, `<th scope="row"><a href="/obligations/`+o.ID+`"`) {
			t.Errorf("coverage table has no row for %s", o.ID)
		}
		for _, c := range l.ByObligation(o.ID) {
			marks++
			if !strings.Contains(body, "<title>"+c.ID+" "+html.EscapeString(c.Title)+" → "+o.ID+" ") {
				t.Errorf("matrix has no mark %s → %s", c.ID, o.ID)
			}
		}
	}
	if got := strings.Count(body, " → "); got != marks {
		t.Errorf("matrix has %d marks, the library maps %d", got, marks)
	}
}

func idsOf(cs []*control.Control) []string {
	var ids []string
	for _, c := range cs {
		ids = append(ids, c.ID)
	}
	return ids
}

func obligationIDs(cat *control.Catalogue) []string {
	var ids []string
	for _, o := range cat.Obligations() {
		ids = append(ids, o.ID)
	}
	return ids
}

// evidencedControl returns a control with required evidence.
func evidencedControl(t *testing.T, l *control.Library) *control.Control {
	t.Helper()
	for _, c := range l.ByBasis(control.BasisEvidenced) {
		if len(c.Evidence) > 0 && c.Evidence[0].Required {
			return c
		}
	}
	t.Fatal("no control with required evidence")
	return nil
}
