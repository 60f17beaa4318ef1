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
	"strings"
	"testing"

	"routewarden/internal/attest"
	"routewarden/internal/demo"
	rw "routewarden/internal/routewarden"
)

// newAttestEnv is the full demo server (newEnv wires attestations like serve does).
func newAttestEnv(t *testing.T) *env { return newEnv(t, true) }

// assessmentIn returns the ID of a demo assessment in state st.
func (e *env) assessmentIn(st rw.AssessmentState) int64 {
	e.t.Helper()
	list, _, err := e.db.FindAssessments(context.Background(), rw.AssessmentFilter{States: []rw.AssessmentState{st}})
	if err != nil || len(list) == 0 {
		e.t.Fatalf("no %s assessment in the demo: %v", st, err)
	}
	return list[0].ID
}

// raw sends a request with the role's bearer token and returns the status, headers and body.
func (e *env) raw(method, path string, role rw.Role, body string) (int, http.Header, []byte) {
	e.t.Helper()
	req, _ := http.NewRequest(method, e.ts.URL+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+e.tokens[role])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, b
}

func TestAttestationAPI(t *testing.T) {
	e := newAttestEnv(t)
	approved, draft := e.assessmentIn(rw.StateApproved), e.assessmentIn(rw.StateDraft)
	issue := fmt.Sprintf("/api/v1/assessments/%d/attestations", approved)

	for _, role := range []rw.Role{rw.RoleProcurement, rw.RoleAuditor} {
		if code, _ := e.api("POST", issue, role, "{}"); code != http.StatusForbidden {
			t.Errorf("issue as %s: %d, want 403", role, code)
		}
	}
	if code, body := e.api("POST", fmt.Sprintf("/api/v1/assessments/%d/attestations", draft), rw.RoleRiskOfficer, "{}"); code != http.StatusConflict {
		t.Errorf("issue a draft: %d %v, want 409", code, body)
	}
	code, att := e.api("POST", issue, rw.RoleRiskOfficer, "{}")
	if code != http.StatusCreated || att["id"] == nil || !rw.ValidDocumentID(fmt.Sprint(att["document_id"])) || att["demo"] != true {
		t.Fatalf("issue: %d %v", code, att)
	}
	id := int64(att["id"].(float64))

	code, got := e.api("GET", fmt.Sprintf("/api/v1/attestations/%d", id), rw.RoleAuditor, "")
	if code != 200 || got["document_id"] != att["document_id"] || got["issued_by"] != "risk@demo.example" || got["revoked"] != false {
		t.Errorf("get: %d %v", code, got)
	}
	code, hdr, pdf := e.raw("GET", fmt.Sprintf("/api/v1/attestations/%d/pdf", id), rw.RoleAuditor, "")
	sum := sha256.Sum256(pdf)
	if code != 200 || hdr.Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(pdf, []byte("%PDF")) ||
		hex.EncodeToString(sum[:]) != att["sha256"] {
		t.Errorf("pdf: %d %s %d bytes", code, hdr.Get("Content-Type"), len(pdf))
	}
	checkManifestAgainstDB(t, e, approved, pdf, fmt.Sprint(att["document_id"]))
	if code, list := e.api("GET", "/api/v1/attestations?assessment_id="+fmt.Sprint(approved), rw.RoleAuditor, ""); code != 200 || list["total"] != 1.0 {
		t.Errorf("list: %d %v", code, list)
	}

	revoke := fmt.Sprintf("/api/v1/attestations/%d/revoke", id)
	tests := []struct {
		name string
		role rw.Role
		body string
		want int
	}{
		{"auditor may not revoke", rw.RoleAuditor, `{"reason":"Wrong vendor entirely."}`, 403},
		{"reason too short", rw.RoleRiskOfficer, `{"reason":"no"}`, 400},
		{"unknown field", rw.RoleRiskOfficer, `{"why":"Wrong vendor entirely."}`, 400},
		{"risk officer revokes", rw.RoleRiskOfficer, `{"reason":"Wrong vendor entirely."}`, 200},
		{"only once", rw.RoleAdmin, `{"reason":"Wrong vendor entirely."}`, 409},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if code, body := e.api("POST", revoke, tc.role, tc.body); code != tc.want {
				t.Errorf("%d %v, want %d", code, body, tc.want)
			}
		})
	}
	if code, got := e.api("GET", fmt.Sprintf("/api/v1/attestations/%d", id), rw.RoleAuditor, ""); code != 200 || got["revoked"] != true ||
		got["revocation_reason"] != "Wrong vendor entirely." || got["revoked_by"] != "risk@demo.example" {
		t.Errorf("after revocation: %v", got)
	}
	if code, _ := e.api("GET", "/api/v1/attestations/99999/pdf", rw.RoleAuditor, ""); code != 404 {
		t.Errorf("unknown attestation pdf: %d", code)
	}
}

