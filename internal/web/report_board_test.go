package web_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"routewarden/internal/demo"
	rw "routewarden/internal/routewarden"
)

// postRaw posts a form as b and returns the status, headers and body.
func (b *browser) postRaw(path string, form url.Values) (int, http.Header, []byte) {
	b.e.t.Helper()
	resp, err := b.c.PostForm(b.e.ts.URL+path, form)
	if err != nil {
		b.e.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, body
}

func (b *browser) getRaw(path string) (int, http.Header, []byte) {
	b.e.t.Helper()
	resp, err := b.c.Get(b.e.ts.URL + path)
	if err != nil {
		b.e.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, body
}

func (e *env) boardCount() int {
	e.t.Helper()
	_, n, err := e.db.FindBoardReports(context.Background(), 0, 100)
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

// TestBoardReportButton: the dashboard offers "Board report (PDF)" to the roles that may sign
// (risk officer, admin) only; the POST behind it checks the role and the CSRF token, and when
// both hold generates, signs, registers and downloads the report, which /verify then accepts.
func TestBoardReportButton(t *testing.T) {
	e := newEnv(t, true)
	users := map[rw.Role]*browser{}
	for _, u := range demo.Users {
		b, code := e.login(u.Email, demo.Password)
		if code != http.StatusSeeOther {
			t.Fatalf("login %s: %d", u.Email, code)
		}
		users[u.Role] = b
	}
	for role, b := range users {
		_, page := b.get("/")
		has := strings.Contains(page, `action="/reports/board"`) && strings.Contains(page, "Board report (PDF)")
		if want := role.Can(rw.PermAttest); has != want {
			t.Errorf("%s: dashboard button shown %v, want %v", role, has, want)
		}
		if !strings.Contains(page, `href="/reports/board"`) {
			t.Errorf("%s: dashboard lacks the link to the issued board reports", role)
		}
	}

	t.Run("roles that may not sign are refused", func(t *testing.T) {
		for _, role := range []rw.Role{rw.RoleProcurement, rw.RoleAuditor} {
			b := users[role]
			if code, _, _ := b.postRaw("/reports/board", b.form(nil)); code != http.StatusForbidden {
				t.Errorf("%s: %d, want 403", role, code)
			}
		}
		anon := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		resp, err := anon.PostForm(e.ts.URL+"/reports/board", url.Values{})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
			t.Errorf("anonymous: %d to %q, want 303 to the login page", resp.StatusCode, resp.Header.Get("Location"))
		}
		if n := e.boardCount(); n != 0 {
			t.Errorf("%d board reports registered by refused requests", n)
		}
	})
	t.Run("CSRF", func(t *testing.T) {
		risk := users[rw.RoleRiskOfficer]
		for name, form := range map[string]url.Values{"no token": {}, "wrong token": {"_csrf": {"x" + risk.csrf}}} {
			if code, _, _ := risk.postRaw("/reports/board", form); code != http.StatusForbidden {
				t.Errorf("%s: %d, want 403", name, code)
			}
		}
		if n := e.boardCount(); n != 0 {
			t.Errorf("%d board reports registered without a valid CSRF token", n)
		}
	})

	risk := users[rw.RoleRiskOfficer]
	code, h, pdf := risk.postRaw("/reports/board", risk.form(nil))
	if code != http.StatusOK || h.Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("issue: %d %s %.200q", code, h.Get("Content-Type"), pdf)
	}
	docID := h.Get("X-Document-ID")
	sum := sha256.Sum256(pdf)
	if !rw.ValidBoardDocumentID(docID) || !strings.Contains(h.Get("Content-Disposition"), `attachment; filename="`+docID+`.pdf"`) ||
		h.Get("X-Content-SHA256") != hex.EncodeToString(sum[:]) {
		t.Fatalf("download headers: %v", h)
	}
	reg, err := e.db.FindBoardReportByDocumentID(context.Background(), docID)
	if err != nil || reg.IssuedBy != "risk@demo.example" || reg.SHA256 != hex.EncodeToString(sum[:]) {
		t.Fatalf("registry entry %+v %v", reg, err)
	}

	t.Run("history and re-download", func(t *testing.T) {
		auditor := users[rw.RoleAuditor]
		_, page := auditor.get("/reports/board")
		if !strings.Contains(page, docID) || !strings.Contains(page, "risk@demo.example") || strings.Contains(page, `action="/reports/board"`) {
			t.Errorf("auditor's list: lacks the report or offers to issue:\n%.3000s", page)
		}
		code, _, again := auditor.getRaw("/reports/board/" + strconv.FormatInt(reg.ID, 10) + "/pdf")
		if code != 200 || !bytes.Equal(again, pdf) {
			t.Errorf("re-download: %d, same bytes %v", code, bytes.Equal(again, pdf))
		}
		if code, _, _ := auditor.getRaw("/reports/board/999999/pdf"); code != http.StatusNotFound {
			t.Errorf("unknown report: %d, want 404", code)
		}
		_, page = risk.get("/reports/board")
		if !strings.Contains(page, `action="/reports/board"`) || !strings.Contains(page, "Revoke "+docID) {
			t.Errorf("risk officer's list lacks the issue button or revocation")
		}
	})
	t.Run("verify accepts it", func(t *testing.T) {
		code, page := upload(t, e, docID+".pdf", pdf)
		for _, want := range []string{"<h2>Valid</h2>", "Valid: board report " + docID, "Board / supervisor report on the routing security"} {
			if code != 200 || !strings.Contains(page, want) {
				t.Errorf("verify: %d, page lacks %q", code, want)
			}
		}
		tampered := bytes.Clone(pdf)
		tampered[bytes.Index(tampered, []byte("stream"))+40] ^= 1
		_, page = upload(t, e, "changed.pdf", tampered)
		lead, tech, ok := strings.Cut(page, `<details class="tech">`)
		if !ok || !strings.Contains(lead, "<h2>Not valid</h2>") || !strings.Contains(lead, "The document was changed after signing") {
			t.Fatalf("tampered: no plain verdict with technical details folded:\n%.3000s", page)
		}
		if i := strings.Index(lead, "<h2>"); strings.Contains(lead[i:], "verification") || strings.Contains(lead[i:], "crypto/") || strings.Contains(lead[i:], "pkcs7") {
			t.Errorf("the plain part carries technical text:\n%s", lead[i:])
		}
		if !strings.Contains(tech, "changed after signing or the signature is broken") {
			t.Errorf("technical details lack the checker's finding:\n%.2000s", tech)
		}
	})
	t.Run("revoke", func(t *testing.T) {
		if code, _, _ := users[rw.RoleAuditor].postRaw("/reports/board/"+strconv.FormatInt(reg.ID, 10)+"/revoke", users[rw.RoleAuditor].form(url.Values{"reason": {"Not mine to revoke."}})); code != http.StatusForbidden {
			t.Errorf("auditor revoking: %d, want 403", code)
		}
		admin := users[rw.RoleAdmin]
		if code, _ := admin.post("/reports/board/"+strconv.FormatInt(reg.ID, 10)+"/revoke", admin.form(url.Values{"reason": {"Figures predate the import."}})); code != http.StatusSeeOther {
			t.Errorf("admin revoking: %d, want 303", code)
		}
		_, page := upload(t, e, docID+".pdf", pdf)
		if !strings.Contains(page, "Not valid — revoked") || strings.Contains(page, "Figures predate") {
			t.Errorf("revoked report: lacks the verdict or shows the reason to the public")
		}
	})
}

// TestVerifyKeepsNavigation: a signed-in user keeps the site's navigation on /verify, before
// and after an upload; an anonymous visitor sees none.
func TestVerifyKeepsNavigation(t *testing.T) {
	e := newEnv(t, true)
	b, _ := e.login("procurement@demo.example", demo.Password)
	nav := `<nav aria-label="Main">`
	if _, page := b.get("/verify"); !strings.Contains(page, nav) || !strings.Contains(page, "Log out") {
		t.Errorf("signed-in GET /verify lacks the navigation")
	}
	ct, body := multipartPDF([]byte("%PDF-1.4 not really"))
	resp, err := b.c.Post(e.ts.URL+"/verify", ct, body)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(page), nav) || !strings.Contains(string(page), "is not a PDF that Routewarden can check") {
		t.Errorf("signed-in upload page lacks the navigation or the plain error:\n%.2000s", page)
	}
	if _, anon := upload(t, e, "x.pdf", []byte("%PDF-1.4 not really")); strings.Contains(anon, nav) {
		t.Errorf("anonymous page shows the navigation")
	}
}

