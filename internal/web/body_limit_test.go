package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"routewarden/internal/control"
	rw "routewarden/internal/routewarden"
)

// chunked hides a body's length from the client, which then sends it chunked: the server learns
// the size only by reading, so only a limit on the reader can stop it.
type chunked struct{ r io.Reader }

func (c chunked) Read(p []byte) (int, error) { return c.r.Read(p) }

// send posts body to path with the browser's cookies (b may be nil), declared or chunked.
func send(t *testing.T, e *env, b *browser, path, contentType string, body []byte, hideLength bool, header map[string]string) (int, string) {
	t.Helper()
	var r io.Reader = bytes.NewReader(body)
	if hideLength {
		r = chunked{r}
	}
	req, _ := http.NewRequest("POST", e.ts.URL+path, r)
	req.Header.Set("Content-Type", contentType)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	c := http.DefaultClient
	if b != nil {
		c = b.c
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(out)
}

// TestBodyLimits: every route bounds its body before anything parses it (the login form, the
// CSRF field of a signed-in form, a portal form, API JSON); only upload routes allow more. A
// body over the limit is answered 413 naming the limit, whether its length was declared or it
// came chunked, and nothing is stored.
func TestBodyLimits(t *testing.T) {
	e := newAssessEnv(t)
	staff, code := e.login("procurement@demo.example", "demo")
	if code != http.StatusSeeOther {
		t.Fatalf("login: %d", code)
	}
	a := e.byState(rw.StateInProgress)
	vendor, _, _ := e.vendor(e.invite(a, ""))
	vendorsBefore := e.countVendors()
	padding := strings.Repeat("x", 3<<20) // 3 MiB, over the default 1 MiB
	form := func(csrf string) []byte {
		return []byte(url.Values{"_csrf": {csrf}, "legal_name": {"Oversize Ltd"}, "country": {"DE"}, "email": {"a@b.example"}, "password": {"x"},
			"body": {"hello"}, "padding": {padding}}.Encode())
	}
	const urlenc = "application/x-www-form-urlencoded"
	jsonBody := []byte(`{"legal_name":"` + padding + `","country":"DE"}`)
	for _, tt := range []struct {
		name, path, ctype string
		b                 *browser
		body              []byte
		header            map[string]string
		api               bool
	}{
		{"login form", "/login", urlenc, nil, form("whatever"), nil, false},
		{"signed-in form with _csrf in the body", "/vendors", urlenc, staff, form(staff.csrf), nil, false},
		{"portal form", fmt.Sprintf("/portal/a/%d/comments", a.ID), urlenc, vendor, form(vendor.csrf), nil, false},
		{"API JSON", "/api/v1/vendors", "application/json", nil, jsonBody, map[string]string{"Authorization": "Bearer " + e.tokens[rw.RoleAdmin]}, true},
	} {
		for _, hide := range []bool{false, true} {
			name := tt.name + "/declared"
			if hide {
				name = tt.name + "/chunked"
			}
			t.Run(name, func(t *testing.T) {
				code, body := send(t, e, tt.b, tt.path, tt.ctype, tt.body, hide, tt.header)
				if code != http.StatusRequestEntityTooLarge || !strings.Contains(body, "1 MiB") {
					t.Errorf("%d, want 413 naming the 1 MiB limit: %.300s", code, body)
				}
				if tt.api {
					var out struct {
						Error struct{ Code, Message string }
					}
					if err := json.Unmarshal([]byte(body), &out); err != nil || out.Error.Code != "too_large" || !strings.Contains(out.Error.Message, "1048576 bytes") {
						t.Errorf("API error body %.300s (%v)", body, err)
					}
				}
			})
		}
	}
	if n := e.countVendors(); n != vendorsBefore {
		t.Errorf("oversize requests created %d vendors", n-vendorsBefore)
	}
	comments, _ := e.db.FindComments(t.Context(), a.ID)
	for _, c := range comments {
		if c.Body == "hello" {
			t.Error("an oversize portal form stored its comment")
		}
	}
}

// TestBodyLimitsUploads: the upload routes, and only they, take bodies over the default limit.
func TestBodyLimitsUploads(t *testing.T) {
	e := newAssessEnv(t)
	a := e.byState(rw.StateSent)
	q, _ := firstQuestion(t, a, control.TypeFile)
	vendor, _, _ := e.vendor(e.invite(a, ""))
	pdf := append([]byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"), make([]byte, 3<<20)...)
	if code, body := portalUploadFile(t, vendor, a, q.ID, "big-but-allowed.pdf", pdf); code != http.StatusSeeOther {
		t.Errorf("3 MiB evidence upload: %d %.300s", code, body)
	}
	// /verify reads 3 MiB of form too (the file sits in another field, so that no PDF is
	// parsed: the point is the limit, not the verifier).
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("not-the-pdf", "attestation.pdf")
	fw.Write(pdf)
	mw.Close()
	if code, body := send(t, e, nil, "/verify", mw.FormDataContentType(), buf.Bytes(), false, nil); code != http.StatusBadRequest || !strings.Contains(body, "Choose the PDF to check") {
		t.Errorf("3 MiB form on /verify: %d %.300s", code, body)
	}
	// A portal route that takes no file keeps the default limit.
	big := url.Values{"_csrf": {vendor.csrf}, "body": {strings.Repeat("x", 3<<20)}}.Encode()
	if code, _ := send(t, e, vendor, fmt.Sprintf("/portal/a/%d/comments", a.ID), "application/x-www-form-urlencoded", []byte(big), false, nil); code != http.StatusRequestEntityTooLarge {
		t.Errorf("3 MiB portal comment: %d, want 413", code)
	}
}
