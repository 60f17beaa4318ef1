package control_test

import (
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"routewarden/internal/control"
)

func loadValid(t *testing.T) *control.Set {
	t.Helper()
	set, err := control.Load(os.DirFS("testdata/valid"), ".")
	if err != nil {
		t.Fatalf("valid fixture does not load:\n%v", err)
	}
	return set
}

func TestLoadValid(t *testing.T) {
	set := loadValid(t)
	if len(set.Libraries) != 2 {
		t.Fatalf("%d library versions, want 2", len(set.Libraries))
	}
	latest, ok := set.Library("demo", "")
	if !ok || latest.Version != "1.1" {
		t.Fatalf("latest demo = %v, want 1.1", latest)
	}
	if l, ok := set.Library("demo", "1.0"); !ok || l.File != "demo/1.0.yaml" {
		t.Errorf("demo 1.0 = %v", l)
	}
	if _, ok := set.Library("demo", "9.9"); ok {
		t.Error("found a version that does not exist")
	}
	o, ok := set.Catalogue.Obligation("DORA-9.4.b")
	if !ok || o.Regulation != "DORA" || !strings.Contains(o.Source, "CELEX:32022R2554") {
		t.Errorf("DORA-9.4.b = %+v; want regulation and inherited source filled", o)
	}
}

// TestLintBroken loads each broken fixture and expects the first problem at a given file and
// line with a given message.
func TestLintBroken(t *testing.T) {
	tests := []struct {
		dir, file string
		line      int
		msg       string
	}{
		{"unknown-field", "demo/1.0.yaml", 48, `unknown field "owner"`},
		{"unknown-field-obligation", "obligations/dora.yaml", 14, `unknown field "article_text"`},
		{"duplicate-id", "demo/1.0.yaml", 86, `duplicate control ID "RS-GOV-01" (first defined at line 66)`},
		{"duplicate-key", "demo/1.0.yaml", 52, `"severity" already defined`},
		{"dangling-obligation", "demo/1.0.yaml", 65, `unknown obligation "DORA-28.4.x"`},
		{"dangling-question", "demo/1.0.yaml", 42, `unknown question "RS-ORIG-01.Q9"`},
		{"cyclic-condition", "demo/1.0.yaml", 33, "condition cycle: RS-ORIG-01.Q1 → RS-ORIG-01.Q2 → RS-ORIG-01.Q1"},
		{"forward-condition", "demo/1.0.yaml", 33, "refers to the later question RS-FILT-01.Q1"},
		{"bad-condition-value", "demo/1.0.yaml", 42, `value "most" is not a number`},
		{"unknown-check", "demo/1.0.yaml", 27, `unknown check "rpki.roa-coverrage"`},
		{"threshold-range", "demo/1.0.yaml", 27, "98 is outside the ratio range 0..1"},
		{"unknown-provider", "demo/1.0.yaml", 49, `unknown provider type "satellite"`},
		{"unknown-manrs", "demo/1.0.yaml", 72, `unknown MANRS action "cdn-7"`},
		{"uncollected-evidence", "demo/1.0.yaml", 55, `required evidence "filter-policy" is collected by no file question`},
		{"unmapped-obligation", "obligations/dora.yaml", 20, "DORA-5.3 is mapped by no control and not marked informational"},
	}
	for _, tt := range tests {
		t.Run(tt.dir, func(t *testing.T) {
			_, err := control.Load(os.DirFS("testdata/broken/"+tt.dir), ".")
			var probs control.Problems
			if !errors.As(err, &probs) || len(probs) == 0 {
				t.Fatalf("err = %v, want Problems", err)
			}
			p := probs[0]
			if p.File != tt.file || p.Line != tt.line || !strings.Contains(p.Msg, tt.msg) {
				t.Errorf("first problem %q, want %s:%d: …%s…", p.Error(), tt.file, tt.line, tt.msg)
			}
			if !strings.HasPrefix(err.Error(), tt.file+":") {
				t.Errorf("error text %q does not start with the file name", err)
			}
		})
	}
}

