package main

import (
	"strings"
	"testing"
)

// TestLoadSmoke runs every load scenario for a moment on a small SQLite database: the wiring
// works and no request fails. The figures themselves come from `make load`.
func TestLoadSmoke(t *testing.T) {
	code, out, errs := runCmd(t, nil, "", "load", "--only", "sqlite", "--duration", "200ms", "--vendors", "30", "--portal-vendors", "3", "--workers", "2")
	if code != 0 {
		t.Fatalf("load: %d\n%s\n%s", code, out, errs)
	}
	for _, row := range []string{"vendor list", "vendor search", "vendor page", "portal autosave (3 vendors)", "API vendor create"} {
		line := ""
		for _, l := range strings.Split(out, "\n") {
			if strings.HasPrefix(l, row) {
				line = l
			}
		}
		f := strings.Fields(line)
		if len(f) < 2 || f[len(f)-1] != "0" {
			t.Errorf("scenario %q: %q (want a row ending in 0 errors)\n%s", row, line, out)
		}
	}
	if strings.Contains(out, "error:") || !strings.Contains(out, "memory at end") {
		t.Errorf("report:\n%s", out)
	}
	for _, args := range [][]string{{"load", "--duration", "0s"}, {"load", "--db", "/tmp/x.db"}, {"load", "--only", "mysql"}, {"load", "extra"}} {
		if code, _, _ := runCmd(t, nil, "", args...); code != 2 {
			t.Errorf("%q: exit %d, want 2", args, code)
		}
	}
}
