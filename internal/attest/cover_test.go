package attest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// pdfLayoutText runs pdftotext -layout on data and returns one string per page, table rows
// kept on one line each.
func pdfLayoutText(t *testing.T, data []byte) []string {
	t.Helper()
	bin := requireTool(t, "pdftotext")
	p := filepath.Join(t.TempDir(), "in.pdf")
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-layout", "-enc", "UTF-8", p, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext -layout: %v\n%s", err, out)
	}
	return strings.Split(string(out), "\f")
}

// TestCoverStatesVerdictRatingValidity: the first page carries what a risk officer looks for
// before anything else — the decision, the rating band, readiness, the validity, the services,
// the obligations, the document ID and where to verify — read back from the PDF by pdftotext.
func TestCoverStatesVerdictRatingValidity(t *testing.T) {
	doc := testDocument(t)
	data, err := Render(doc, testOptions(t))
	if err != nil {
		t.Fatal(err)
	}
	cover := squash(pdfText(t, data)[0])
	for _, want := range []string{
		"Approved · residual risk ELEVATED · valid until 2027-01-31",
		"Elevated residual risk (weighted compliance 71.5 %); inherent risk tier Critical.",
		"2 Ready, 1 Aspiring, 1 Lagging of 4 MANRS actions; lowest: Action 2: Anti-spoofing, 55.0 %.",
		"Approved by a.wojcik@beispielbank.example on 2026-11-15 00:00 UTC.",
		"2026-11-15 until 2027-01-31",
		"Ends when the waiver on RS-ORIG-01 expires",
		"S10 IP transit, 2 × 100 Gbit/s, Frankfurt and Zürich (critical, DORA, NIS2)",
		"DORA: 1 partly met",
		"NIS2: 1 partly met, 1 not assessed",
		"CER, not declared for these services, is counted there",
		"no open discrepancies (1 resolved, section 4); 1 active waiver (section 5)",
		"Document ID " + doc.ID,
		"Upload this file at " + doc.VerifyURL + ", or run: routewarden verify FILE",
		"Assessment period 2026-09-01 to 2026-11-15",
	} {
		if !strings.Contains(cover, want) {
			t.Errorf("cover lacks %q\ncover: %s", want, cover)
		}
	}
}

// TestCoverSaysExpired: a document whose validity ended before it was issued says so on the
// cover instead of a validity in the past that reads like a current one.
func TestCoverSaysExpired(t *testing.T) {
	doc := testDocument(t)
	doc.Waivers = nil
	doc.ValidUntil = doc.IssuedAt.AddDate(0, 0, -3)
	doc.ValidityNote = "12 months after the decision; the supplier is re-assessed yearly."
	data, err := Render(doc, testOptions(t))
	if err != nil {
		t.Fatal(err)
	}
	cover := squash(pdfText(t, data)[0])
	for _, want := range []string{"EXPIRED on 2026-11-24", "expired before this document was issued: re-assess the supplier"} {
		if !strings.Contains(cover, want) {
			t.Errorf("cover lacks %q\ncover: %s", want, cover)
		}
	}
	if strings.Contains(cover, "valid until") {
		t.Error("an expired document's headline says valid until")
	}
}

// TestCoverWithoutDecisionOrRating: an old document without decision, validity or rating says
// so rather than printing empty fields.
func TestCoverWithoutDecisionOrRating(t *testing.T) {
	doc := testDocument(t)
	doc.Decision, doc.ValidFrom, doc.ValidUntil, doc.ValidityNote = Decision{}, time.Time{}, time.Time{}, ""
	doc.Rating = Rating{}
	data, err := Render(doc, testOptions(t))
	if err != nil {
		t.Fatal(err)
	}
	cover := squash(pdfText(t, data)[0])
	for _, want := range []string{"residual risk not rated", "no validity stated", "Not rated: no control has a known result.",
		"Approved; the decision time was not recorded."} {
		if !strings.Contains(cover, want) {
			t.Errorf("cover lacks %q\ncover: %s", want, cover)
		}
	}
}

// TestMetadataLanguageAndXMP: the language and the XMP metadata fpdf supports are written and
// survive signing (the signature's incremental update rewrites the catalog).
func TestMetadataLanguageAndXMP(t *testing.T) {
	signed, _, _ := signedFixture(t)
	f, err := openPDF(t.Context(), signed)
	if err != nil {
		t.Fatal(err)
	}
	root, err := f.dict(f.trailer["Root"])
	if err != nil {
		t.Fatal(err)
	}
	if got := textString(root["Lang"]); got != Language {
		t.Errorf("catalog /Lang = %q, want %q", got, Language)
	}
	bin := requireTool(t, "pdfinfo")
	p := filepath.Join(t.TempDir(), "signed.pdf")
	if err := os.WriteFile(p, signed, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-meta", p).CombinedOutput()
	if err != nil {
		t.Fatalf("pdfinfo -meta: %v\n%s", err, out)
	}
	for _, want := range []string{"<rdf:li>en-GB</rdf:li>", "DEMO Routing-security attestation: Société Générale, Zürich, Łódź",
		"routewarden attestation RW-ATT-2026-000042"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("XMP metadata lacks %q:\n%s", want, out)
		}
	}
}
