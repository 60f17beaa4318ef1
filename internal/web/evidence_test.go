package web_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"routewarden/internal/demo"
	"routewarden/internal/evidence"
	rw "routewarden/internal/routewarden"
	"routewarden/internal/secret"
	"routewarden/internal/web"
)

func TestASNPageShowsChecks(t *testing.T) {
	e := newEnv(t, true)
	b, _ := e.login("auditor@demo.example", demo.Password)
	status, page := b.get("/asn/AS65541")
	if status != 200 {
		t.Fatalf("asn page: %d", status)
	}
	for _, want := range []string{"Hanseatic Access KG", "rpki.invalid-originations", "2001:db8:100::/48", "invalid", "demo (synthetic)", "unknown"} {
		if !strings.Contains(page, want) {
			t.Errorf("AS65541 page lacks %q", want)
		}
	}
	if status, _ := b.get("/asn/banana"); status != 404 {
		t.Errorf("bad ASN: %d", status)
	}
	_, vendor := b.get("/vendors?q=65541")
	if !strings.Contains(vendor, "Hanseatic") {
		t.Fatal("search by ASN")
	}
}

func TestChecksAPI(t *testing.T) {
	e := newEnv(t, true)
	status, body := e.api("GET", "/api/v1/checks?asn=AS64496&asn=64999", rw.RoleAuditor, "")
	rows, _ := body["results"].([]any)
	if status != 200 || len(rows) != 2*len(rw.Checks) {
		t.Fatalf("checks: %d, %d rows", status, len(rows))
	}
	for _, r := range rows {
		m := r.(map[string]any)
		if m["asn"].(float64) == 64999 && m["status"] == "pass" {
			t.Errorf("AS64999 (no data) passes %s", m["check"])
		}
	}
	if snaps, _ := body["snapshots"].([]any); len(snaps) != 7 {
		t.Errorf("%d snapshots listed, want 7", len(snaps))
	}
	if status, body := e.api("GET", "/api/v1/checks", rw.RoleAuditor, ""); status != 400 || body["error"] == nil {
		t.Errorf("no target: %d %v", status, body)
	}
}

func TestDataImportForm(t *testing.T) {
	e := newEnv(t, true)
	admin, _ := e.login("admin@demo.example", demo.Password)
	post := func(kind, name, content string) (int, string) {
		var buf bytes.Buffer
		w := multipart.NewWriter(&buf)
		w.WriteField("_csrf", admin.csrf)
		w.WriteField("kind", kind)
		fw, _ := w.CreateFormFile("files", name)
		fw.Write([]byte(content))
		w.Close()
		req, _ := http.NewRequest("POST", e.ts.URL+"/data/import", &buf)
		req.Header.Set("Content-Type", w.FormDataContentType())
		resp, err := admin.c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out bytes.Buffer
		out.ReadFrom(resp.Body)
		return resp.StatusCode, out.String()
	}
	count := func() int {
		snaps, _ := e.db.FindSnapshots(t.Context(), "")
		return len(snaps)
	}
	before := count()
	status, page := post("routes", "bad.txt", "192.0.2.0/24 AS64500\n198.51.100.0/33 AS1\n")
	if status != 400 || !strings.Contains(page, "bad.txt") || !strings.Contains(page, "nothing was imported") {
		t.Fatalf("bad file: %d\n%s", status, page)
	}
	if count() != before {
		t.Fatal("a refused import stored a snapshot")
	}
	status, _ = post("routes", "list.txt", "# test\n192.0.2.0/24 AS64496\n2001:db8:100::/40 64496\n")
	if status != http.StatusSeeOther || count() != before+1 {
		t.Fatalf("good file: %d, %d snapshots", status, count())
	}
	_, page = admin.get("/data")
	if !strings.Contains(page, "list.txt") || !strings.Contains(page, "prefix-origin") {
		t.Error("data page does not list the new snapshot")
	}
	proc, _ := e.login("procurement@demo.example", demo.Password)
	if status, _ := proc.post("/data/import", proc.form(nil)); status != 403 {
		t.Errorf("procurement import: %d, want 403", status)
	}
}

// TestStaleDataFlagged shows "stale data" next to results that rest on a snapshot older than a
// week (demo snapshots excepted), and not otherwise.
func TestStaleDataFlagged(t *testing.T) {
	e := newEnv(t, false)
	if _, _, err := evidence.Import(t.Context(), e.db, "routes", "test", []evidence.File{{Name: "r.txt", Data: []byte("192.0.2.0/24 AS64496\n")}}, false); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		after time.Duration
		stale bool
	}{{time.Hour, false}, {8 * 24 * time.Hour, true}} {
		deps := fullDeps(t, e.db, func(p string) (string, error) { return secret.HashPassword(p, secret.Fast) })
		deps.Now = func() time.Time { return e.db.Now().Add(c.after) }
		srv, err := web.New(web.Config{}, deps)
		if err != nil {
			t.Fatal(err)
		}
		u, _ := e.db.FindUserByEmail(t.Context(), "auditor@demo.example")
		raw := secret.NewToken("")
		if err := e.db.CreateSession(t.Context(), &rw.Session{TokenHash: secret.HashToken(raw), UserID: u.ID, CSRFToken: "x", ExpiresAt: deps.Now().Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		req := httptest.NewRequest("GET", "/asn/AS64496", nil)
		req.AddCookie(&http.Cookie{Name: "rw_session", Value: raw})
		w := httptest.NewRecorder()
		srv.Handler().ServeHTTP(w, req)
		if w.Code != 200 || strings.Contains(w.Body.String(), "stale data") != c.stale {
			t.Errorf("%v after import: status %d, stale shown = %v, want %v", c.after, w.Code, !c.stale, c.stale)
		}
	}
}
