package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestBackupRestoreCommands(t *testing.T) {
	src, dst := t.TempDir(), t.TempDir()
	env := map[string]string{"ROUTEWARDEN_DATA_DIR": src}
	if code, _, errs := runCmd(t, env, "", "seed", "--demo"); code != 0 {
		t.Fatal(errs)
	}
	file := filepath.Join(t.TempDir(), "rw.backup")
	code, out, errs := runCmd(t, env, "", "backup", file)
	if code != 0 || !strings.Contains(out, " tables, ") || !strings.Contains(errs, "backup: table vendors: 10 rows") {
		t.Fatalf("backup: %d %q %q", code, out, errs)
	}
	if fi, err := os.Stat(file); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("the archive carries keys and must be private: %v %v", fi.Mode(), err)
	}
	db := filepath.Join(dst, "routewarden.db")
	code, out, errs = runCmd(t, nil, "", "restore", "--db", db, "--data-dir", dst, file)
	if code != 0 || !strings.Contains(out, "content digest verified") || !strings.Contains(errs, "restore: table audit_events:") {
		t.Fatalf("restore: %d %q %q", code, out, errs)
	}
	// The manifest is signed with the audit key, which the first write of seed created.
	if _, err := os.Stat(filepath.Join(dst, "audit.key")); err != nil {
		t.Errorf("the signing (audit) key was not restored: %v", err)
	}
	if code, out, _ := runCmd(t, nil, "", "audit", "verify", "--db", db, "--data-dir", dst); code != 0 || !strings.Contains(out, "intact") {
		t.Errorf("audit verify after restore: %d %q", code, out)
	}
	if code, _, errs := runCmd(t, nil, "", "restore", "--db", db, "--data-dir", dst, file); code != 1 || !strings.Contains(errs, "is not empty") {
		t.Errorf("restore over a non-empty database: %d %q", code, errs)
	}
	b, _ := os.ReadFile(file)
	b[len(b)/2] ^= 1
	bad := filepath.Join(t.TempDir(), "bad.backup")
	os.WriteFile(bad, b, 0o600)
	other := t.TempDir()
	if code, _, errs := runCmd(t, nil, "", "restore", "--data-dir", other, bad); code != 1 || !strings.Contains(errs, "damaged") {
		t.Errorf("restore of a damaged archive: %d %q", code, errs)
	}
	if _, err := os.Stat(filepath.Join(other, "routewarden.db")); err == nil {
		t.Error("a refused restore created a database")
	}
	if code, _, errs := runCmd(t, map[string]string{"ROUTEWARDEN_DATA_DIR": t.TempDir()}, "", "backup", file); code != 1 || !strings.Contains(errs, "no database to back up") {
		t.Errorf("backup without a database: %d %q", code, errs)
	}
	for _, args := range [][]string{{"backup"}, {"restore"}, {"backup", "a", "b"}, {"restore", "--db"}} {
		if code, _, _ := runCmd(t, nil, "", args...); code != 2 {
			t.Errorf("%q: exit %d, want 2", args, code)
		}
	}
}
