package mrt

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"os"
	"strings"
	"testing"
)

// seedFiles returns the raw bytes of the fixtures for seeding (gzip files are decompressed and
// cut to their first 16 KiB so that mutations reach the decoder).
func seedFiles(f *testing.F) [][]byte {
	f.Helper()
	var out [][]byte
	paths := append(goldenInputs(f), "testdata/synthetic/varied.mrt", "testdata/synthetic/random.mrt")
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		if strings.HasSuffix(p, ".gz") {
			b = readGzip(f, p)
		}
		out = append(out, b[:min(len(b), 16<<10)])
	}
	return out
}

// FuzzDump feeds arbitrary bytes to the MRT reader and formatter: it must not panic, and every
// line it prints must read back with the bgpdump text parser.
func FuzzDump(f *testing.F) {
	for _, b := range seedFiles(f) {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var out bytes.Buffer
		_, err := Dump(&out, bytes.NewReader(data))
		var fe *FormatError
		if err != nil && !errors.As(err, &fe) {
			t.Fatalf("error %v is not a *FormatError", err)
		}
		sc := bufio.NewScanner(&out)
		sc.Buffer(nil, 1<<20)
		var r Route
		for sc.Scan() {
			line := sc.Text()
			if strings.Contains(line, "...") {
				continue // AS path cut by bgpdump's buffer limit
			}
			if _, err := ParseBGPDumpLine(line, &r); err != nil && !errors.Is(err, ErrPathError) {
				t.Fatalf("printed line does not parse: %v\n%s", err, line)
			}
		}
		rr, err := NewRouteReader(bytes.NewReader(data))
		if err != nil {
			return
		}
		for {
			if _, err := rr.Next(); err != nil {
				break
			}
		}
	})
}

// FuzzParseBGPDumpLine checks the text parser never panics and that parsed AS paths print back
// to text that parses to the same path.
func FuzzParseBGPDumpLine(f *testing.F) {
	for _, in := range goldenInputs(f) {
		sc := bufio.NewScanner(bytes.NewReader(readGzip(f, in+".bgp.gz")))
		sc.Buffer(nil, 1<<20)
		for i := 0; i < 15 && sc.Scan(); i++ {
			f.Add(sc.Text())
		}
	}
	for _, s := range []string{"", "|||", "BGP4MP|x|A", "TABLE_DUMP2|1|B|1.2.3.4|1|10.0.0.0/8|1 {2,3} (4 5) [6]|IGP|1.2.3.4|0|0||NAG||",
		"BGP4MP_ET|1.000001|W|::1|1|::/0", "BGP4MP|1|STATE|1.2.3.4|1|1|2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		var r Route
		ok, err := ParseBGPDumpLine(line, &r)
		if err != nil || !ok || r.Action == ActionWithdraw {
			return
		}
		s := r.Path.String()
		p, err := ParseASPath(s)
		if err != nil {
			t.Fatalf("path %q printed as %q which does not parse: %v", line, s, err)
		}
		if p.String() != s {
			t.Fatalf("path %q round trip %q -> %q", line, s, p.String())
		}
	})
}

func TestTextReader(t *testing.T) {
	in := strings.Join([]string{
		"TABLE_DUMP2|1537344000|B|193.0.0.56|3333|2001:579:1040::/46|3333 2914 {22773,1}|IGP|::ffff:193.0.0.56|0|0|2914:410 no-export|AG|1 1.2.3.4|",
		"BGP4MP|1279829701|STATE|193.203.0.97|286|3|2",
		"",
		"BGP4MP_ET_AP|1.000007|W|2001:db8::1|65000|2001:db8::/32|5",
		"TABLE_DUMP|1|B|10.0.0.1|65000|192.0.2.0/24|65000 (1 2) [3,4]|EGP|10.0.0.1|-1294967296|5||NAG||",
		"BGP4MP|1|A|10.0.0.1|65000|192.0.2.0/24|65000 x|IGP|10.0.0.1|0|0||NAG||",
	}, "\n")
	tr := NewTextReader(strings.NewReader(in))
	r, err := tr.Next()
	if err != nil {
		t.Fatal(err)
	}
	if r.Action != ActionRIB || r.PeerAS != 3333 || r.OriginKind != OriginASSet || !r.AtomicAggregate ||
		len(r.Communities) != 2 || r.Communities[1] != 0xFFFFFF01 || r.Path.String() != "3333 2914 {22773,1}" {
		t.Errorf("first route %+v", r)
	}
	r, err = tr.Next()
	if err != nil || r.Action != ActionWithdraw || r.PathID != 5 || r.Time.Nanosecond() != 7000 || !r.AddPath {
		t.Errorf("second route %+v %v", r, err)
	}
	r, err = tr.Next()
	if err != nil || r.LocalPref != 3000000000 || r.Origin != OriginEGP || r.OriginKind != OriginLocal || r.OriginAS != 65000 {
		t.Errorf("third route %+v %v", r, err)
	}
	if _, err = tr.Next(); err == nil || !strings.Contains(err.Error(), "line 6") {
		t.Errorf("bad line: error %v, want one naming line 6", err)
	}
}

func TestTextReaderEOF(t *testing.T) {
	tr := NewTextReader(strings.NewReader("BGP4MP|1|STATE|1.2.3.4|1|1|2\n"))
	if _, err := tr.Next(); !errors.Is(err, io.EOF) {
		t.Fatalf("got %v, want io.EOF", err)
	}
}

func TestTextReaderSkipsPathErrors(t *testing.T) {
	in := "TABLE_DUMP2|1000|B|192.0.2.1|65001|10.0.0.0/8|! Error !|IGP|10.0.0.1|0|0||NAG||\n" +
		"TABLE_DUMP2|1000|B|192.0.2.1|65001|10.0.0.0/8||IGP|10.0.0.2|0|0||NAG||\n"
	tr := NewTextReader(strings.NewReader(in))
	r, err := tr.Next()
	if err != nil || r.NextHop.String() != "10.0.0.2" || tr.Skipped() != 1 {
		t.Fatalf("route %+v, err %v, skipped %d", r, err, tr.Skipped())
	}
	var rt Route
	if _, err := ParseBGPDumpLine(strings.SplitN(in, "\n", 2)[0], &rt); !errors.Is(err, ErrPathError) {
		t.Errorf("ParseBGPDumpLine error %v, want ErrPathError", err)
	}
}
