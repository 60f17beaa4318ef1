package bogon

import (
	"errors"
	"net/netip"
	"os"
	"strings"
	"testing"
)

func readListFile(t testing.TB, name string) *Set {
	t.Helper()
	f, err := os.Open("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s, err := ReadList(f, name)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestReadListFiles(t *testing.T) {
	tests := []struct {
		file   string
		ranges int
		bogon  []string
		clean  []string
		reason string // expected reason for bogon[0]
	}{
		{file: "fltr-martian-v6.list", ranges: 11,
			bogon:  []string{"2001:db8::/48", "2001::/33", "fe80::/10"},
			clean:  []string{"2001::/32", "2002::/16", "2a00::/12"},
			reason: "NON-ROUTABLE range to be used for documentation purpose [RFC3849]"},
		{file: "fltr-martian-v6.rpsl", ranges: 11,
			bogon: []string{"2001:db8::/48"}, clean: []string{"2001::/32"},
			reason: "filter-set fltr-martian-v6"},
		{file: "fltr-unallocated-v6.list", ranges: 15,
			bogon: []string{"3000::/4"}, clean: []string{"3000::/8"}, reason: "IANA Reserved"},
		{file: "fltr-iana-allocated-v6.rpsl", ranges: 37,
			bogon: []string{"2001:600::/32"}, clean: []string{"2001:600::/49", "2001:600::/22"},
			reason: "filter-set fltr-iana-allocated-v6"},
		{file: "fltr-bogons-v6.rpsl.gz", ranges: 57590,
			bogon: []string{"2001:1::/48", "::/3"}, clean: []string{"2001:67c:2e8::/48"},
			reason: "filter-set fltr-bogons-v6"},
		{file: "fullbogons-ipv4-excerpt.txt", ranges: 6,
			bogon: []string{"2.56.168.0/22"}, clean: []string{"2.56.168.0/23", "193.0.0.0/21"},
			reason: "listed in fullbogons-ipv4-excerpt.txt"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			s := readListFile(t, tt.file)
			if s.Len() != tt.ranges {
				t.Errorf("Len = %d, want %d", s.Len(), tt.ranges)
			}
			for i, p := range tt.bogon {
				reason, ok := s.IsBogonPrefix(netip.MustParsePrefix(p))
				if !ok {
					t.Errorf("%s not listed", p)
				}
				if i == 0 && !strings.HasSuffix(reason, tt.reason) {
					t.Errorf("reason = %q, want …%s", reason, tt.reason)
				}
			}
			for _, p := range tt.clean {
				if reason, ok := s.IsBogonPrefix(netip.MustParsePrefix(p)); ok {
					t.Errorf("%s listed: %s", p, reason)
				}
			}
		})
	}
}

func TestReadListErrors(t *testing.T) {
	tests := []struct {
		name, in string
		line     int
		reason   string
	}{
		{"bad prefix", "# x\n10.0.0.0/8\n10.0.0/8\n", 3, "bad prefix"},
		{"host bits", "2001:db8::1/32^+, # doc\n", 1, "host bits"},
		{"second item", "10.0.0.0/8, 300.0.0.0/8\n", 1, "bad prefix"},
		{"bad operator", "10.0.0.0/8^40\n", 1, "not in 0..32"},
		{"no filter-set", "% whois\n\nroute: 10.0.0.0/8\norigin: AS1\n", 4, "no filter-set"},
		{"filter expression", "filter-set: fltr-x\nfilter: AS-FOO AND { 10.0.0.0/8 }\n", 2,
			"only prefix-set literals"},
		{"bad item in filter", "filter-set: fltr-x\nmp-filter: {\n  2001:db8::/32^+,\n  fe80::/10^200\n  }\n", 2,
			"mp-filter: item 2"},
		{"empty item", "filter-set: fltr-x\nfilter: { 10.0.0.0/8,, 11.0.0.0/8 }\n", 2, "empty item 2"},
		{"rpsl syntax", "filter-set: fltr-x\n  \nbad line\n", 3, "expected \"attribute: value\""},
		{"bad gzip", "\x1f\x8b\x08\x00\x00", 0, "gzip"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadList(strings.NewReader(tt.in), "in.list")
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("err = %v, want *ParseError", err)
			}
			if pe.File != "in.list" || pe.Line != tt.line || !strings.Contains(pe.Reason, tt.reason) {
				t.Errorf("err = %v, want in.list:%d: …%s…", pe, tt.line, tt.reason)
			}
		})
	}
}

func TestReadListEmptyFilter(t *testing.T) {
	s, err := ReadList(strings.NewReader("filter-set: fltr-empty\nfilter: { }\n"), "empty")
	if err != nil || s.Len() != 0 {
		t.Fatalf("empty filter-set: %v, %v", s, err)
	}
}

func FuzzReadList(f *testing.F) {
	for _, name := range []string{"fltr-martian-v6.list", "fltr-martian-v6.rpsl", "fullbogons-ipv4-excerpt.txt"} {
		b, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		s, err := ReadList(strings.NewReader(string(in)), "fuzz")
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error is not a *ParseError: %v", err)
			}
			return
		}
		// Each listed range must match its own base prefix at its lower bound.
		for _, ranges := range s.byPrefix {
			for _, r := range ranges {
				p, _ := r.Prefix.Addr().Prefix(r.Min)
				if _, ok := s.IsBogonPrefix(p); !ok {
					t.Fatalf("%s does not match %s", r, p)
				}
			}
		}
	})
}

func FuzzParseRange(f *testing.F) {
	for _, s := range []string{"10.0.0.0/8^+", "2001::/32^-", "2001:0A00::/23^16-48", "::/0^0", "1.2.3.0/24^24"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseRange(s)
		if err != nil {
			return
		}
		if r.Min < r.Prefix.Bits() || r.Max < r.Min || r.Max > r.Prefix.Addr().BitLen() {
			t.Fatalf("%q gave invalid range %d..%d for %s", s, r.Min, r.Max, r.Prefix)
		}
		back, err := ParseRange(r.String())
		if err != nil || back != r {
			t.Fatalf("%q → %q → %+v, %v", s, r.String(), back, err)
		}
	})
}

func BenchmarkReadList(b *testing.B) {
	data, err := os.ReadFile("testdata/fltr-bogons-v6.rpsl.gz")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ReadList(strings.NewReader(string(data)), "bench"); err != nil {
			b.Fatal(err)
		}
	}
}
