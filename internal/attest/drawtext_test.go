package attest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	rw "routewarden/internal/routewarden"
)

// hostileText is the corpus of issue 11: astral, right-to-left, combining, zero-width,
// control and bidi-override characters, each with what the PDF shows for it.
var hostileText = []struct{ name, in, want string }{
	{"ascii", "roa-policy.pdf", "roa-policy.pdf"},
	{"emoji", "ROA 😀.pdf", "ROA [U+1F600].pdf"},
	{"emoji sequence", "👩‍💻 team", "[U+1F469][U+1F4BB] team"},
	{"astral CJK", "𠜎 doc", "[U+2070E] doc"},
	// fpdf draws left to right: right-to-left runs are stored in visual order.
	{"Hebrew", "שלום.pdf", "םולש.pdf"},
	{"Arabic", "مرحبا.pdf", "ابحرم.pdf"},
	{"Hebrew with digits and brackets", "(א 12 ב) v2", "(ב 12 א) v2"},
	{"Hebrew points stay after their letter", "שָׁלוֹם", "םוֹלשָׁ"},
	{"combining accent composes", "Re\u0301seau", "Réseau"},
	{"combining mark without precomposed form", "q\u0307", "q\u0307"},
	{"zero-width space and BOM", "a\u200Bb\uFEFFc", "abc"},
	{"NUL and escape", "a\x00b\x1b[31mred", "ab[31mred"},
	{"tab and line feed", "a\tb\nc\r", "a b\nc"},
	{"bidi override", "invoice\u202Efdp.exe", "invoice[U+202E]fdp.exe"},
	{"bidi isolate", "x\u2067y\u2069", "x[U+2067]y[U+2069]"},
	{"invalid UTF-8", "a\xffb", "a\uFFFDb"},
	{"BMP rune the font lacks", "中文", "[U+4E2D][U+6587]"},
	{"C1 control", "a\u0085b", "ab"},
}

