package rpki

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

func readFile(t *testing.T, path string) *Set {
	t.Helper()
	s, err := ReadVRPFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// vrpKeys renders a set's distinct VRPs (prefix, max length, ASN) in a canonical order.
func vrpKeys(s *Set) []string {
	var out []string
	for _, v := range NewTable(s).VRPs() {
		out = append(out, v.String())
	}
	return out
}

func aspaKeys(s *Set) map[uint32][]uint32 {
	return NewASPAIndex(s.ASPAs)
}

func TestShapesParseToSameSet(t *testing.T) {
	ref := readFile(t, "testdata/shapes/rpki-client-9.json")
	want := vrpKeys(ref)
	wantASPA := aspaKeys(ref)
	if len(want) != 7 || len(wantASPA) != 3 {
		t.Fatalf("reference set has %d VRPs, %d ASPAs", len(want), len(wantASPA))
	}
	files, _ := filepath.Glob("testdata/shapes/*")
	if len(files) < 13 {
		t.Fatalf("only %d shape files", len(files))
	}
	withASPA := map[string]bool{"rpki-client-9.json": true, "rpki-client-8.json": true, "routinator.json": true,
		"routinator-jsonext.json": true, "provider-asids.json": true}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			s := readFile(t, f)
			if got := vrpKeys(s); !slices.Equal(got, want) {
				t.Errorf("VRPs differ:\n got %v\nwant %v", got, want)
			}
			if withASPA[filepath.Base(f)] {
				got := aspaKeys(s)
				for c, p := range wantASPA {
					if !slices.Equal(got[c], p) {
						t.Errorf("ASPA AS%d: got %v, want %v", c, got[c], p)
					}
				}
				if len(got) != len(wantASPA) {
					t.Errorf("%d ASPAs, want %d", len(got), len(wantASPA))
				}
			}
		})
	}
}

func TestReadRealExports(t *testing.T) {
	s := readFile(t, "testdata/cmd_stayrtr_test.rpki.json")
	if s.Format != "rpki-client-json-2023" {
		t.Errorf("format %q", s.Format)
	}
	tab := NewTable(s)
	if tab.Len() != 19 {
		t.Errorf("%d VRPs", tab.Len())
	}
	if got := tab.ASPA()[15562]; !slices.Equal(got, []uint32{2914, 8283, 51088, 206238}) {
		t.Errorf("ASPA 15562 = %v", got)
	}
	if st := tab.Validate(mustPrefix("1.0.0.0/24"), 13335, true); st != Valid {
		t.Errorf("1.0.0.0/24 AS13335: %v", st)
	}
	small := readFile(t, "testdata/cmd_stayrtr_smalltest.rpki.json")
	if got := vrpKeys(small); !slices.Equal(got, []string{"1.0.0.0/24-24 AS13335", "2001:200:136::/48-48 AS9367"}) {
		t.Errorf("smalltest: %v", got)
	}
}