// upload posts a file to the public /verify page without any session and returns the page.
func upload(t *testing.T, e *env, name string, data []byte) (int, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if data != nil {
		fw, _ := mw.CreateFormFile("pdf", name)
		fw.Write(data)
	}
	mw.Close()
	resp, err := http.Post(e.ts.URL+"/verify", mw.FormDataContentType(), &buf)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestVerifyPage(t *testing.T) {
	e := newAttestEnv(t)
	_, att := e.api("POST", fmt.Sprintf("/api/v1/assessments/%d/attestations", e.assessmentIn(rw.StateApproved)), rw.RoleRiskOfficer, "{}")
	_, _, pdf := e.raw("GET", fmt.Sprintf("/api/v1/attestations/%v/pdf", att["id"]), rw.RoleAuditor, "")
	tampered := bytes.Clone(pdf)
	tampered[bytes.Index(tampered[len(tampered)/4:], []byte("stream"))+len(tampered)/4+40] ^= 1

	resp, err := http.Get(e.ts.URL + "/verify")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET /verify anonymously: %v %v", resp, err)
	}
	resp.Body.Close()
	tests := []struct {
		name  string
		data  []byte
		code  int
		wants []string
	}{
		{"genuine", pdf, 200, []string{"<h2>Valid</h2>", fmt.Sprint(att["document_id"]), "development certificate"}},
		{"one byte changed", tampered, 200, []string{"<h2>Not valid</h2>", "changed after signing"}},
		{"not a PDF", []byte("hello"), 400, []string{"not a readable PDF: no %PDF- header at byte 0"}},
		{"no file", nil, 400, []string{"Choose the PDF to check"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, page := upload(t, e, "a.pdf", tc.data)
			if code != tc.code {
				t.Errorf("status %d, want %d", code, tc.code)
			}
			for _, w := range tc.wants {
				if !strings.Contains(page, w) {
					t.Errorf("page lacks %q", w)
				}
			}
		})
	}
	if code, _ := e.api("POST", fmt.Sprintf("/api/v1/attestations/%v/revoke", att["id"]), rw.RoleAdmin, `{"reason":"Superseded by a new review."}`); code != 200 {
		t.Fatalf("revoke: %d", code)
	}
	// Anyone learns that and when it was revoked; who and why only staff (TestVerifyRevokedForStaff).
	if _, page := upload(t, e, "a.pdf", pdf); !strings.Contains(page, "Not valid — revoked") || !strings.Contains(page, "was revoked on") ||
		strings.Contains(page, "Superseded by a new review.") || strings.Contains(page, "admin@demo.example") {
		t.Errorf("revoked document, anonymous: page lacks the revocation or names who and why")
	}
	// The limit is per address and minute; this test has used 6 of 20.
	last := 0
	for range 20 {
		last, _ = upload(t, e, "a.pdf", []byte("x"))
	}
	if last != http.StatusTooManyRequests {
		t.Errorf("after 26 uploads in a minute: %d, want 429", last)
	}
}

