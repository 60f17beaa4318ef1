package control_test

import (
	"errors"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"routewarden/internal/control"
)

// TestValidateRules breaks the valid 1.0 fixture one rule at a time (by replacing a piece of
// its text) and expects a problem with the given message on the given line.
func TestValidateRules(t *testing.T) {
	base, err := os.ReadFile("testdata/valid/demo/1.0.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cat := loadValid(t).Catalogue
	tests := []struct {
		name, old, new string
		line           int
		msg            string
	}{
		{"measured without checks", "      - {check: rpki.roa-coverage, better: higher, pass: 0.98, warn: 0.9}\n", "", 25,
			"measured control names no checks"},
		{"declared with checks", "    basis: declared\n    questions:\n      - id: RS-GOV-01.Q1",
			"    basis: declared\n    checks: [{check: manrs.participation, better: higher, pass: 1}]\n    questions:\n      - id: RS-GOV-01.Q1", 73,
			"only measured controls name checks"},
		{"evidenced without required evidence", "{id: filter-policy, title: Filtering policy, required: true}",
			"{id: filter-policy, title: Filtering policy, required: false}", 51, "evidenced control requires no evidence"},
		{"warn above pass", "pass: 0.98, warn: 0.9}", "pass: 0.9, warn: 0.98}", 27, "warn threshold 0.98 must be below pass 0.9"},
		{"better unknown", "better: higher, pass: 0.98", "better: more, pass: 0.98", 27, `better must be higher or lower, not "more"`},
		{"family mismatch", "  - id: RS-FILT-01\n", "  - id: RS-ORIG-02\n", 42, `control ID "RS-ORIG-02" does not match its family "FILT"`},
		{"unknown family", "    family: GOV\n", "    family: GOVERN\n", 65, `unknown family "GOVERN"`},
		{"severity", "    severity: critical\n", "    severity: severe\n", 49, `severity "severe" is not one of`},
		{"weight", "    weight: 3\n", "    weight: 7\n", 71, "weight 7 is outside 1..5"},
		{"question ID prefix", "      - id: RS-GOV-01.Q1\n", "      - id: RS-GOV-99.Q1\n", 74, `question ID "RS-GOV-99.Q1" must be RS-GOV-01.Q<n>`},
		{"duplicate option", "{value: cdn-cloud, label: CDN and Cloud}", "{value: netops, label: CDN and Cloud}", 79, `duplicate option "netops"`},
		{"evidence on a non-file question", "        type: yes_no\n      - id: RS-FILT-01.Q2", "        type: yes_no\n        evidence: filter-policy\n      - id: RS-FILT-01.Q2", 58,
			"only file questions collect evidence"},
		{"prefill type", "        prefill: rpki.roa-coverage\n", "        prefill: bogon.prefixes\n", 32, "a count figure cannot pre-fill a percentage answer"},
		{"contradiction check unknown", "measured: {check: rpki.roa-coverage, op:", "measured: {check: rpki.nope, op:", 35, `unknown check "rpki.nope"`},
		{"contradiction op", `answer: {op: ">=", value: "95"}`, `answer: {op: "contains", value: "95"}`, 34, `op "contains" is not one of`},
		{"contradiction value out of range", `op: "<", value: 0.9}`, `op: "<", value: 90}`, 35, "90 is outside the ratio range 0..1"},
		{"readiness", "readiness: {ready: 0.9, aspiring: 0.6}", "readiness: {ready: 0.6, aspiring: 0.9}", 6, "0 < aspiring (0.9) < ready (0.6) ≤ 1"},
		{"changelog lacks version", `  - version: "1.0"` + "\n    date:", `  - version: "0.9"` + "\n    date:", 8, `changelog has no entry for version "1.0"`},
		{"changelog date differs", `    date: "2026-01-15"`, `    date: "2026-01-16"`, 9, "changelog date 2026-01-16 of version 1.0 differs from released 2026-01-15"},
		{"released date", `released: "2026-01-15"`, `released: "15.01.2026"`, 5, "is not a date"},
		{"percentage bound", "        type: percentage\n", "        type: percentage\n        max: 120\n", 29, "percentage bound 120 is outside 0..100"},
		{"informational obligation mapped", "    obligations: [DORA-28.4.d]\n", "    obligations: [DORA-28.4.d, DORA-5.3]\n", 81,
			`obligation "DORA-5.3" is marked informational`},
		{"no obligations", "    obligations: [DORA-28.4.d]\n", "    obligations: []\n", 81, "no obligation given"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(string(base), tt.old) {
				t.Fatalf("fixture lacks %q", tt.old)
			}
			l, err := control.ParseLibrary("demo/1.0.yaml", []byte(strings.Replace(string(base), tt.old, tt.new, 1)))
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			err = l.Validate(cat)
			var probs control.Problems
			if !errors.As(err, &probs) {
				t.Fatalf("Validate = %v, want problems", err)
			}
			for _, p := range probs {
				if p.Line == tt.line && strings.Contains(p.Msg, tt.msg) {
					return
				}
			}
			t.Errorf("no problem at line %d containing %q; got:\n%v", tt.line, tt.msg, err)
		})
	}
}

func TestCatalogueRules(t *testing.T) {
	obl, err := os.ReadFile("testdata/valid/obligations/dora.yaml")
	if err != nil {
		t.Fatal(err)
	}
	edit := func(old, new string) []byte { return []byte(strings.Replace(string(obl), old, new, 1)) }
	tests := []struct {
		name string
		fs   fstest.MapFS
		want string
	}{
		{"duplicate across files", fstest.MapFS{"o/a.yaml": {Data: obl}, "o/b.yaml": {Data: edit("regulation: DORA", "regulation: DORA")}},
			`o/b.yaml:2: regulation DORA is already defined in o/a.yaml`},
		{"duplicate obligation", fstest.MapFS{"o/a.yaml": {Data: edit("  - id: DORA-28.4.d\n", "  - id: DORA-9.4.b\n")}},
			`o/a.yaml:12: duplicate obligation ID "DORA-9.4.b"`},
		{"ID without regulation prefix", fstest.MapFS{"o/a.yaml": {Data: edit("  - id: DORA-28.4.d\n", "  - id: NIS2-21.2.d\n")}},
			`obligation ID "NIS2-21.2.d" must look like DORA-28.4.d`},
		{"source not EUR-Lex", fstest.MapFS{"o/a.yaml": {Data: edit("source: https://eur-lex.europa.eu/", "source: https://example.org/")}},
			`o/a.yaml:5: regulation DORA: source "https://example.org/`},
		{"missing paraphrase", fstest.MapFS{"o/a.yaml": {Data: edit("    paraphrase: Due diligence on a prospective ICT third-party provider.\n", "")}},
			"obligation DORA-28.4.d: missing paraphrase"},
		{"empty folder", fstest.MapFS{"o/README": {Data: []byte("x")}}, "o: no regulation files"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := control.LoadCatalogue(tt.fs, "o")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
}
