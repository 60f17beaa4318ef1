package web_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"routewarden/internal/control"
	"routewarden/internal/demo"
	rw "routewarden/internal/routewarden"
	"routewarden/internal/secret"
)

// TestPortalIsolation: a portal session opens exactly one assessment. Every portal route, sent
// with another assessment's ID (and its evidence IDs), answers 404 without its data.
func TestPortalIsolation(t *testing.T) {
	e := newAssessEnv(t)
	ctx := context.Background()
	own, other := e.byState(rw.StateInProgress), e.byState(rw.StateApproved)
	files, _ := e.db.FindEvidence(ctx, other.ID)
	if len(files) == 0 {
		t.Fatal("the approved demo has no evidence to probe with")
	}
	b, code, page := e.vendor(e.invite(own, ""))
	if code != 200 || !strings.Contains(page, own.VendorName) || b.csrf == "" {
		t.Fatalf("own questionnaire: %d", code)
	}
	probes := 0
	for _, r := range e.srv.Routes() {
		if !strings.HasPrefix(r.Path, "/portal/a/") {
			continue
		}
		for _, id := range []int64{other.ID, own.ID} {
			path := strings.NewReplacer(":id", strconv.FormatInt(id, 10), ":eid", strconv.FormatInt(files[0].ID, 10)).Replace(r.Path)
			if id == own.ID && !strings.Contains(r.Path, ":eid") {
				continue // only the other assessment's evidence is probed through the own ID
			}
			var code int
			var body string
			if r.Method == "GET" {
				code, body = b.get(path)
			} else {
				code, body = b.post(path, b.form(url.Values{"question": {"RS-ORIG-01.Q1"}, "body": {"hello there"}, "section": {"ORIG"},
					"email": {"x@example.net"}, "asn": {"64499"}, "check": {"rpki.roa-coverage"}, "explanation": {"this is wrong, really"}}))
			}
			probes++
			if code != http.StatusNotFound {
				t.Errorf("%s %s: %d, want 404", r.Method, path, code)
			}
			if strings.Contains(body, other.VendorName) || strings.Contains(body, files[0].Name) {
				t.Errorf("%s %s leaks the other assessment's data", r.Method, path)
			}
		}
	}
	if probes < 10 {
		t.Fatalf("only %d portal probes", probes)
	}
	// Without any session: 404, no data.
	anon := &browser{e: e, c: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	if code, body := anon.get(fmt.Sprintf("/portal/a/%d", own.ID)); code != 404 || strings.Contains(body, own.VendorName) {
		t.Errorf("portal without a session: %d", code)
	}
	// A POST without the portal CSRF token is refused.
	if code, _ := b.post(fmt.Sprintf("/portal/a/%d/comments", own.ID), url.Values{"body": {"no token"}}); code != http.StatusForbidden {
		t.Errorf("comment without CSRF token: %d", code)
	}
}

// TestPortalLinkStates: unknown, expired and revoked links and the sessions of revoked links get
// a clear page and no data.
func TestPortalLinkStates(t *testing.T) {
	e := newAssessEnv(t)
	ctx := context.Background()
	a := e.byState(rw.StateSent)
	raw := secret.NewToken("rwi_")
	old := &rw.Invitation{AssessmentID: a.ID, Email: "v@example.net", TokenHash: secret.HashToken(raw), Purpose: "invitation", ExpiresAt: e.db.Now().Add(-time.Hour)}
	if err := e.db.CreateInvitation(ctx, old, false); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, link string
		status     int
		says       string
	}{
		{"unknown", "/portal/open?token=rwi_doesnotexist", 404, "not valid"},
		{"expired", "/portal/open?token=" + raw, 410, "expired"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, code, body := e.vendor(tt.link)
			if code != tt.status || !strings.Contains(body, tt.says) || strings.Contains(body, a.VendorName) || strings.Contains(body, "RS-ORIG") {
				t.Errorf("%s link: %d, page mentions %q: %v", tt.name, code, tt.says, strings.Contains(body, tt.says))
			}
		})
	}
	link := e.invite(a, "")
	b, code, _ := e.vendor(link)
	if code != 200 {
		t.Fatalf("valid link: %d", code)
	}
	invs, _ := e.db.FindInvitations(ctx, a.ID)
	analyst, _ := e.login("procurement@demo.example", demo.Password)
	if code, _ := analyst.post(fmt.Sprintf("/assessments/%d/invitations/%d/revoke", a.ID, invs[0].ID), analyst.form(nil)); code != http.StatusSeeOther {
		t.Fatalf("revoke: %d", code)
	}
	if code, body := b.get(fmt.Sprintf("/portal/a/%d", a.ID)); code != http.StatusGone || strings.Contains(body, a.VendorName) {
		t.Errorf("session of a revoked link: %d", code)
	}
	if _, code, body := e.vendor(link); code != http.StatusGone || !strings.Contains(body, "withdrawn") {
		t.Errorf("revoked link: %d", code)
	}
	// Guessing links is rate-limited per client address (30 a minute; 4 used above).
	last := 0
	for range 30 {
		_, last, _ = e.vendor("/portal/open?token=rwi_guess")
	}
	if last != http.StatusTooManyRequests {
		t.Errorf("after 34 link attempts in a minute: %d, want 429", last)
	}
}

