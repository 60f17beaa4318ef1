package web_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	rw "routewarden/internal/routewarden"
)

// TestVerifySummarisesAttestation: the valid verdict says what the document is (the vendor's
// attestation), its rating and validity, when it was issued and who signed it; a changed copy
// gets a plain reason first and the checker's technical finding only under "Technical details".
func TestVerifySummarisesAttestation(t *testing.T) {
	e := newAttestEnv(t)
	_, att := e.api("POST", fmt.Sprintf("/api/v1/assessments/%d/attestations", e.assessmentIn(rw.StateApproved)), rw.RoleRiskOfficer, "{}")
	_, _, pdf := e.raw("GET", fmt.Sprintf("/api/v1/attestations/%v/pdf", att["id"]), rw.RoleAuditor, "")
	_, page := upload(t, e, "a.pdf", pdf)
	for _, want := range []string{"<h2>Valid</h2>", fmt.Sprintf("Valid: attestation %v for %v", att["document_id"], att["vendor_name"]),
		"<dt>Document</dt><dd>Attestation of the routing security of", "<dt>Residual rating</dt>",
		"<dt>Validity</dt><dd>In force until ", ": the current attestation of assessment", "<dt>Issued on</dt>", "<dt>Signed by</dt>"} {
		if !strings.Contains(page, want) {
			t.Errorf("valid verdict lacks %q", want)
		}
	}
	tampered := bytes.Clone(pdf)
	tampered[bytes.Index(tampered[len(tampered)/2:], []byte("stream"))+len(tampered)/2+40] ^= 1
	_, page = upload(t, e, "a.pdf", tampered)
	plain, tech, ok := strings.Cut(page, `<details class="tech">`)
	if !ok || !strings.Contains(plain, "Not valid: the document was changed after signing") {
		t.Fatalf("tampered: no plain headline before the technical details:\n%.3000s", page)
	}
	if i := strings.Index(plain, "<h2>"); strings.Contains(plain[i:], "pkcs7") || strings.Contains(plain[i:], "digest") {
		t.Errorf("the plain verdict carries library text:\n%s", plain[i:])
	}
	if !strings.Contains(tech, "pkcs7") {
		t.Errorf("the technical details lack the checker's finding")
	}
}
