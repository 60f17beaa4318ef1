package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"routewarden/controls"
)

const controlFixtures = "../../internal/control/testdata"

func runCtl(t *testing.T, obligations bool, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	var code int
	if obligations {
		code = runObligations(args, &out, &errOut, controls.FS)
	} else {
		code = runControls(args, &out, &errOut, controls.FS)
	}
	return code, out.String(), errOut.String()
}

func TestControlsListJSON(t *testing.T) {
	code, out, stderr := runCtl(t, false, "list", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var rows []map[string]any
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatal(err)
	}
	if len(rows) < 40 {
		t.Fatalf("%d controls", len(rows))
	}
	for _, key := range []string{"id", "title", "family", "applies_to", "manrs", "basis", "checks", "obligations"} {
		if _, ok := rows[0][key]; !ok {
			t.Errorf("row lacks %q: %v", key, rows[0])
		}
	}
	if rows[0]["id"] != "RS-ORIG-01" || rows[0]["basis"] != "measured" {
		t.Errorf("first row %v", rows[0])
	}
}

func TestControlsCommands(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout []string
		stderr []string
	}{
		{"list table", []string{"list"}, 0, []string{"ID  ", "RS-ROV-01", "controls, routewarden-manrs 2026.2"}, nil},
		{"list by MANRS action", []string{"list", "--manrs", "ixp-1"}, 0, []string{"RS-ROV-04", "RS-FILT-10"}, nil},
		{"list by provider", []string{"list", "--provider", "ixp", "--family", "ROV"}, 0, []string{"RS-ROV-04", "3 controls"}, nil},
		{"show", []string{"show", "RS-ROV-01"}, 0, []string{"RPKI-invalid routes dropped", "rov.invalid-propagation  pass ≤ 0, warn ≤ 10",
			"asked when RS-ROV-01.Q1 != all", "IR2690-6.7.2.l", "discrepancy when answer = all"}, nil},
		{"show json", []string{"show", "--format", "json", "RS-GOV-04"}, 0, []string{`"id": "RS-GOV-04"`, `"evidence": "contract-clause"`}, nil},
		{"show unknown", []string{"show", "RS-NOPE-01"}, 1, nil, []string{`no control "RS-NOPE-01"`}},
		{"lint embedded", []string{"lint"}, 0, []string{"ok  routewarden-manrs 2026.1:", "ok  routewarden-manrs 2026.2:", "ok  obligations: 8 regulations"}, nil},
		{"lint valid dir", []string{"lint", filepath.Join(controlFixtures, "valid")}, 0, []string{"ok  demo 1.0:", "ok  demo 1.1:"}, nil},
		{"lint missing dir", []string{"lint", "no/such/dir"}, 1, nil, []string{"no/such/dir"}},
		{"diff same", []string{"diff", "2026.1", "routewarden-manrs/2026.1"}, 0, []string{"no changes"}, nil},
		{"diff unknown version", []string{"diff", "2026.1", "1999.9"}, 1, nil, []string{`"1999.9" is neither a file nor a version`}},
		{"no command", nil, 2, nil, []string{"usage: routewarden controls"}},
		{"unknown command", []string{"frobnicate"}, 2, nil, []string{`unknown command "frobnicate"`}},
		{"bad format", []string{"list", "--format", "xml"}, 2, nil, []string{`unknown format "xml"`}},
		{"show without ID", []string{"show"}, 2, nil, []string{"wrong number of arguments"}},
		{"diff one argument", []string{"diff", "2026.1"}, 2, nil, []string{"wrong number of arguments"}},
		{"unknown flag", []string{"list", "--bogus"}, 2, nil, []string{"flag provided but not defined"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, stderr := runCtl(t, false, tt.args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tt.code, out, stderr)
			}
			for _, s := range tt.stdout {
				if !strings.Contains(out, s) {
					t.Errorf("stdout lacks %q:\n%s", s, out)
				}
			}
			for _, s := range tt.stderr {
				if !strings.Contains(stderr, s) {
					t.Errorf("stderr lacks %q:\n%s", s, stderr)
				}
			}
		})
	}
}