// TestBoardReportAPI: the API issues (risk officer, admin), lists, downloads and revokes board
// reports with the same roles as the pages; other roles get 403, bad input 400 and nothing
// changes.
func TestBoardReportAPI(t *testing.T) {
	e := newEnv(t, true)
	for _, r := range []rw.Role{rw.RoleProcurement, rw.RoleAuditor, ""} {
		if code, _ := e.api("POST", "/api/v1/reports/board", r, ""); code != http.StatusForbidden && code != http.StatusUnauthorized {
			t.Errorf("issue as %q: %d, want 403/401", r, code)
		}
	}
	if n := e.boardCount(); n != 0 {
		t.Fatalf("%d board reports registered by roles that may not issue", n)
	}
	code, out := e.api("POST", "/api/v1/reports/board", rw.RoleRiskOfficer, "")
	if code != http.StatusCreated {
		t.Fatalf("issue: %d %v", code, out)
	}
	docID, _ := out["document_id"].(string)
	id := int64(out["id"].(float64))
	if !rw.ValidBoardDocumentID(docID) || out["issued_by"] != "risk@demo.example" || out["revoked"] != false ||
		out["pdf_url"] != "/api/v1/reports/board/"+strconv.FormatInt(id, 10)+"/pdf" {
		t.Fatalf("registry entry: %v", out)
	}
	code, list := e.api("GET", "/api/v1/reports/board", rw.RoleAuditor, "")
	if items, _ := list["board_reports"].([]any); code != 200 || list["total"] != float64(1) || len(items) != 1 {
		t.Fatalf("list: %d %v", code, list)
	}
	req, _ := http.NewRequest("GET", e.ts.URL+out["pdf_url"].(string), nil)
	req.Header.Set("Authorization", "Bearer "+e.tokens[rw.RoleAuditor])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	pdf, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	sum := sha256.Sum256(pdf)
	if resp.StatusCode != 200 || hex.EncodeToString(sum[:]) != out["sha256"] || resp.Header.Get("X-Document-ID") != docID {
		t.Fatalf("download: %d, sha256 matches registry %v", resp.StatusCode, hex.EncodeToString(sum[:]) == out["sha256"])
	}
	path := "/api/v1/reports/board/" + strconv.FormatInt(id, 10) + "/revoke"
	if code, _ := e.api("POST", path, rw.RoleAuditor, `{"reason":"Not mine to revoke."}`); code != http.StatusForbidden {
		t.Errorf("auditor revoking: %d, want 403", code)
	}
	if code, body := e.api("POST", path, rw.RoleAdmin, `{"reason":`); code != http.StatusBadRequest {
		t.Errorf("malformed body: %d %v, want 400", code, body)
	}
	if code, body := e.api("POST", "/api/v1/reports/board/999999/revoke", rw.RoleAdmin, `{"reason":"Figures predate the import."}`); code != http.StatusNotFound {
		t.Errorf("unknown report: %d %v, want 404", code, body)
	}
	code, rev := e.api("POST", path, rw.RoleAdmin, `{"reason":"Figures predate the import."}`)
	if code != 200 || rev["revoked"] != true || rev["revoked_by"] != "admin@demo.example" {
		t.Fatalf("revoke: %d %v", code, rev)
	}
	if code, _ := e.api("POST", path, rw.RoleAdmin, `{"reason":"Again, to be sure."}`); code != http.StatusConflict {
		t.Errorf("second revocation: %d, want 409", code)
	}
	if _, page := upload(t, e, docID+".pdf", pdf); !strings.Contains(page, "Not valid — revoked") {
		t.Errorf("verify after API revocation does not say revoked")
	}
}