func TestReadMalformed(t *testing.T) {
	tests := []struct {
		name, input string
		want        string // expected error text after "x.json: "
	}{
		{"bad prefix", `{"roas":[{"asn":1,"prefix":"1.2.3.256/24","maxLength":24}]}`, `byte 27 (line 1): bad prefix "1.2.3.256/24"`},
		{"maxlen below", `{"roas":[{"asn":1,"prefix":"10.0.0.0/16","maxLength":8}]}`, "byte 9 (line 1): max length 8 below prefix length of 10.0.0.0/16"},
		{"maxlen beyond v4", `{"roas":[{"asn":1,"prefix":"10.0.0.0/16","maxLength":33}]}`, "byte 9 (line 1): max length 33 beyond 32 bits"},
		{"maxlen beyond v6", `{"roas":[{"asn":1,"prefix":"2001:db8::/32","maxLength":129}]}`, "byte 9 (line 1): max length 129 beyond 128 bits"},
		{"asn too big", `{"roas":[{"asn":4294967296,"prefix":"10.0.0.0/16"}]}`, "byte 16 (line 1): bad AS number"},
		{"asn string too big", `{"roas":[{"asn":"AS4294967296","prefix":"10.0.0.0/16"}]}`, "byte 16 (line 1): AS number \"AS4294967296\" out of range"},
		{"negative asn", `{"roas":[{"asn":-1,"prefix":"10.0.0.0/16"}]}`, "byte 16 (line 1): bad AS number"},
		{"missing prefix", `{"roas":[{"asn":1}]}`, "byte 9 (line 1): ROA entry without asn or prefix"},
		{"truncated", `{"roas":[{"asn":1,"prefix":"10.0.0.0/16"`, "byte 40 (line 1): unexpected end of input"},
		{"trailing comma", `{"roas":[{"asn":1,"prefix":"10.0.0.0/16"},]}`, `byte 42 (line 1): expected '{', found ']'`},
		{"not vrps", `{"foo":[]}`, "not a VRP export"},
		{"slurm", `{"slurmVersion":1,"roas":[]}`, "SLURM file"},
		{"garbage after", `{"roas":[]} x`, "byte 12 (line 1): unexpected 'x' after the top-level value"},
		{"empty", "  \n", "empty file"},
		{"line count", "{\n  \"roas\": [\n    {\"asn\": 1, \"prefix\": \"10.0.0.0/8\"},\n    {\"asn\": 1, \"prefix\": \"10.0.0.0/8\", \"maxLength\": 7}\n  ]\n}\n", "byte 58 (line 4): max length 7 below"},
		{"csv bad asn", "ASN,IP Prefix,Max Length,Trust Anchor\nAS13335,1.0.0.0/24,24,apnic\nASX,1.0.0.0/24,24,apnic\n", `x.json:3: bad AS number "ASX"`},
		{"csv bad prefix", "ASN,IP Prefix,Max Length\nAS1,1.0.0/24,24\n", `x.json:2: bad prefix "1.0.0/24"`},
		{"csv maxlen", "ASN,IP Prefix,Max Length\nAS1,1.0.0.0/24,16\n", "x.json:2: max length 16 below prefix length"},
		{"csv short row", "ASN,IP Prefix,Max Length\nAS1,1.0.0.0/24\n", "x.json:2: expected at least 3 fields"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadVRPs("x.json", strings.NewReader(tt.input))
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %v is not a *ParseError", err)
			}
			if !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "x.json") {
				t.Errorf("error %q, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestReadHostBitsAndDefaults(t *testing.T) {
	s, err := ReadVRPs("h.json", strings.NewReader(`[{"asn":"as65000","prefix":"192.0.2.77/24"},{"asn":"65001","prefix":"2001:DB8::/32","maxLength":"40"}]`))
	if err != nil {
		t.Fatal(err)
	}
	got := vrpKeys(s)
	want := []string{"192.0.2.0/24-24 AS65000", "2001:db8::/32-40 AS65001"}
	if !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func FuzzReadVRPs(f *testing.F) {
	files, _ := filepath.Glob("testdata/shapes/*")
	files = append(files, "testdata/cmd_stayrtr_test.rpki.json", "testdata/cmd_stayrtr_smalltest.rpki.json")
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"roas":[{"asn":"AS1","prefix":"::/0","maxLength":128}],"aspas":[{"customer":"AS1","providers":[{"asid":2,"afi_limit":"ipv4"}]}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := ReadVRPs("fuzz", strings.NewReader(string(b)))
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %v is not a *ParseError", err)
			}
			return
		}
		tab := NewTable(s)
		for _, v := range s.VRPs {
			if v.MaxLength < uint8(v.Prefix.Bits()) || int(v.MaxLength) > v.Prefix.Addr().BitLen() || v.Prefix != v.Prefix.Masked() {
				t.Fatalf("accepted malformed VRP %v", v)
			}
			if v.ASN != 0 && tab.Validate(v.Prefix, v.ASN, true) != Valid {
				t.Fatalf("VRP %v does not validate its own prefix", v)
			}
		}
	})
}

// TestJSONFastPathAgrees parses every JSON fixture with and without the fast path.
func TestJSONFastPathAgrees(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.json")
	more, _ := filepath.Glob("testdata/shapes/*.json")
	for _, f := range append(files, more...) {
		if strings.Contains(f, "slurm") {
			continue
		}
		fast := readFile(t, f)
		jsonFastPath = false
		slow := readFile(t, f)
		jsonFastPath = true
		if !slices.Equal(fast.VRPs, slow.VRPs) {
			t.Errorf("%s: fast and slow paths differ", f)
		}
	}
}

func TestReadCSVVariants(t *testing.T) {
	tests := []struct{ name, in string }{
		{"headerless", "AS13335,1.0.0.0/24,24,apnic\n# comment\n\nAS65000,2001:db8::/32,48,ripe\n"},
		{"bom and crlf", "\xef\xbb\xbfASN,IP Prefix,Max Length,Trust Anchor\r\nAS13335,1.0.0.0/24,24,apnic\r\n65000,2001:db8::/32,48,ripe\r\n"},
		{"reordered header", "prefix,maxLength,asn\n1.0.0.0/24,24,AS13335\n2001:db8::/32,48,65000\n"},
	}
	want := []string{"1.0.0.0/24-24 AS13335", "2001:db8::/32-48 AS65000"}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := ReadVRPs("c.csv", strings.NewReader(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if got := vrpKeys(s); !slices.Equal(got, want) {
				t.Errorf("got %v, want %v", got, want)
			}
		})
	}
}

