package web_test

import (
	"net/http"
	"reflect"
	"slices"
	"testing"

	"routewarden/internal/control"
	rw "routewarden/internal/routewarden"
)

type apiErr struct {
	Error struct{ Code, Message, Field string } `json:"error"`
}

// TestControlsAPI checks the control-library API over one server.
func TestControlsAPI(t *testing.T) {
	e := newEnv(t, false)
	t.Run("filters", func(t *testing.T) { testControlsAPIFilters(t, e) })
	t.Run("errors", func(t *testing.T) { testControlsAPIErrors(t, e) })
	t.Run("get", func(t *testing.T) { testControlAPIGet(t, e) })
	t.Run("obligations", func(t *testing.T) { testObligationsAPI(t, e) })
}

// testControlsAPIFilters checks that the list answers exactly the rows `routewarden controls
// list --format json` prints for the same filters (Control.Row of the matching controls).
func testControlsAPIFilters(t *testing.T, e *env) {
	l, _ := library(t)
	all := func(*control.Control) bool { return true }
	tests := []struct {
		query string
		keep  func(*control.Control) bool
	}{
		{"", all},
		{"?family=ORIG", func(c *control.Control) bool { return c.Family == "ORIG" }},
		{"?provider=ixp", func(c *control.Control) bool { return slices.Contains(c.AppliesTo, "ixp") }},
		{"?manrs=cdn-6", func(c *control.Control) bool { return slices.Contains(c.MANRS, "cdn-6") }},
		{"?obligation=DORA-28.4.d", func(c *control.Control) bool { return slices.Contains(c.Obligations, "DORA-28.4.d") }},
		{"?basis=declared", func(c *control.Control) bool { return c.Basis == "declared" }},
		{"?basis=measured&provider=cdn&manrs=cdn-1", func(c *control.Control) bool {
			return c.Basis == "measured" && slices.Contains(c.AppliesTo, "cdn") && slices.Contains(c.MANRS, "cdn-1")
		}},
		{"?family=GOV&basis=measured", func(c *control.Control) bool { return c.Family == "GOV" && c.Basis == "measured" }},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			var got struct {
				Library, Version, Digest string
				Total                    int
				Controls                 []control.ControlRow
			}
			if code := getJSON(t, e, "/api/v1/controls"+tt.query, rw.RoleAuditor, &got); code != http.StatusOK {
				t.Fatalf("status %d", code)
			}
			want := []control.ControlRow{}
			for _, c := range l.Select(tt.keep) {
				want = append(want, c.Row())
			}
			if !reflect.DeepEqual(got.Controls, want) || got.Total != len(want) {
				t.Fatalf("got %d rows (total %d), want %d: %v", len(got.Controls), got.Total, len(want), idsOfRows(got.Controls))
			}
			if got.Library != l.Name || got.Version != l.Version || got.Digest != l.Digest() {
				t.Errorf("library %s %s %s, want %s %s %s", got.Library, got.Version, got.Digest, l.Name, l.Version, l.Digest())
			}
		})
	}
	if n := len(l.Select(tests[6].keep)); n == 0 {
		t.Error("the combined filter case selects nothing; pick values that match something")
	}
}

func testControlsAPIErrors(t *testing.T, e *env) {
	tests := []struct {
		path, code, field string
		status            int
	}{
		{"/api/v1/controls?family=XYZ", "invalid", "family", 400},
		{"/api/v1/controls?provider=satellite", "invalid", "provider", 400},
		{"/api/v1/controls?manrs=netops-9", "invalid", "manrs", 400},
		{"/api/v1/controls?obligation=DORA-0", "invalid", "obligation", 400},
		{"/api/v1/controls?basis=hearsay", "invalid", "basis", 400},
		{"/api/v1/controls?version=0.1", "not_found", "", 404},
		{"/api/v1/controls?library=other", "not_found", "", 404},
		{"/api/v1/controls/RS-NOPE-01", "not_found", "", 404},
		{"/api/v1/obligations?regulation=GDPR", "invalid", "regulation", 400},
		{"/api/v1/obligations/NIS2-99", "not_found", "", 404},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			var got apiErr
			status := getJSON(t, e, tt.path, rw.RoleRiskOfficer, &got)
			if status != tt.status || got.Error.Code != tt.code || got.Error.Field != tt.field || got.Error.Message == "" {
				t.Fatalf("%d %+v, want %d %s field %q", status, got.Error, tt.status, tt.code, tt.field)
			}
		})
	}
}

