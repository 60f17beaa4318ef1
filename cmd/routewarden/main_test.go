package main

import (
	"bytes"
	"context"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runCmd(t *testing.T, env map[string]string, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(stdin), &out, &errb, func(k string) string { return env[k] })
	return code, out.String(), errb.String()
}

func TestUsageAndExitCodes(t *testing.T) {
	if code, out, _ := runCmd(t, nil, "", "help"); code != 0 || !strings.Contains(out, "serve") {
		t.Errorf("help: %d", code)
	}
	if code, out, _ := runCmd(t, nil, "", "version"); code != 0 || !strings.HasPrefix(out, "routewarden ") {
		t.Errorf("version: %d %q", code, out)
	}
	for _, args := range [][]string{{}, {"frobnicate"}, {"migrate"}, {"migrate", "sideways"}, {"user", "add", "--email", "a@b.c", "--role", "root"},
		{"token", "create"}, {"seed"}, {"serve", "--log-format", "xml"}, {"serve", "extra"}, {"migrate", "up", "--no-such-flag"}} {
		if code, _, _ := runCmd(t, nil, "", args...); code != 2 {
			t.Errorf("%q: exit %d, want 2", args, code)
		}
	}
}

func TestMigrateUserToken(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"ROUTEWARDEN_DATA_DIR": dir}
	if code, _, errs := runCmd(t, env, "", "token", "create", "--user", "x@example.com"); code != 1 || !strings.Contains(errs, "migrate up") {
		t.Errorf("token before migrate: %d %q", code, errs)
	}
	code, out, errs := runCmd(t, env, "", "migrate", "up")
	if code != 0 || !strings.Contains(out, "0 pending") {
		t.Fatalf("migrate up: %d %q %q", code, out, errs)
	}
	if _, err := os.Stat(filepath.Join(dir, "routewarden.db")); err != nil {
		t.Fatalf("no SQLite file in the data dir: %v", err)
	}
	if code, out, _ := runCmd(t, nil, "", "migrate", "status", "--data-dir", dir); code != 0 || !strings.Contains(out, "0001") {
		t.Errorf("migrate status: %d %q", code, out)
	}
	if code, _, errs := runCmd(t, env, "short\n", "user", "add", "--email", "a@example.com", "--role", "admin", "--password-stdin"); code != 1 || !strings.Contains(errs, "12 characters") {
		t.Errorf("weak password: %d %q", code, errs)
	}
	if code, out, errs := runCmd(t, env, "a long enough password\n", "user", "add", "--email", "A@Example.com", "--role", "risk_officer", "--password-stdin"); code != 0 || !strings.Contains(out, "a@example.com") {
		t.Fatalf("user add: %d %q %q", code, out, errs)
	}
	if code, _, errs := runCmd(t, env, "", "user", "add", "--email", "a@example.com", "--role", "admin"); code != 1 || !strings.Contains(errs, "already exists") {
		t.Errorf("duplicate user: %d %q", code, errs)
	}
	code, out, _ = runCmd(t, env, "", "token", "create", "--user", "a@example.com")
	if code != 0 || !strings.HasPrefix(strings.TrimSpace(out), "rw_") || strings.Count(out, "\n") != 1 {
		t.Fatalf("token create: %d %q", code, out)
	}
	if code, _, errs := runCmd(t, env, "", "token", "create", "--user", "nobody@example.com"); code != 1 || !strings.Contains(errs, "does not exist") {
		t.Errorf("token for unknown user: %d %q", code, errs)
	}
}

// TestDependencyRules enforces ARCHITECTURE.md: the domain imports only the standard library,
// web never imports store or gorm, store never imports gin, only store imports gorm.
func TestDependencyRules(t *testing.T) {
	root := filepath.Join("..", "..", "internal")
	pkgs, _ := filepath.Glob(filepath.Join(root, "*"))
	for _, dir := range pkgs {
		files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		pkg := filepath.Base(dir)
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			parsed, err := parser.ParseFile(token.NewFileSet(), f, nil, parser.ImportsOnly)
			if err != nil {
				t.Fatal(err)
			}
			for _, imp := range parsed.Imports {
				p := strings.Trim(imp.Path.Value, `"`)
				switch {
				case pkg == "routewarden" && strings.Contains(strings.Split(p, "/")[0], "."):
					t.Errorf("%s imports %s: the domain must use the standard library only", f, p)
				case pkg == "routewarden" && strings.HasPrefix(p, "routewarden/"):
					t.Errorf("%s imports %s: the domain imports no other package of ours", f, p)
				case pkg != "store" && strings.HasPrefix(p, "gorm.io/"):
					t.Errorf("%s imports %s: only internal/store may use gorm", f, p)
				case pkg != "web" && strings.HasPrefix(p, "github.com/gin-gonic/"):
					t.Errorf("%s imports %s: only internal/web may use gin", f, p)
				case pkg == "web" && strings.HasPrefix(p, "routewarden/internal/store"):
					t.Errorf("%s imports %s: web talks to the domain interfaces, never to store", f, p)
				}
			}
		}
	}
}

func TestServeRefusesChangedLibrary(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"ROUTEWARDEN_DATA_DIR": dir}
	if code, _, errs := runCmd(t, env, "", "migrate", "up"); code != 0 {
		t.Fatal(errs)
	}
	db, err := openStatusDB(context.Background(), &config{DB: filepath.Join(dir, "routewarden.db")})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Exec(context.Background(), `INSERT INTO control_libraries (name, version, released, digest, registered_at) VALUES ('routewarden-manrs', '2026.1', '', 'deadbeef', '2026-01-01 00:00:00')`); err != nil {
		t.Fatal(err)
	}
	code, _, errs := runCmd(t, env, "", "serve", "--addr", "127.0.0.1:0")
	if code != 1 || !strings.Contains(errs, "2026.1") {
		t.Fatalf("serve with a changed released library: exit %d, %q", code, errs)
	}
}