// firstQuestion returns the first question of the given type among the assessment's controls.
func firstQuestion(t *testing.T, a *rw.Assessment, typ string) (*control.Question, *control.Control) {
	t.Helper()
	lib, err := demo.Library()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range lib.ForProviders(a.ScopeStrings()) {
		for i := range c.Questions {
			if q := &c.Questions[i]; q.Type == typ && q.When == nil && q.Prefill == "" {
				return q, c
			}
		}
	}
	t.Fatalf("no %s question in scope", typ)
	return nil, nil
}

// TestPortalConcurrentSave: two contributors edit the same answer from the same version; the
// second save is refused with a conflict that names the first, keeps the second's input on the
// page, and the first's answer stands. Nothing is lost: the history keeps every version.
func TestPortalConcurrentSave(t *testing.T) {
	e := newAssessEnv(t)
	ctx := context.Background()
	a := e.byState(rw.StateSent)
	q, c := firstQuestion(t, a, control.TypeText)
	alice, _, _ := e.vendor(e.invite(a, ""))
	bob, _, _ := e.vendor(e.invite(a, ""))
	save := func(b *browser, text string, version int) (int, string) {
		return b.post(fmt.Sprintf("/portal/a/%d/answers", a.ID), b.form(url.Values{"section": {c.Family}, "q": {q.ID},
			"v:" + q.ID: {strconv.Itoa(version)}, "a:" + q.ID: {text}}))
	}
	if code, _ := save(alice, "Alice's first answer", 0); code != http.StatusSeeOther {
		t.Fatalf("alice: %d", code)
	}
	code, page := save(bob, "Bob wrote this meanwhile", 0)
	if code != http.StatusConflict || !strings.Contains(page, "vendor@example.net") || !strings.Contains(page, "Bob wrote this meanwhile") {
		t.Fatalf("bob's conflicting save: %d; page keeps his text: %v", code, strings.Contains(page, "Bob wrote this meanwhile"))
	}
	answers, _ := e.db.FindAnswers(ctx, a.ID)
	for _, x := range answers {
		if x.QuestionID == q.ID && (x.Values[0] != "Alice's first answer" || x.Version != 1) {
			t.Errorf("stored answer = %+v", x)
		}
	}
	// Bob reloads (version 1) and saves again: now it goes through.
	if code, _ := save(bob, "Bob's merged answer", 1); code != http.StatusSeeOther {
		t.Fatalf("bob after reload: %d", code)
	}
	got, _ := e.db.FindAssessmentByID(ctx, a.ID)
	if got.State != rw.StateInProgress {
		t.Errorf("first save did not move the assessment to in progress: %s", got.State)
	}
	// Autosave answers in JSON with the conflict.
	req, _ := http.NewRequest("POST", e.ts.URL+fmt.Sprintf("/portal/a/%d/answers", a.ID), strings.NewReader(url.Values{"_csrf": {alice.csrf},
		"section": {c.Family}, "q": {q.ID}, "v:" + q.ID: {"1"}, "a:" + q.ID: {"stale"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Autosave", "1")
	resp, err := alice.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusConflict || !strings.Contains(string(body), `"conflicts"`) {
		t.Errorf("autosave conflict: %d %s", resp.StatusCode, body)
	}
}

// portalUploadFile posts a file to a file question through the portal.
func portalUploadFile(t *testing.T, b *browser, a *rw.Assessment, q string, name string, data []byte) (int, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("_csrf", b.csrf)
	mw.WriteField("question", q)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest("POST", b.e.ts.URL+fmt.Sprintf("/portal/a/%d/evidence", a.ID), &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := b.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// TestPortalUpload: oversize and disguised files are refused; a real PDF is stored with its
// SHA-256, downloadable by the vendor and the analyst.
func TestPortalUpload(t *testing.T) {
	e := newAssessEnv(t)
	ctx := context.Background()
	a := e.byState(rw.StateSent)
	q, _ := firstQuestion(t, a, control.TypeFile)
	b, _, _ := e.vendor(e.invite(a, ""))
	pdf := []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
	for _, tt := range []struct {
		name, file string
		data       []byte
		status     int
		says       string
	}{
		{"oversize", "big.pdf", append(append([]byte{}, pdf...), make([]byte, 11<<20)...), 413, "larger than 10 MiB"},
		{"just over the limit", "big.pdf", append(append([]byte{}, pdf...), make([]byte, 10<<20)...), 400, "larger than 10 MiB"},
		{"html disguised as pdf", "report.pdf", []byte("<html><script>alert(1)</script></html>"), 400, "not accepted"},
		{"executable disguised as pdf", "report.pdf", append([]byte("MZ\x90\x00\x03"), make([]byte, 64)...), 400, "not accepted"},
		{"pdf disguised as text", "notes.txt", pdf, 400, "does not match its name"},
		{"empty", "e.pdf", nil, 400, "empty"},
		{"pdf", "roa-export.pdf", pdf, 303, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, body := portalUploadFile(t, b, a, q.ID, tt.file, tt.data)
			if code != tt.status || !strings.Contains(body, tt.says) {
				t.Errorf("%s: %d (%v)", tt.name, code, strings.Contains(body, tt.says))
			}
		})
	}
	files, _ := e.db.FindEvidence(ctx, a.ID)
	if len(files) != 1 {
		t.Fatalf("%d files stored, want only the PDF", len(files))
	}
	sum := sha256.Sum256(pdf)
	if f := files[0]; f.SHA256 != hex.EncodeToString(sum[:]) || f.MediaType != "application/pdf" || f.Size != int64(len(pdf)) {
		t.Errorf("stored %+v", f)
	}
	if code, body := b.get(fmt.Sprintf("/portal/a/%d/evidence/%d", a.ID, files[0].ID)); code != 200 || body != string(pdf) {
		t.Errorf("vendor download: %d", code)
	}
	analyst, _ := e.login("auditor@demo.example", demo.Password)
	if code, _ := analyst.get(fmt.Sprintf("/assessments/%d/evidence/%d", a.ID, files[0].ID)); code != 200 {
		t.Errorf("auditor download: %d", code)
	}
	if code, body := b.post(fmt.Sprintf("/portal/a/%d/submit", a.ID), b.form(nil)); code != http.StatusConflict || !strings.Contains(body, "missing") {
		t.Errorf("submit of an incomplete questionnaire: %d", code)
	}
}
