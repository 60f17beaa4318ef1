package web_test

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"routewarden/internal/demo"
	rw "routewarden/internal/routewarden"
	"routewarden/internal/secret"
	"routewarden/internal/store/storetest"
	"routewarden/internal/web"
)

// multipartPDF is a multipart form with data as its "pdf" file.
func multipartPDF(data []byte) (string, *bytes.Buffer) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("pdf", "a.pdf")
	fw.Write(data)
	mw.Close()
	return mw.FormDataContentType(), &buf
}

// TestVerifyRefusesHostileUpload: the files that crashed (5M nested arrays) or stalled (no
// %%EOF) the server through the general PDF parser get a 400 page naming what is wrong, and
// the server keeps serving.
func TestVerifyRefusesHostileUpload(t *testing.T) {
	e := newAttestEnv(t)
	nested := []byte("%PDF-1.4\nxref\n0 1\n0000000000 65535 f \ntrailer\n<< /Root " + strings.Repeat("[", 5_000_000) +
		strings.Repeat("]", 5_000_000) + " >>\nstartxref\n9\n%%EOF\n")
	noEOF := append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("1 0 obj\n<< >>\nendobj\n"), 1<<20/22)...)
	for name, tc := range map[string]struct {
		data []byte
		want string
	}{
		"5M nested [":  {nested, "nesting deeper than 64 at byte"},
		"no %%EOF":     {noEOF, "no %%EOF in the last 1024 bytes"},
		"huge xref":    {[]byte("%PDF-1.4\nxref\n2147482647 1\n0000000009 00000 n \ntrailer\n<< /Size 1 >>\nstartxref\n9\n%%EOF\n"), "starts at object 2147482647"},
		"not even PDF": {[]byte("GIF89a"), "no %PDF- header"},
	} {
		t.Run(name, func(t *testing.T) {
			code, page := upload(t, e, "evil.pdf", tc.data)
			if code != http.StatusBadRequest || !strings.Contains(page, "The file is not a readable PDF: ") || !strings.Contains(page, tc.want) {
				t.Errorf("status %d, want 400 naming %q; page:\n%.2000s", code, tc.want, page)
			}
			if resp, err := http.Get(e.ts.URL + "/verify"); err != nil || resp.StatusCode != 200 {
				t.Fatalf("the server stopped serving: %v %v", resp, err)
			} else {
				resp.Body.Close()
			}
		})
	}
}

// TestVerifyBusy: with every verification slot taken, an upload gets 503 with Retry-After
// instead of waiting; once the slot is free, uploads are checked again.
func TestVerifyBusy(t *testing.T) {
	db := storetest.SQLite(t)
	hash := func(p string) (string, error) { return secret.HashPassword(p, secret.Fast) }
	srv, err := web.New(web.Config{Version: "test", MaxVerifications: 1, VerifyWait: 50 * time.Millisecond}, fullDeps(t, db, hash))
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()

	// A client that sends its headers but not yet its file holds the only slot.
	ctype, body := multipartPDF([]byte("%PDF-1.4\n"))
	pr, pw := io.Pipe()
	first := make(chan int, 1)
	go func() {
		resp, err := http.Post(ts.URL+"/verify", ctype, pr)
		if err != nil {
			first <- 0
			return
		}
		resp.Body.Close()
		first <- resp.StatusCode
	}()
	pw.Write(body.Bytes()[:10])

	var resp *http.Response
	for range 40 { // until the first upload holds the slot
		ct, b := multipartPDF([]byte("%PDF-1.4\n"))
		if resp, err = http.Post(ts.URL+"/verify", ct, b); err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode == http.StatusServiceUnavailable {
			break
		}
		time.Sleep(25 * time.Millisecond)
	}
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("upload while the slot is held: %d Retry-After %q, want 503 with Retry-After", resp.StatusCode, resp.Header.Get("Retry-After"))
	}

	pw.Write(body.Bytes()[10:])
	pw.Close()
	if code := <-first; code != http.StatusBadRequest {
		t.Errorf("the slow upload: %d, want 400 (not a signed PDF)", code)
	}
	ct, b := multipartPDF([]byte("GIF89a"))
	resp, err = http.Post(ts.URL+"/verify", ct, b)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("upload after the slot was freed: %d, want 400", resp.StatusCode)
	}
}

// TestVerifyRevokedForStaff: who revoked a document and why shows only to signed-in staff;
// anyone else learns that and when (TestVerifyPage).
func TestVerifyRevokedForStaff(t *testing.T) {
	e := newAttestEnv(t)
	_, att := e.api("POST", fmt.Sprintf("/api/v1/assessments/%d/attestations", e.assessmentIn(rw.StateApproved)), rw.RoleRiskOfficer, "{}")
	_, _, pdf := e.raw("GET", fmt.Sprintf("/api/v1/attestations/%v/pdf", att["id"]), rw.RoleAuditor, "")
	const reason = "Issued for the wrong vendor entity."
	if code, _ := e.api("POST", fmt.Sprintf("/api/v1/attestations/%v/revoke", att["id"]), rw.RoleAdmin, `{"reason":"`+reason+`"}`); code != 200 {
		t.Fatalf("revoke: %d", code)
	}
	auditor, code := e.login("auditor@demo.example", demo.Password)
	if code != http.StatusSeeOther {
		t.Fatalf("login: %d", code)
	}
	ct, b := multipartPDF(pdf)
	resp, err := auditor.c.Post(e.ts.URL+"/verify", ct, b)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{"Not valid — revoked", "Revoked by", "admin@demo.example", reason} {
		if !strings.Contains(string(page), want) {
			t.Errorf("staff page lacks %q", want)
		}
	}
	_, anon := upload(t, e, "a.pdf", pdf)
	if !strings.Contains(anon, "was revoked on") || strings.Contains(anon, reason) || strings.Contains(anon, "admin@demo.example") {
		t.Errorf("anonymous page: lacks the revocation date or names who and why")
	}
}
