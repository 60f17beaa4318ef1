package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"routewarden/internal/attest"
	"routewarden/internal/store"
	"routewarden/migrations"
)

// TestReportConcentrationDemo runs the concentration report over the demo portfolio: an upstream
// shared by two or more services (two critical vendors behind Northwind), the single-upstream
// services, and the table and usage errors.
func TestReportConcentrationDemo(t *testing.T) {
	env := map[string]string{"ROUTEWARDEN_DATA_DIR": t.TempDir()}
	if code, _, errs := runCmd(t, env, "", "seed", "--demo"); code != 0 {
		t.Fatal(errs)
	}
	code, out, errs := runCmd(t, env, "", "report", "concentration", "--format", "json")
	if code != 0 {
		t.Fatalf("report concentration: %d %s", code, errs)
	}
	var c struct {
		Upstreams []struct {
			ASN              uint32
			Name             string
			Services         []struct{ Vendor string }
			CriticalServices int `json:"critical_services"`
		}
		Single []struct{ Vendor string } `json:"single_upstream_services"`
	}
	if err := json.Unmarshal([]byte(out), &c); err != nil {
		t.Fatal(err)
	}
	byASN := map[uint32]int{}
	for i, u := range c.Upstreams {
		byASN[u.ASN] = i
	}
	i, ok := byASN[64496]
	if !ok || c.Upstreams[i].CriticalServices < 2 || c.Upstreams[i].Name == "" {
		t.Fatalf("AS64496 is not shown as an upstream of two critical services: %s", out)
	}
	vendors := map[string]bool{}
	for _, s := range c.Upstreams[i].Services {
		vendors[s.Vendor] = true
	}
	if !vendors["Bluefjord Cloud Oy"] || !vendors["Aegis Scrubbing Services Ltd"] {
		t.Errorf("AS64496's services: %v", vendors)
	}
	if _, peer := byASN[64501]; peer {
		t.Error("the route server's ASN is reported as an upstream")
	}
	single := map[string]bool{}
	for _, s := range c.Single {
		single[s.Vendor] = true
	}
	if !single["Łódź Data Centre sp. z o.o."] || single["Bluefjord Cloud Oy"] {
		t.Errorf("single-upstream services: %v", single)
	}
	code, out, _ = runCmd(t, env, "", "report", "concentration")
	if code != 0 || !strings.Contains(out, "AS64496") || !strings.Contains(out, "Herfindahl") {
		t.Errorf("table: %d\n%s", code, out)
	}
	if code, _, errs := runCmd(t, env, "", "report", "concentration", "--format", "xml"); code != exitUsage || !strings.Contains(errs, "usage") {
		t.Errorf("bad format: %d %s", code, errs)
	}
	if code, _, errs := runCmd(t, env, "", "report", "nope"); code != exitUsage || !strings.Contains(errs, "nope") {
		t.Errorf("unknown report: %d %s", code, errs)
	}
}

// TestReportBoardDemo writes the board report of the demo and checks its signature with the
// data directory's signer.
func TestReportBoardDemo(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"ROUTEWARDEN_DATA_DIR": dir}
	if code, _, errs := runCmd(t, env, "", "seed", "--demo"); code != 0 {
		t.Fatal(errs)
	}
	out := filepath.Join(dir, "board.pdf")
	code, stdout, errs := runCmd(t, env, "", "report", "board", "--out", out)
	if code != 0 || !strings.Contains(stdout, "board report") {
		t.Fatalf("report board: %d %s %s", code, stdout, errs)
	}
	pdf, err := os.ReadFile(out)
	if err != nil || !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %v", err)
	}
	// The development signer lives in the database (shared by every instance).
	db, err := store.Open(context.Background(), filepath.Join(dir, "routewarden.db"), migrations.FS)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	signer, created, err := attest.EnsureSharedDevSigner(context.Background(), db, dir)
	if err != nil || created {
		t.Fatalf("the report was not signed with the stored development signer (created now: %v): %v", created, err)
	}
	res, err := attest.Verify(pdf, signer.TrustPool())
	if err != nil || !res.Intact || !res.WholeFile || !res.Trusted {
		t.Errorf("signature: %+v %v", res, err)
	}
	if code, _, errs := runCmd(t, env, "", "report", "board"); code != exitUsage || !strings.Contains(errs, "--out") {
		t.Errorf("missing --out: %d %s", code, errs)
	}

	// Registered: verify accepts it as a board report and says when it was issued.
	m, err := attest.ExtractBoardManifest(pdf)
	if err != nil || !strings.Contains(stdout, m.DocumentID) {
		t.Fatalf("manifest %+v %v; printed %q", m, err, stdout)
	}
	reg, err := db.FindBoardReportByDocumentID(context.Background(), m.DocumentID)
	if err != nil || reg.IssuedBy != "cli" {
		t.Fatalf("registry entry %+v %v", reg, err)
	}
	code, vout, _ := runCmd(t, env, "", "verify", out)
	if code != 0 || !strings.HasPrefix(vout, "VALID: board report "+m.DocumentID) || !strings.Contains(vout, "issued on "+reg.IssuedAt.Format("2 January 2006")) ||
		!strings.Contains(vout, "Board / supervisor report") {
		t.Errorf("verify: %d\n%s", code, vout)
	}
	tampered := filepath.Join(dir, "tampered.pdf")
	b := bytes.Clone(pdf)
	b[bytes.Index(b, []byte("stream"))+40] ^= 1
	if err := os.WriteFile(tampered, b, 0o600); err != nil {
		t.Fatal(err)
	}
	code, vout, _ = runCmd(t, env, "", "verify", tampered)
	plain, _, _ := strings.Cut(vout, "Technical details:")
	if code != 1 || !strings.HasPrefix(vout, "NOT VALID: the document was changed after signing") || strings.Contains(plain, "verification") ||
		!strings.Contains(vout, "changed after signing or the signature is broken") {
		t.Errorf("verify tampered: %d\n%s", code, vout)
	}
}
