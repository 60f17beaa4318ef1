package main

import (
	"context"
	"encoding/hex"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"routewarden/internal/auditkey"
	rw "routewarden/internal/routewarden"
)

// TestAuditKeyLifecycle: the first start creates <data-dir>/audit.key (0600) and keys the chain;
// verify checks the HMACs with it, fails with another key, and without it checks what it can
// and says it could not check the HMACs; without the key writes that record an audit event
// fail with a message naming ROUTEWARDEN_AUDIT_KEY and audit.key, while serve still starts.
func TestAuditKeyLifecycle(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"ROUTEWARDEN_DATA_DIR": dir}
	if code, _, errs := runCmd(t, env, "", "seed", "--demo"); code != 0 {
		t.Fatal(errs)
	}
	path := auditkey.Path(dir)
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm() != 0o600 || st.Size() != auditkey.Size {
		t.Fatalf("audit key file: %v %v", st, err)
	}
	code, out, _ := runCmd(t, env, "", "audit", "verify")
	if code != 0 || !strings.Contains(out, "keyed events match their HMACs") || !strings.Contains(out, "cannot prove:") {
		t.Fatalf("verify with the key: %d %q", code, out)
	}

	other := map[string]string{"ROUTEWARDEN_DATA_DIR": dir, "ROUTEWARDEN_AUDIT_KEY": strings.Repeat("ab", 32)}
	if code, out, _ := runCmd(t, other, "", "audit", "verify"); code != 1 || !strings.Contains(out, "audit key from ROUTEWARDEN_AUDIT_KEY") {
		t.Errorf("verify with another key: %d %q", code, out)
	}
	if code, _, errs := runCmd(t, map[string]string{"ROUTEWARDEN_DATA_DIR": dir, "ROUTEWARDEN_AUDIT_KEY": "short"}, "", "audit", "verify"); code != 1 ||
		!strings.Contains(errs, "ROUTEWARDEN_AUDIT_KEY must be 32 bytes") {
		t.Errorf("malformed key: %d %q", code, errs)
	}

	key, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(path, path+".away"); err != nil {
		t.Fatal(err)
	}
	code, out, _ = runCmd(t, env, "", "audit", "verify")
	if code != 0 || !strings.Contains(out, "were NOT checked") || !strings.Contains(out, "ROUTEWARDEN_AUDIT_KEY") {
		t.Errorf("verify without the key: %d %q", code, out)
	}
	if code, _, _ := runCmd(t, env, "", "audit", "verify", "--require-key"); code != 1 {
		t.Errorf("verify --require-key without the key: %d, want 1", code)
	}
	if _, err := os.Stat(path); err == nil {
		t.Fatal("audit verify created a key for a keyed chain")
	}

	serveStartsReadOnly(t, env)
	approved := approvedDemoAssessment(t, dir)
	pdf := filepath.Join(dir, "att.pdf")
	code, _, errs := runCmd(t, env, "", "attest", "--assessment", approved, "--out", pdf)
	if code != 1 || !strings.Contains(errs, "ROUTEWARDEN_AUDIT_KEY") || !strings.Contains(errs, path) {
		t.Errorf("attest without the key: %d %q", code, errs)
	}
	if _, err := os.Stat(path); err == nil {
		t.Fatal("a start without the key created a new one for a keyed chain")
	}

	withKey := map[string]string{"ROUTEWARDEN_DATA_DIR": dir, "ROUTEWARDEN_AUDIT_KEY": hex.EncodeToString(key)}
	if code, _, errs := runCmd(t, withKey, "", "attest", "--assessment", approved, "--out", pdf); code != 0 {
		t.Fatalf("attest with the key in the environment: %q", errs)
	}
	code, out, _ = runCmd(t, withKey, "", "audit", "verify")
	if code != 0 || !strings.Contains(out, "1 document anchors (attestations, board reports) match the log") {
		t.Errorf("verify after an attestation: %d %q", code, out)
	}
}

func approvedDemoAssessment(t *testing.T, dir string) string {
	t.Helper()
	db, err := openStatusDB(context.Background(), &config{DB: filepath.Join(dir, "routewarden.db")})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	list, _, err := db.FindAssessments(context.Background(), rw.AssessmentFilter{States: []rw.AssessmentState{rw.StateApproved}})
	if err != nil || len(list) == 0 {
		t.Fatalf("no approved demo assessment: %v", err)
	}
	return strconv.FormatInt(list[0].ID, 10)
}

// serveStartsReadOnly starts serve without the audit key of a keyed database: it must serve
// (reading works) and log why the audit log is read-only.
func serveStartsReadOnly(t *testing.T, env map[string]string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var errb syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0"}, strings.NewReader(""), &syncBuffer{}, &errb,
			func(k string) string { return env[k] })
	}()
	deadline := time.After(30 * time.Second)
	for !strings.Contains(errb.String(), "serving") {
		select {
		case code := <-done:
			t.Fatalf("serve without the audit key exited %d:\n%s", code, errb.String())
		case <-deadline:
			t.Fatalf("serve did not start:\n%s", errb.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	cancel()
	<-done
	if log := errb.String(); !strings.Contains(log, "audit log is read-only") || !strings.Contains(log, "ROUTEWARDEN_AUDIT_KEY") {
		t.Errorf("serve log does not explain the read-only audit log:\n%s", log)
	}
}