func TestDrawable(t *testing.T) {
	m := newTextMapper(testOptions(t).Font, testOptions(t).BoldFont)
	if len(m.fonts) != 2 {
		t.Fatal("the DejaVu fonts' cmaps were not read")
	}
	for _, tt := range hostileText {
		t.Run(tt.name, func(t *testing.T) {
			if got := m.drawable(tt.in); got != tt.want {
				t.Errorf("drawable(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
	if !m.canDraw('é') || !m.canDraw('ש') || !m.canDraw('\u0301') || m.canDraw(0x1F600) || m.canDraw(0x4E2D) {
		t.Error("font coverage is wrong")
	}
}

// hostileDocument puts the whole corpus into every kind of user-supplied string.
func hostileDocument(t *testing.T) *Document {
	doc := testDocument(t)
	var all []string
	for _, h := range hostileText {
		all = append(all, h.in)
	}
	doc.Vendor.LegalName = "Vendor 😀 שלום مرحبا \u202Eevil"
	doc.Services[0].Name = strings.Join(all, " | ")
	for i := range doc.Controls {
		for j := range doc.Controls[i].Evidence {
			doc.Controls[i].Evidence[j].Name = hostileText[(i+j)%len(hostileText)].in
		}
		doc.Controls[i].Note += " " + all[i%len(all)]
	}
	if len(doc.Waivers) > 0 {
		doc.Waivers[0].Justification = strings.Join(all, "\n")
	}
	doc.KeyFindings = append(doc.KeyFindings, all...)
	return doc
}

// TestRenderHostileText: a document full of the corpus renders, signs and verifies; pdftotext
// shows the mapped text; the manifest keeps the original; the document itself is unchanged.
func TestRenderHostileText(t *testing.T) {
	doc := hostileDocument(t)
	before := BuildManifest(doc)
	unsigned, err := Render(doc, testOptions(t))
	if err != nil {
		t.Fatalf("Render: %v", err)
	}
	if !reflect.DeepEqual(BuildManifest(doc), before) {
		t.Fatal("Render changed the document")
	}
	signer, _, err := EnsureDevSigner(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	signed, err := Sign(unsigned, signer)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Verify(signed, signer.TrustPool())
	if err != nil || !res.Valid {
		t.Fatalf("Verify = %s, %v", res.Verdict(), err)
	}
	if want := jsonRoundTrip(t, before); !reflect.DeepEqual(*res.Manifest, want) {
		t.Error("the manifest does not keep the original text")
	}
	text := squash(strings.Join(pdfText(t, signed), "\n"))
	for _, want := range []string{"Vendor [U+1F600]", "U+202E]evil", "ROA [U+1F600].pdf", "[U+1F469][U+1F4BB] team",
		"Réseau", "invoice[U+202E]fdp.exe", "ab[31mred", "[U+4E2D][U+6587]"} {
		if !strings.Contains(text, want) {
			t.Errorf("pdftotext lacks %q", want)
		}
	}
	// fpdf draws right-to-left text in stored order; pdftotext may read it back either way,
	// but every letter must be there.
	for _, word := range []string{"שלום", "مرحبا"} {
		rev := []rune(word)
		for i, j := 0, len(rev)-1; i < j; i, j = i+1, j-1 {
			rev[i], rev[j] = rev[j], rev[i]
		}
		if !strings.Contains(text, word) && !strings.Contains(text, string(rev)) {
			t.Errorf("pdftotext lacks %q", word)
		}
	}
	for _, bad := range []string{"\u202E", "\x1b", "\x00", "\u200B"} {
		if strings.Contains(text, bad) {
			t.Errorf("pdftotext shows %q", bad)
		}
	}
}

// TestIssueEmojiEvidenceName: an evidence file whose name holds an emoji no longer blocks the
// attestation of its assessment.
func TestIssueEmojiEvidenceName(t *testing.T) {
	ctx := context.Background()
	e := newIssueEnv(t)
	data := []byte("%PDF-1.4 route policy")
	sum := sha256.Sum256(data)
	name := "ROA policy 😀 \u202Efdp.exe"
	ev := &rw.EvidenceFile{AssessmentID: e.a.ID, QuestionID: "RS-ORIG-04.Q3", Name: name, MediaType: "application/pdf",
		Size: int64(len(data)), SHA256: hex.EncodeToString(sum[:]), Data: data, UploadedBy: "vendor:noc@example.net"}
	if err := e.db.AddEvidence(ctx, ev); err != nil {
		t.Fatal(err)
	}
	e.approve(t)
	att, err := e.is.IssueAttestation(ctx, e.a.ID, "risk@example.net", 0)
	if err != nil {
		t.Fatalf("IssueAttestation: %v", err)
	}
	reg, err := e.db.AttestationPDF(ctx, att.ID)
	if err != nil {
		t.Fatal(err)
	}
	v, err := (&Checker{Trust: e.is.Signer.TrustPool(), Registry: e.db}).VerifyAttestation(ctx, reg.PDF)
	if err != nil || !v.Valid {
		t.Fatalf("verify: %s %v", v.Summary(), err)
	}
	if text := squash(strings.Join(pdfText(t, reg.PDF), "\n")); !strings.Contains(text, "ROA policy [U+1F600] [U+202E]fdp.exe") {
		t.Errorf("pdftotext lacks the mapped file name")
	}
	m, err := ExtractManifest(reg.PDF)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, c := range m.Controls {
		for _, x := range c.Evidence {
			found = found || x.Name == name
		}
	}
	if !found {
		t.Error("the manifest lacks the original file name")
	}
}

// jsonRoundTrip is m after JSON encoding, which turns invalid UTF-8 into U+FFFD.
func jsonRoundTrip(t *testing.T, m Manifest) Manifest {
	raw, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	var out Manifest
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatal(err)
	}
	return out
}