func TestLoadStructure(t *testing.T) {
	valid, err := os.ReadFile("testdata/valid/demo/1.0.yaml")
	if err != nil {
		t.Fatal(err)
	}
	obl, err := os.ReadFile("testdata/valid/obligations/dora.yaml")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		fs   fstest.MapFS
		want string
	}{
		{"no catalogue", fstest.MapFS{"demo/1.0.yaml": {Data: valid}}, "obligations: no obligation catalogue"},
		{"no library", fstest.MapFS{"obligations/dora.yaml": {Data: obl}}, "no control library"},
		{"version not the file name", fstest.MapFS{"obligations/dora.yaml": {Data: obl}, "demo/2.0.yaml": {Data: valid}},
			`demo/2.0.yaml:3: library "demo" version "1.0" must live in demo/1.0.yaml`},
		{"two documents", fstest.MapFS{"obligations/dora.yaml": {Data: obl},
			"demo/1.0.yaml": {Data: append(append([]byte{}, valid...), "\n---\nlibrary: x\n"...)}}, "want exactly one YAML document, found 2"},
		{"not a mapping", fstest.MapFS{"obligations/dora.yaml": {Data: obl}, "demo/1.0.yaml": {Data: []byte("- a\n- b\n")}},
			"demo/1.0.yaml:1: document is not a mapping"},
		{"alias", fstest.MapFS{"obligations/dora.yaml": {Data: obl}, "demo/1.0.yaml": {Data: []byte("library: &a demo\nversion: *a\n")}},
			"demo/1.0.yaml:1: anchors, aliases, merge keys and tags are not allowed"},
		{"syntax error", fstest.MapFS{"obligations/dora.yaml": {Data: obl}, "demo/1.0.yaml": {Data: []byte("library: [demo\n")}},
			"demo/1.0.yaml:1:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := control.Load(tt.fs, ".")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestDiff(t *testing.T) {
	set := loadValid(t)
	v10, _ := set.Library("demo", "1.0")
	v11, _ := set.Library("demo", "1.1")
	got := control.Diff(v10, v11)
	want := control.Delta{
		From:    "demo 1.0",
		To:      "demo 1.1",
		Library: []string{"released", "families", "changelog"},
		Added:   []string{"RS-COORD-01"},
		Removed: []string{"RS-GOV-02"},
		Changed: []control.ControlDelta{
			{ID: "RS-ORIG-01", Fields: []string{"checks", "question RS-ORIG-01.Q3 added", "question RS-ORIG-01.Q1: text, grading",
				"question RS-ORIG-01.Q2: grading"}},
			{ID: "RS-FILT-01", Fields: []string{"question RS-FILT-01.Q1: grading"}},
			{ID: "RS-GOV-01", Fields: []string{"severity", "obligations +DORA-30.3.c", "question RS-GOV-01.Q1: grading"}},
		},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Diff(1.0, 1.1) =\n%+v\nwant\n%+v", got, want)
	}
	if !control.Diff(v11, v11).Empty() {
		t.Error("a version differs from itself")
	}
	back := control.Diff(v11, v10)
	if !reflect.DeepEqual(back.Added, want.Removed) || !reflect.DeepEqual(back.Removed, want.Added) {
		t.Errorf("reverse diff added %v removed %v", back.Added, back.Removed)
	}
}

func TestDigest(t *testing.T) {
	set := loadValid(t)
	v10, _ := set.Library("demo", "1.0")
	v11, _ := set.Library("demo", "1.1")
	data, err := os.ReadFile("testdata/digest/1.1-reformatted.yaml")
	if err != nil {
		t.Fatal(err)
	}
	re, err := control.ParseLibrary("1.1-reformatted.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	if re.Digest() != v11.Digest() {
		t.Errorf("reformatted 1.1 digest %s != %s; formatting must not change the digest", re.Digest(), v11.Digest())
	}
	if v10.Digest() == v11.Digest() {
		t.Error("different versions share a digest")
	}
	if d := v11.Digest(); len(d) != 64 || strings.Trim(d, "0123456789abcdef") != "" {
		t.Errorf("digest %q is not sha256 hex", d)
	}
	changed := strings.Replace(string(data), "Are ROAs reviewed yearly?", "Are ROAs reviewed monthly?", 1)
	re2, err := control.ParseLibrary("x.yaml", []byte(changed))
	if err != nil {
		t.Fatal(err)
	}
	if re2.Digest() == v11.Digest() {
		t.Error("a changed question text kept the digest")
	}
	if set.Catalogue.Digest() == "" {
		t.Error("empty catalogue digest")
	}
}