// TestControlsLintBroken runs lint on every broken fixture: exit 1 and a message naming the
// fixture file and line.
func TestControlsLintBroken(t *testing.T) {
	dirs, err := os.ReadDir(filepath.Join(controlFixtures, "broken"))
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no broken fixtures: %v", err)
	}
	for _, d := range dirs {
		t.Run(d.Name(), func(t *testing.T) {
			dir := filepath.Join(controlFixtures, "broken", d.Name())
			code, _, stderr := runCtl(t, false, "lint", dir)
			if code != 1 {
				t.Fatalf("exit %d, want 1", code)
			}
			first := strings.SplitN(stderr, "\n", 2)[0]
			rest, ok := strings.CutPrefix(first, dir+string(filepath.Separator))
			if !ok || !strings.Contains(rest, ".yaml:") {
				t.Errorf("first line %q does not name a file and line under %s", first, dir)
			}
		})
	}
	code, _, stderr := runCtl(t, false, "lint", filepath.Join(controlFixtures, "broken", "cyclic-condition"))
	if want := "demo/1.0.yaml:33: condition cycle: RS-ORIG-01.Q1 → RS-ORIG-01.Q2 → RS-ORIG-01.Q1"; code != 1 || !strings.Contains(stderr, want) {
		t.Errorf("cyclic-condition: exit %d, stderr %q, want %q", code, stderr, want)
	}
}

func TestControlsDiffFixtures(t *testing.T) {
	v10 := filepath.Join(controlFixtures, "valid", "demo", "1.0.yaml")
	v11 := filepath.Join(controlFixtures, "valid", "demo", "1.1.yaml")
	code, out, stderr := runCtl(t, false, "diff", v10, v11)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	want := `demo 1.0 → demo 1.1
library: released, families, changelog
added    RS-COORD-01  NOC contact in PeeringDB
removed  RS-GOV-02  Routing-security clause
changed  RS-ORIG-01: checks; question RS-ORIG-01.Q3 added; question RS-ORIG-01.Q1: text, grading; question RS-ORIG-01.Q2: grading
changed  RS-FILT-01: question RS-FILT-01.Q1: grading
changed  RS-GOV-01: severity; obligations +DORA-30.3.c; question RS-GOV-01.Q1: grading
`
	if out != want {
		t.Errorf("diff output:\n%s\nwant:\n%s", out, want)
	}
	code, out, _ = runCtl(t, false, "diff", "--format", "json", v10, v11)
	var d struct {
		Added, Removed []string
	}
	if code != 0 || json.Unmarshal([]byte(out), &d) != nil || len(d.Added) != 1 || len(d.Removed) != 1 {
		t.Errorf("json diff: exit %d, %s", code, out)
	}
	broken := filepath.Join(controlFixtures, "broken", "unknown-field", "demo", "1.0.yaml")
	if code, _, stderr := runCtl(t, false, "diff", broken, v11); code != 1 || !strings.Contains(stderr, `1.0.yaml:48: unknown field "owner"`) {
		t.Errorf("diff of a broken file: exit %d, %s", code, stderr)
	}
}

func TestObligations(t *testing.T) {
	code, out, stderr := runCtl(t, true, "list", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var rows []map[string]any
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatal(err)
	}
	ids := map[string]map[string]any{}
	for _, r := range rows {
		for _, key := range []string{"id", "regulation", "reference", "title", "source"} {
			if s, _ := r[key].(string); s == "" {
				t.Errorf("row %v lacks %s", r["id"], key)
			}
		}
		ids[r["id"].(string)] = r
	}
	for _, id := range []string{"DORA-28.4.d", "NIS2-21.2.d", "IR2690-6.7.2.l", "RTS1774-13.1.m", "CER-13.1.d"} {
		if ids[id] == nil {
			t.Errorf("missing %s", id)
		}
	}
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"table", []string{"list", "--regulation", "cer"}, 0, "CER-13.1.d"},
		{"show", []string{"show", "IR2690-6.7.2.l"}, 0, "RS-ROV-01  [measured]"},
		{"show informational", []string{"show", "DORA-5.3"}, 0, "Informational: no control maps it."},
		{"show unknown", []string{"show", "DORA-99"}, 1, ""},
		{"usage", nil, 2, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, _ := runCtl(t, true, tt.args...)
			if code != tt.code || !strings.Contains(out, tt.want) {
				t.Errorf("exit %d (want %d), stdout:\n%s\nwant %q", code, tt.code, out, tt.want)
			}
		})
	}
}
