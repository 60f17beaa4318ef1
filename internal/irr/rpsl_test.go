package irr

import (
	"errors"
	"os"
	"strings"
	"testing"
)

func scanAll(t testing.TB, r *Scanner) []*Object {
	t.Helper()
	var out []*Object
	for r.Scan() {
		out = append(out, r.Object())
	}
	return out
}

func TestScannerWhoisOutput(t *testing.T) {
	f, err := os.Open("testdata/fltr-martian-v6.rpsl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := NewScanner(f, "fltr-martian-v6.rpsl")
	objs := scanAll(t, sc)
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	var classes []string
	for _, o := range objs {
		classes = append(classes, o.Class)
	}
	if got := strings.Join(classes, ","); got != "filter-set,organisation,person" {
		t.Fatalf("classes = %s", got)
	}
	fs := objs[0]
	if fs.Key != "fltr-martian-v6" || fs.Line != 12 {
		t.Errorf("key/line = %q/%d, want fltr-martian-v6/12", fs.Key, fs.Line)
	}
	filter := fs.Get("mp-filter")
	if !strings.HasPrefix(filter, "{ 0000::/8^+, 0200::/7^+, 2001::/32^-,") || !strings.HasSuffix(filter, "ff00::/8^+ }") {
		t.Errorf("mp-filter = %q", filter)
	}
	if strings.Contains(filter, "#") || strings.Contains(filter, "RFC") {
		t.Errorf("comments kept in %q", filter)
	}
	if n := len(fs.All("mnt-by")); n != 2 {
		t.Errorf("mnt-by count = %d, want 2", n)
	}
	if got := fs.Get("source"); got != "RIPE" {
		t.Errorf("source = %q (comment not stripped?)", got)
	}
}

func TestScannerContinuations(t *testing.T) {
	in := "as-set: AS-A\r\nmembers: AS1,\r\n  AS2\r\n+\r\n\tAS3\r\nSOURCE: x\r\n\r\n\r\n% note\r\n# comment\r\nroute: 10.0.0.0/8\n"
	sc := NewScanner(strings.NewReader(in), "crlf")
	objs := scanAll(t, sc)
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(objs) != 2 {
		t.Fatalf("got %d objects, want 2", len(objs))
	}
	if got := objs[0].Get("members"); got != "AS1, AS2 AS3" {
		t.Errorf("members = %q", got)
	}
	if got := objs[0].Get("source"); got != "x" {
		t.Errorf("attribute names must be case-insensitive: source = %q", got)
	}
	if objs[1].Class != "route" || objs[1].Line != 11 {
		t.Errorf("second object = %s at line %d, want route at 11", objs[1].Class, objs[1].Line)
	}
}

func TestScannerErrors(t *testing.T) {
	tests := []struct {
		name, in string
		line     int
		reason   string
	}{
		{"continuation first", "  AS1\n", 1, "continuation line outside an object"},
		{"continuation after blank", "route: 10.0.0.0/8\n\n+ more\n", 3, "continuation line outside"},
		{"no colon", "route: 10.0.0.0/8\norigin AS1\n", 2, "expected \"attribute: value\""},
		{"bad name", "route: 10.0.0.0/8\nor igin: AS1\n", 2, "expected"},
		{"digit first", "1route: x\n", 1, "expected"},
		{"too long", "descr: " + strings.Repeat("x", maxLine) + "\n", 1, "longer than"},
		{"bad gzip header", "\x1f\x8b\x08\x00", 0, "gzip"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc := NewScanner(strings.NewReader(tt.in), "in.db")
			scanAll(t, sc)
			var pe *ParseError
			if !errors.As(sc.Err(), &pe) {
				t.Fatalf("err = %v, want *ParseError", sc.Err())
			}
			if pe.File != "in.db" || pe.Line != tt.line || !strings.Contains(pe.Reason, tt.reason) {
				t.Errorf("err = %v, want in.db:%d: …%s…", pe, tt.line, tt.reason)
			}
		})
	}
}

func TestScannerTruncatedGzip(t *testing.T) {
	f, err := os.Open("testdata/truncated.db.gz")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := NewScanner(f, "truncated.db.gz")
	scanAll(t, sc)
	if err := sc.Err(); err == nil || !strings.Contains(err.Error(), "truncated.db.gz:") ||
		!strings.Contains(err.Error(), "unexpected EOF") {
		t.Fatalf("err = %v, want truncated.db.gz:N: reading: unexpected EOF", err)
	}
}

func TestScannerOnly(t *testing.T) {
	in := "person: A Person\naddress: x\n  y\nnic-hdl: DUMY-RIPE\n\nroute: 10.0.0.0/8\norigin: AS1\n\n" +
		"inetnum: 10.0.0.0 - 10.255.255.255\nbad line\n"
	sc := NewScanner(strings.NewReader(in), "only.db")
	sc.Only("route")
	objs := scanAll(t, sc)
	if len(objs) != 2 || objs[0].Class != "person" || len(objs[0].Attrs) != 1 || objs[0].Key != "A Person" {
		t.Fatalf("objects = %+v", objs)
	}
	if objs[1].Class != "route" || objs[1].Get("origin") != "AS1" {
		t.Errorf("route = %+v", objs[1])
	}
	var pe *ParseError
	if !errors.As(sc.Err(), &pe) || pe.Line != 10 {
		t.Errorf("err = %v, want a syntax error on line 10 inside a skipped object", sc.Err())
	}
}