func testControlAPIGet(t *testing.T, e *env) {
	l, _ := library(t)
	for _, c := range []string{"RS-ROV-01", evidencedControl(t, l).ID} {
		t.Run(c, func(t *testing.T) {
			var got struct {
				Library, Version string
				control.Control
			}
			if code := getJSON(t, e, "/api/v1/controls/"+c, rw.RoleProcurement, &got); code != http.StatusOK {
				t.Fatalf("status %d", code)
			}
			want, _ := l.Control(c)
			if !reflect.DeepEqual(got.Control, *want) {
				t.Fatalf("control differs from the library:\n got %+v\nwant %+v", got.Control, *want)
			}
			if got.Library != l.Name || got.Version != l.Version || len(got.Questions) == 0 {
				t.Errorf("library %q version %q, %d questions", got.Library, got.Version, len(got.Questions))
			}
		})
	}
	// The raw shape: the fields clients read by name.
	_, raw := e.api("GET", "/api/v1/controls/RS-ROV-01", rw.RoleAuditor, "")
	q := raw["questions"].([]any)[0].(map[string]any)
	k := q["contradictions"].([]any)[0].(map[string]any)
	if raw["basis"] != "measured" || q["type"] != "single_choice" || k["measured"].(map[string]any)["check"] != "rov.invalid-propagation" {
		t.Errorf("unexpected shape: %v", raw)
	}
	if chk := raw["checks"].([]any)[0].(map[string]any); chk["pass"] != 0.0 || chk["warn"] != 10.0 || chk["better"] != "lower" {
		t.Errorf("check thresholds: %v", chk)
	}
}

func testObligationsAPI(t *testing.T, e *env) {
	l, cat := library(t)
	type list struct {
		Library, Version string
		Total            int
		Obligations      []control.ObligationRow
	}
	var all list
	if code := getJSON(t, e, "/api/v1/obligations", rw.RoleAdmin, &all); code != http.StatusOK {
		t.Fatalf("status %d", code)
	}
	if want := l.ObligationRows(cat); !reflect.DeepEqual(all.Obligations, want) || all.Total != len(want) {
		t.Fatalf("got %d obligations, want the %d rows the CLI prints", len(all.Obligations), len(want))
	}
	var nis2 list
	getJSON(t, e, "/api/v1/obligations?regulation=nis2", rw.RoleAdmin, &nis2)
	if nis2.Total == 0 {
		t.Fatal("no NIS2 obligations")
	}
	for _, o := range nis2.Obligations {
		if o.Regulation != "NIS2" {
			t.Errorf("regulation filter let %s (%s) through", o.ID, o.Regulation)
		}
	}
	var one struct {
		Library string
		control.ObligationRow
	}
	if code := getJSON(t, e, "/api/v1/obligations/DORA-28.4.d", rw.RoleAuditor, &one); code != http.StatusOK {
		t.Fatalf("status %d", code)
	}
	if want := idsOf(l.ByObligation("DORA-28.4.d")); !reflect.DeepEqual(one.Controls, want) || len(want) == 0 {
		t.Errorf("controls %v, want %v", one.Controls, want)
	}
	if one.Source == "" || one.Paraphrase == "" || one.Reference != "Art. 28(4)(d)" || one.Library != l.Name {
		t.Errorf("obligation fields: %+v", one)
	}
}

func idsOfRows(rows []control.ControlRow) []string {
	var ids []string
	for _, r := range rows {
		ids = append(ids, r.ID)
	}
	return ids
}
