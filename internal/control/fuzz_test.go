package control_test

import (
	"os"
	"path/filepath"
	"testing"

	"routewarden/internal/control"
)

func addSeeds(f *testing.F, pattern string) {
	files, err := filepath.Glob(pattern)
	if err != nil || len(files) == 0 {
		f.Fatalf("no seeds for %s: %v", pattern, err)
	}
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
}

// FuzzParseLibrary feeds arbitrary bytes to the strict library decoder: it must return a
// library or an error, never panic, and validation and digest of what it accepts must not
// panic either.
func FuzzParseLibrary(f *testing.F) {
	addSeeds(f, "testdata/valid/demo/*.yaml")
	addSeeds(f, "testdata/broken/*/demo/1.0.yaml")
	addSeeds(f, "testdata/digest/*.yaml")
	f.Add([]byte("library: demo\nversion: [1\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := control.ParseLibrary("fuzz.yaml", data)
		if err != nil {
			if l != nil {
				t.Fatal("library returned with an error")
			}
			return
		}
		valid := l.Validate(nil) == nil
		if len(l.Digest()) != 64 {
			t.Fatal("bad digest")
		}
		// Diff matches controls by ID, which only a valid library keeps unique.
		if valid && !control.Diff(l, l).Empty() {
			t.Fatal("library differs from itself")
		}
	})
}

// FuzzParseRegulation does the same for obligation catalogue files.
func FuzzParseRegulation(f *testing.F) {
	addSeeds(f, "testdata/valid/obligations/*.yaml")
	addSeeds(f, "testdata/broken/*/obligations/dora.yaml")
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := control.ParseRegulation("fuzz.yaml", data)
		if err != nil {
			return
		}
		cat := &control.Catalogue{Regulations: []control.Regulation{*r}}
		_ = cat.Validate()
		_ = cat.Digest()
	})
}
