package mrt

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// goldenInputs lists the MRT fixtures that have a "<name>.bgp.gz" file holding the output of
// bgpdump -m for them (see testdata/SOURCE.txt).
func goldenInputs(t testing.TB) []string {
	t.Helper()
	var out []string
	for _, dir := range []string{"bgpdump", "gobgpdump", "mrtparse"} {
		ents, err := os.ReadDir(filepath.Join("testdata", dir))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range ents {
			if !strings.HasSuffix(e.Name(), ".bgp.gz") {
				out = append(out, filepath.Join("testdata", dir, e.Name()))
			}
		}
	}
	return out
}

func readGzip(t testing.TB, path string) []byte {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDumpGolden(t *testing.T) {
	for _, in := range goldenInputs(t) {
		t.Run(strings.TrimPrefix(in, "testdata/"), func(t *testing.T) {
			want := readGzip(t, in+".bgp.gz")
			f, err := os.Open(in)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			var got bytes.Buffer
			st, err := Dump(&got, f)
			if err != nil {
				t.Fatalf("Dump: %v", err)
			}
			if st.Malformed != 0 {
				t.Errorf("%d malformed records: %v", st.Malformed, st.Errors)
			}
			if !bytes.Equal(got.Bytes(), want) {
				t.Errorf("output differs from bgpdump -m:\n%s", firstDiff(got.Bytes(), want))
			}
		})
	}
}

// firstDiff describes the first differing line of two outputs.
func firstDiff(got, want []byte) string {
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return "line " + itoa(i+1) + "\n got: " + gl + "\nwant: " + wl
		}
	}
	return "(no line differs)"
}

func itoa(i int) string { return string(appendU32(nil, uint32(i))) }
