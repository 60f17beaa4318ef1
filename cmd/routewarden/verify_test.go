package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestVerifyCommandRefusesHostileFiles: the shapes that crashed or stalled the PDF parser
// end `routewarden verify` with exit 1 and a message naming what is wrong.
func TestVerifyCommandRefusesHostileFiles(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"ROUTEWARDEN_DATA_DIR": dir}
	approvedAssessment(t, dir) // a registry to open
	for name, tc := range map[string]struct {
		data string
		want string
	}{
		"nested": {"%PDF-1.4\nxref\n0 1\n0000000000 65535 f \ntrailer\n<< /Root " + strings.Repeat("[", 1_000_000) +
			strings.Repeat("]", 1_000_000) + " >>\nstartxref\n9\n%%EOF\n", "nesting deeper than 64 at byte 118"},
		"no EOF": {"%PDF-1.4\n" + strings.Repeat("1 0 obj\n<< >>\nendobj\n", 50_000), "no %%EOF in the last 1024 bytes"},
	} {
		t.Run(name, func(t *testing.T) {
			p := filepath.Join(dir, "evil.pdf")
			if err := os.WriteFile(p, []byte(tc.data), 0o600); err != nil {
				t.Fatal(err)
			}
			code, stdout, errs := runCmd(t, env, "", "verify", p)
			if code != 1 || !strings.Contains(errs, tc.want) || strings.HasPrefix(stdout, "VALID") {
				t.Errorf("verify: %d %q %q, want exit 1 naming %q", code, stdout, errs, tc.want)
			}
		})
	}
}