func TestAttestationPages(t *testing.T) {
	e := newAttestEnv(t)
	approved := e.assessmentIn(rw.StateApproved)
	risk, _ := e.login("risk@demo.example", demo.Password)
	if _, page := risk.get(fmt.Sprintf("/assessments/%d", approved)); !strings.Contains(page, fmt.Sprintf(`href="/assessments/%d/attestations/issue"`, approved)) {
		t.Error("the approved assessment's page has no Issue attestation button for the risk officer")
	}
	if _, page := risk.get(fmt.Sprintf("/assessments/%d", e.assessmentIn(rw.StateDraft))); strings.Contains(page, "Issue attestation") {
		t.Error("a draft assessment's page offers to issue an attestation")
	}
	code, _ := risk.post(fmt.Sprintf("/assessments/%d/attestations", approved), risk.form(nil))
	if code != http.StatusSeeOther {
		t.Fatalf("issue from the page: %d", code)
	}
	list, _, err := e.db.FindAttestations(context.Background(), rw.AttestationFilter{})
	if err != nil || len(list) != 1 {
		t.Fatalf("registry after issuing: %v %v", list, err)
	}
	a := list[0]
	_, page := risk.get("/attestations")
	for _, w := range []string{a.DocumentID, a.VendorName, "Signed with a development certificate.", "/attestations/" + fmt.Sprint(a.ID) + "/revoke"} {
		if !strings.Contains(page, w) {
			t.Errorf("risk officer's list lacks %q", w)
		}
	}
	auditor, _ := e.login("auditor@demo.example", demo.Password)
	if _, page := auditor.get("/attestations"); !strings.Contains(page, a.DocumentID) || strings.Contains(page, "/revoke") {
		t.Error("auditor's list: document missing or revoke form shown")
	}
	if code, _ := auditor.post(fmt.Sprintf("/attestations/%d/revoke", a.ID), auditor.form(nil)); code != http.StatusForbidden {
		t.Errorf("auditor revokes from the page: %d", code)
	}
	if code, _ := risk.post(fmt.Sprintf("/attestations/%d/revoke", a.ID), url.Values{"reason": {"Replaced by RW-2027."}}); code != http.StatusForbidden {
		t.Errorf("revoke without CSRF token: %d, want 403", code)
	}
	if code, _ := risk.post(fmt.Sprintf("/attestations/%d/revoke", a.ID), risk.form(url.Values{"reason": {"Replaced by the 2027 review."}})); code != http.StatusSeeOther {
		t.Errorf("revoke from the page: %d", code)
	}
	if got, _ := e.db.FindAttestationByID(context.Background(), a.ID); !got.Revoked() || got.RevocationReason != "Replaced by the 2027 review." {
		t.Errorf("after the page's revoke: %+v", got)
	}
}

// checkManifestAgainstDB compares the manifest attached to an issued PDF with the database: the
// document ID, the vendor's ASNs, every evidence file's SHA-256 and the snapshots' digests.
func checkManifestAgainstDB(t *testing.T, e *env, assessmentID int64, pdf []byte, docID string) {
	t.Helper()
	ctx := context.Background()
	m, err := attest.ExtractManifest(pdf)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := e.db.FindAssessmentByID(ctx, assessmentID)
	v, _ := e.db.FindVendorByID(ctx, a.VendorID)
	if m.DocumentID != docID || !m.Demo || m.Vendor.LegalName != v.LegalName || len(m.ASNs) != len(v.Networks) || m.Library.Digest != a.LibraryDigest {
		t.Errorf("manifest %s demo=%v vendor %q ASNs %v digest %s", m.DocumentID, m.Demo, m.Vendor.LegalName, m.ASNs, m.Library.Digest)
	}
	inManifest := map[string]bool{}
	for _, c := range m.Controls {
		for _, ev := range c.Evidence {
			inManifest[ev.SHA256] = true
		}
	}
	files, _ := e.db.FindEvidence(ctx, assessmentID)
	if len(files) == 0 {
		t.Error("the demo's approved assessment has no evidence files to compare")
	}
	for _, f := range files {
		if !inManifest[f.SHA256] {
			t.Errorf("evidence %s (%s) missing from the manifest", f.Name, f.SHA256)
		}
	}
	if len(m.Snapshots) == 0 {
		t.Error("the manifest names no routing-data snapshots")
	}
	for _, s := range m.Snapshots {
		found := false
		for _, kind := range rw.SnapshotKinds {
			list, _ := e.db.FindSnapshots(ctx, kind)
			for _, x := range list {
				found = found || (x.Digest == s.Digest && x.Kind == s.Kind)
			}
		}
		if !found {
			t.Errorf("manifest snapshot %s %s is not in the database", s.Kind, s.Digest)
		}
	}
}
