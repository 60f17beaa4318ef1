package main

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"routewarden/internal/attest"
	"routewarden/internal/auditkey"
	rw "routewarden/internal/routewarden"
	"routewarden/internal/store"
	"routewarden/migrations"
)

// approvedAssessment migrates the data directory's database and stores a vendor with an
// assessment walked through its lifecycle to approved (and a second one left in draft).
func approvedAssessment(t *testing.T, dir string) (approved, draft int64) {
	t.Helper()
	if code, _, errs := runCmd(t, nil, "", "migrate", "up", "--data-dir", dir); code != 0 {
		t.Fatalf("migrate: %s", errs)
	}
	ctx := context.Background()
	db := openKeyedStore(t, dir)
	defer db.Close()
	v := &rw.Vendor{LegalName: "Łódź Transit Sp. z o.o.", Country: "PL",
		Services: []*rw.Service{{Name: "Transit", Type: "S10", ProviderType: rw.ProviderTransit, Critical: true, Regulations: []string{"DORA"}}},
		Networks: []*rw.Network{{ASN: 64500}}}
	if err := db.CreateVendor(ctx, v); err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for range 2 {
		a := &rw.Assessment{VendorID: v.ID, Library: "routewarden-manrs", LibraryVersion: "2026.1", LibraryDigest: "d",
			Scope: []rw.ProviderType{rw.ProviderTransit}, DueDate: time.Now().AddDate(0, 1, 0)}
		if err := db.CreateAssessment(ctx, a, nil, nil, "procurement@example.net"); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, a.ID)
	}
	for _, st := range []rw.AssessmentState{rw.StateSent, rw.StateInProgress, rw.StateSubmitted, rw.StateInReview, rw.StateApproved} {
		if _, err := db.Transition(ctx, ids[0], st, rw.AuditEvent{Actor: "risk@example.net"}); err != nil {
			t.Fatal(err)
		}
	}
	return ids[0], ids[1]
}

func TestAttestAndVerifyCommands(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"ROUTEWARDEN_DATA_DIR": dir}
	approved, draft := approvedAssessment(t, dir)
	out := filepath.Join(dir, "att.pdf")

	code, _, errs := runCmd(t, env, "", "attest", "--assessment", strconv.FormatInt(draft, 10), "--out", out)
	if code != 1 || !strings.Contains(errs, "Only an approved assessment") {
		t.Errorf("attest a draft: %d %q", code, errs)
	}
	code, stdout, errs := runCmd(t, env, "", "attest", "--assessment", strconv.FormatInt(approved, 10), "--out", out, "--by", "risk@example.net")
	if code != 0 || !strings.Contains(stdout, "attestation RW-") || !strings.Contains(errs, "development certificate") {
		t.Fatalf("attest: %d %q %q", code, stdout, errs)
	}
	code, stdout, _ = runCmd(t, env, "", "verify", out)
	if code != 0 || !strings.HasPrefix(stdout, "VALID: attestation RW-") || !strings.Contains(stdout, "Łódź Transit") {
		t.Fatalf("verify: %d %q", code, stdout)
	}
	pdf, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	pdfsigSays(t, out, "Signature is Valid.")

	tampered := filepath.Join(dir, "tampered.pdf")
	b := append([]byte(nil), pdf...)
	b[strings.Index(string(b[len(b)/4:]), "stream")+len(b)/4+40] ^= 1
	if err := os.WriteFile(tampered, b, 0o600); err != nil {
		t.Fatal(err)
	}
	if code, stdout, _ := runCmd(t, env, "", "verify", tampered); code != 1 || !strings.HasPrefix(stdout, "NOT VALID") {
		t.Errorf("verify tampered: %d %q", code, stdout)
	}
	pdfsigSays(t, tampered, "Digest Mismatch.")

	revoke(t, dir, "Issued against the wrong contract.")
	code, stdout, _ = runCmd(t, env, "", "verify", out)
	if code != 1 || !strings.Contains(stdout, "revoked") || !strings.Contains(stdout, "Issued against the wrong contract.") {
		t.Errorf("verify revoked: %d %q", code, stdout)
	}
}