func TestReadJSONEscapesAndChunks(t *testing.T) {
	// A TA name with escapes and non-ASCII text goes through the general path; a tiny read
	// size makes every token straddle buffer refills.
	in := `{"roas":[{"asn":"AS1","prefix":"10.0.0.0/8","maxLength":24,"ta":"r\u00e9seau \"x\""},` +
		`{"ta":"ripe","expires":1790000000,"maxLength":8,"prefix":"11.0.0.0/8","asn":2}]}`
	s, err := ReadVRPs("e.json", iotestOneByte(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.VRPs) != 2 || s.VRPs[0].TA != `réseau "x"` || s.VRPs[1].Expires != 1790000000 {
		t.Errorf("got %+v", s.VRPs)
	}
}

func TestReadGzip(t *testing.T) {
	raw, err := os.ReadFile("testdata/shapes/rpki-client-9.json")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(raw)
	zw.Close()
	s, err := ReadVRPs("v.json.gz", &buf)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := vrpKeys(s), vrpKeys(readFile(t, "testdata/shapes/rpki-client-9.json")); !slices.Equal(got, want) {
		t.Errorf("gzip: %v, want %v", got, want)
	}
	if _, err := ReadVRPs("bad.gz", bytes.NewReader([]byte{0x1f, 0x8b, 8, 0, 0})); err == nil || !strings.HasPrefix(err.Error(), "bad.gz") {
		t.Errorf("truncated gzip: %v", err)
	}
}

func TestSetMergeAndCovered(t *testing.T) {
	a := readFile(t, "testdata/shapes/routinator.csv")
	a.Merge(readFile(t, "testdata/shapes/rpki-client-9.json"))
	a.Normalize()
	tab := NewTable(a)
	if tab.Len() != 7 || len(tab.ASPA()) != 3 {
		t.Errorf("merged: %d VRPs, %d ASPAs", tab.Len(), len(tab.ASPA()))
	}
	if !tab.Covered(mustPrefix("1.0.4.128/25")) || tab.Covered(mustPrefix("1.0.0.0/16")) {
		t.Error("Covered")
	}
}

// TestJSONFastPathRandom compares the fast and general JSON paths on random ROAs with host
// bits, both address families, string and integer ASNs and out-of-range max lengths.
func TestJSONFastPathRandom(t *testing.T) {
	rnd := rand.New(rand.NewPCG(5, 6))
	var b strings.Builder
	b.WriteString(`{"roas":[`)
	for i := 0; i < 3000; i++ {
		if i > 0 {
			b.WriteString(",\n")
		}
		var p string
		var bits int
		if rnd.IntN(4) == 0 {
			bits = rnd.IntN(129)
			p = fmt.Sprintf("2001:db8:%x:%x::%x/%d", rnd.IntN(65536), rnd.IntN(65536), rnd.IntN(65536), bits)
		} else {
			bits = rnd.IntN(33)
			p = fmt.Sprintf("%d.%d.%d.%d/%d", rnd.IntN(256), rnd.IntN(256), rnd.IntN(256), rnd.IntN(256), bits)
		}
		asn := fmt.Sprint(rnd.Uint32())
		if rnd.IntN(2) == 0 {
			asn = `"AS` + asn + `"`
		}
		fmt.Fprintf(&b, `{"asn": %s, "prefix": "%s", "maxLength": %d, "ta": "ta%d"}`, asn, p, bits+rnd.IntN(20), rnd.IntN(3))
	}
	b.WriteString("]}")
	parse := func(fast bool) ([]VRP, error) {
		jsonFastPath = fast
		defer func() { jsonFastPath = true }()
		s, err := ReadVRPs("r.json", strings.NewReader(b.String()))
		if err != nil {
			return nil, err
		}
		return s.VRPs, nil
	}
	// Some max lengths are out of range, so the whole file is refused: both paths must refuse
	// it with the same error; then drop the bad rows by clamping and compare the sets.
	_, errFast := parse(true)
	_, errSlow := parse(false)
	if errFast == nil || errSlow == nil || errFast.Error() != errSlow.Error() {
		t.Fatalf("errors differ: fast %v, slow %v", errFast, errSlow)
	}
	fixed := regexp.MustCompile(`"maxLength": (\d+)`).ReplaceAllString(b.String(), `"maxLength": 128`)
	fixed = regexp.MustCompile(`(\d+\.\d+\.\d+\.\d+/\d+)", "maxLength": 128`).ReplaceAllString(fixed, `$1", "maxLength": 32`)
	b.Reset()
	b.WriteString(fixed)
	fast, err := parse(true)
	if err != nil {
		t.Fatal(err)
	}
	slow, err := parse(false)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(fast, slow) {
		t.Fatal("fast and general paths disagree")
	}
	for _, v := range fast {
		if v.Prefix != v.Prefix.Masked() {
			t.Fatalf("host bits kept in %v", v)
		}
	}
}
