package report_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"routewarden/controls"
	"routewarden/internal/attest"
	"routewarden/internal/demo"
	"routewarden/internal/evidence"
	"routewarden/internal/report"
	rw "routewarden/internal/routewarden"
	"routewarden/internal/secret"
	"routewarden/internal/store"
	"routewarden/internal/store/storetest"
	"routewarden/static"
)

// boardEnv is a demo database with a board issuer and the checker `verify` and /verify use.
type boardEnv struct {
	db      *store.DB
	issuer  *report.BoardIssuer
	checker *attest.Checker
}

func newBoardEnv(t *testing.T) *boardEnv {
	t.Helper()
	ctx := context.Background()
	db := storetest.SQLite(t)
	hash := func(p string) (string, error) { return secret.HashPassword(p, secret.Fast) }
	if _, err := demo.Seed(ctx, demo.Stores{Users: db, Vendors: db, Snapshots: db, Now: db.Now}, hash); err != nil {
		t.Fatal(err)
	}
	signer, _, err := attest.EnsureDevSigner(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	font, _ := static.FS.ReadFile("fonts/DejaVuSans.ttf")
	bold, _ := static.FS.ReadFile("fonts/DejaVuSans-Bold.ttf")
	set, err := controls.Shipped()
	if err != nil {
		t.Fatal(err)
	}
	lib, _ := set.Library("routewarden-manrs", "")
	bi := &report.BoardIssuer{Sources: report.BoardSources{
		Dashboard: report.DashboardSources{Vendors: db, Assessments: db, Attestations: db, Snapshots: db, Monitor: db},
		Answers:   db, Findings: db, Attestations: db,
		Evidence: func(ctx context.Context) (*evidence.Data, error) { return evidence.Load(ctx, db) },
		Coverage: &report.CoverageSources{Vendors: db, Assessments: db, Libraries: set, Catalogue: set.Catalogue, Current: lib}},
		Registry: db, Signer: signer, Font: font, BoldFont: bold, VerifyURL: "https://rw.example/verify", Now: db.Now}
	return &boardEnv{db: db, issuer: bi, checker: &attest.Checker{Trust: signer.TrustPool(), Registry: db, Boards: db}}
}

// technical are fragments of library and PKI wording that plain sentences must not carry.
var technical = []string{"pkcs7", "crypto/", "x509", "ASN.1", "ByteRange", "SHA-256", "verification error"}

func plainOnly(t *testing.T, v *rw.Verdict) {
	t.Helper()
	for _, s := range append([]string{v.Headline()}, v.PlainReasons()...) {
		for _, bad := range technical {
			if strings.Contains(s, bad) {
				t.Errorf("plain sentence %q carries technical text %q", s, bad)
			}
		}
	}
}

// TestBoardReportIssueAndVerify: an issued board report is registered, carries its document ID
// on the page and in its manifest, and verifies as a board report; a changed copy, an
// unregistered one and a revoked one do not, each with a plain reason.
func TestBoardReportIssueAndVerify(t *testing.T) {
	ctx := context.Background()
	e := newBoardEnv(t)
	r, err := e.issuer.IssueBoardReport(ctx, "risk@demo.example")
	if err != nil {
		t.Fatal(err)
	}
	if !rw.ValidBoardDocumentID(r.DocumentID) || r.ID == 0 || !r.Demo || !r.DevCertificate {
		t.Fatalf("registered %+v", r)
	}
	if m, err := attest.ExtractBoardManifest(r.PDF); err != nil || m.DocumentID != r.DocumentID || m.Suppliers == 0 || m.SharedUpstreams == 0 {
		t.Errorf("manifest = %+v, %v", m, err)
	}
	text := pdfText(t, r.PDF)
	// Section 3 summarises the obligations coverage per framework and names the suppliers that
	// fail the worst-covered obligations (the demo's rejected supplier).
	for _, want := range []string{"3. Obligations coverage", "Framework Obligations Met Partly Failed Unknown Suppliers in scope", "DORA ",
		"Obligations failed or partly met by the most suppliers", "✗ Atlantic Subsea Carrier Inc."} {
		if !strings.Contains(text, want) {
			t.Errorf("board report lacks %q", want)
		}
	}
	if !strings.Contains(text, "Document "+r.DocumentID) || !strings.Contains(text, "https://rw.example/verify") {
		t.Errorf("the page does not print the document ID and where to verify it:\n%.1500s", text)
	}

	t.Run("registered", func(t *testing.T) {
		v, err := e.checker.VerifyAttestation(ctx, r.PDF)
		if err != nil {
			t.Fatal(err)
		}
		if !v.Valid || v.Kind != rw.KindBoardReport || v.BoardReport == nil || v.BoardReport.ID != r.ID || v.Attestation != nil {
			t.Fatalf("verdict %s (%+v)", v.Summary(), v)
		}
		day := r.IssuedAt.UTC().Format("2 January 2006")
		if h := v.Headline(); !strings.HasPrefix(h, "Valid: board report "+r.DocumentID) || !strings.Contains(h, "issued on "+day) {
			t.Errorf("headline %q", h)
		}
		facts := map[string]string{}
		for _, f := range v.Facts() {
			facts[f.Label] = f.Value
		}
		if !strings.HasPrefix(facts["Document"], "Board / supervisor report") || facts["Issued on"] != day || facts["Signed by"] == "" ||
			facts["Residual rating"] != "" {
			t.Errorf("facts %v", facts)
		}
	})
	t.Run("changed after signing", func(t *testing.T) {
		tampered := bytes.Clone(r.PDF)
		i := bytes.Index(tampered, []byte("stream")) + 40
		tampered[i] ^= 1
		v, err := e.checker.VerifyAttestation(ctx, tampered)
		if err != nil {
			t.Fatal(err)
		}
		if v.Valid || !slices.Contains(v.Plain, attest.PlainChanged) || !strings.HasPrefix(v.Headline(), "Not valid: ") {
			t.Fatalf("verdict %s; plain %q", v.Summary(), v.Plain)
		}
		plainOnly(t, v)
	})
	t.Run("not registered", func(t *testing.T) {
		b, err := report.GatherBoard(ctx, e.issuer.Sources, e.db.Now())
		if err != nil {
			t.Fatal(err)
		}
		b.DocumentID = rw.NewBoardDocumentID(e.db.Now())
		raw, err := report.RenderBoard(b, e.issuer.Font, e.issuer.BoldFont)
		if err != nil {
			t.Fatal(err)
		}
		signed, err := attest.Sign(raw, e.issuer.Signer)
		if err != nil {
			t.Fatal(err)
		}
		v, err := e.checker.VerifyAttestation(ctx, signed)
		if err != nil {
			t.Fatal(err)
		}
		if v.Valid || v.BoardReport != nil || !strings.Contains(strings.Join(v.Plain, " "), "has never issued a document with ID "+b.DocumentID) {
			t.Fatalf("verdict %s; plain %q", v.Summary(), v.Plain)
		}
		plainOnly(t, v)
		// Without a board registry the same file is not matched either.
		v, err = (&attest.Checker{Trust: e.issuer.Signer.TrustPool(), Registry: e.db}).VerifyAttestation(ctx, r.PDF)
		if err != nil || v.Valid {
			t.Errorf("checker without board registry: %v %v", v.Summary(), err)
		}
	})
	t.Run("revoked", func(t *testing.T) {
		if _, err := e.db.RevokeBoardReport(ctx, r.ID, "admin@demo.example", "Figures predate the March import."); err != nil {
			t.Fatal(err)
		}
		v, err := e.checker.VerifyAttestation(ctx, r.PDF)
		if err != nil {
			t.Fatal(err)
		}
		if v.Valid || !v.Revoked || !strings.Contains(v.Headline(), "was revoked on") || strings.Contains(strings.Join(v.Plain, " "), "March import") {
			t.Fatalf("verdict %s; plain %q", v.Headline(), v.Plain)
		}
	})
}

// TestBoardReportIssueRefused: without who issues it nothing is made or registered.
func TestBoardReportIssueRefused(t *testing.T) {
	e := newBoardEnv(t)
	if _, err := e.issuer.IssueBoardReport(context.Background(), ""); rw.ErrorCode(err) != rw.EINVALID {
		t.Errorf("no actor: %v, want invalid", err)
	}
	if _, total, err := e.db.FindBoardReports(context.Background(), 0, 10); err != nil || total != 0 {
		t.Errorf("registered %d reports (%v)", total, err)
	}
}

// pdfText is the text pdftotext reads from data, whitespace collapsed.
func pdfText(t *testing.T, data []byte) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		if storetest.RequireAll() {
			t.Fatal("pdftotext not found (poppler-utils); required because ROUTEWARDEN_REQUIRE_ALL=1")
		}
		t.Skip("pdftotext not found (poppler-utils)")
	}
	p := filepath.Join(t.TempDir(), "in.pdf")
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-enc", "UTF-8", p, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v\n%s", err, out)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}