func TestVerifyCommandUsageAndTrust(t *testing.T) {
	dir := t.TempDir()
	if code, _, _ := runCmd(t, nil, "", "verify", "--data-dir", dir); code != 2 {
		t.Errorf("verify without a file: %d, want 2", code)
	}
	if code, _, _ := runCmd(t, nil, "", "attest", "--data-dir", dir); code != 2 {
		t.Errorf("attest without flags: %d, want 2", code)
	}
	approved, _ := approvedAssessment(t, dir)
	out := filepath.Join(dir, "att.pdf")
	env := map[string]string{"ROUTEWARDEN_DATA_DIR": dir}
	if code, _, errs := runCmd(t, env, "", "attest", "--assessment", strconv.FormatInt(approved, 10), "--out", out); code != 0 {
		t.Fatalf("attest: %s", errs)
	}
	// Another organisation's certificate is configured: the dev-signed file is not trusted.
	otherCert, _, err := attest.NewDevSignerPEM(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	env["ROUTEWARDEN_SIGN_CERT"] = filepath.Join(t.TempDir(), "other-cert.pem")
	if err := os.WriteFile(env["ROUTEWARDEN_SIGN_CERT"], otherCert, 0o600); err != nil {
		t.Fatal(err)
	}
	code, stdout, _ := runCmd(t, env, "", "verify", out)
	if code != 1 || !strings.Contains(stdout, "not trusted") {
		t.Errorf("verify against another certificate: %d %q", code, stdout)
	}
	env["ROUTEWARDEN_SIGN_KEY"] = ""
	env["ROUTEWARDEN_SIGN_CERT"] = filepath.Join(dir, "missing.pem")
	if code, _, errs := runCmd(t, env, "", "verify", out); code != 1 || !strings.Contains(errs, "missing.pem") {
		t.Errorf("missing configured certificate: %d %q", code, errs)
	}
}

func revoke(t *testing.T, dir, reason string) {
	t.Helper()
	ctx := context.Background()
	db := openKeyedStore(t, dir)
	defer db.Close()
	list, _, err := db.FindAttestations(ctx, rw.AttestationFilter{})
	if err != nil || len(list) == 0 {
		t.Fatalf("registry: %v %v", list, err)
	}
	if _, err := db.RevokeAttestation(ctx, list[0].ID, "risk@example.net", reason); err != nil {
		t.Fatal(err)
	}
}

// pdfsigSays runs poppler's pdfsig, which exits 0 even on a digest mismatch, and looks for want
// in its output. Missing pdfsig skips, or fails under ROUTEWARDEN_REQUIRE_ALL=1.
func pdfsigSays(t *testing.T, file, want string) {
	t.Helper()
	bin, err := exec.LookPath("pdfsig")
	if err != nil {
		if os.Getenv("ROUTEWARDEN_REQUIRE_ALL") == "1" {
			t.Fatal("pdfsig not found (poppler-utils); required because ROUTEWARDEN_REQUIRE_ALL=1")
		}
		t.Log("pdfsig not found (poppler-utils); its checks skipped")
		return
	}
	out, _ := exec.Command(bin, file).CombinedOutput()
	if !strings.Contains(string(out), want) {
		t.Errorf("pdfsig %s lacks %q:\n%s", filepath.Base(file), want, out)
	}
}

// openKeyedStore opens the data directory's database with its audit key, as a process of that
// instance would.
func openKeyedStore(t *testing.T, dir string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), filepath.Join(dir, "routewarden.db"), migrations.FS)
	if err != nil {
		t.Fatal(err)
	}
	key, _, err := auditkey.Read(dir)
	if errors.Is(err, fs.ErrNotExist) {
		key, err = auditkey.Create(dir) // as the instance's first write would
	}
	if err != nil {
		db.Close()
		t.Fatal(err)
	}
	db.SetAuditKey(key, auditkey.Path(dir))
	return db
}
