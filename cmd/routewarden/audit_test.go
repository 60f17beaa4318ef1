package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

func TestAuditVerify(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"ROUTEWARDEN_DATA_DIR": dir}
	if code, _, errs := runCmd(t, env, "", "seed", "--demo"); code != 0 {
		t.Fatal(errs)
	}
	code, out, errs := runCmd(t, env, "", "audit", "verify")
	if code != 0 || !strings.Contains(out, "audit log intact") || strings.Contains(out, " 0 events") {
		t.Fatalf("intact log: %d %q %q", code, out, errs)
	}
	db, err := openStatusDB(context.Background(), &config{DB: filepath.Join(dir, "routewarden.db")})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	// The database refuses edits; an attacker with file access drops the guard first.
	if err := db.Exec(ctx, `UPDATE audit_events SET actor = 'mallory' WHERE id = 2`); err == nil {
		t.Fatal("the audit log accepted an update")
	}
	for _, q := range []string{`DROP TRIGGER audit_events_no_update`, `UPDATE audit_events SET actor = 'mallory' WHERE id = 2`} {
		if err := db.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	code, out, _ = runCmd(t, env, "", "audit", "verify")
	if code != 1 || !strings.Contains(out, "event 2 was altered") {
		t.Fatalf("tampered log: %d %q", code, out)
	}
	if code, _, _ := runCmd(t, env, "", "audit"); code != 2 {
		t.Errorf("audit without verb: %d, want 2", code)
	}
}
