package rpki

import (
	"errors"
	"strings"
	"testing"
)

func TestReadRoutes(t *testing.T) {
	in := "# comment\n\n192.0.2.0/24 AS64500\n  198.51.100.7/24\t64501  # host bits, tab\n2001:DB8::/32 as4200000000\r\n203.0.113.0/24 {64500,64501}\n10.0.0.0/8 NONE\n"
	routes, err := ReadRoutes("r.txt", strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"192.0.2.0/24 AS64500", "198.51.100.0/24 AS64501", "2001:db8::/32 AS4200000000", "203.0.113.0/24 NONE", "10.0.0.0/8 NONE"}
	if len(routes) != len(want) {
		t.Fatalf("%d routes, want %d", len(routes), len(want))
	}
	for i, r := range routes {
		if got := r.Prefix.String() + " " + r.OriginString(); got != want[i] {
			t.Errorf("route %d: %q, want %q", i, got, want[i])
		}
	}
}

func TestReadRoutesMalformed(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"bad prefix", "192.0.2.0/24 1\n192.0.2.0/33 1\n", "r.txt:2: bad prefix"},
		{"no origin", "\n\n192.0.2.0/24\n", "r.txt:3: missing origin AS"},
		{"extra field", "192.0.2.0/24 1 2\n", `r.txt:1: unexpected field "2"`},
		{"bad asn", "192.0.2.0/24 AS-FOO\n", `r.txt:1: bad AS number "AS-FOO"`},
		{"asn range", "192.0.2.0/24 4294967296\n", "r.txt:1: AS number \"4294967296\" out of range"},
		{"bad set", "192.0.2.0/24 {1,x}\n", "r.txt:1: bad AS_SET"},
		{"leading zero", "192.0.02.0/24 1\n", "r.txt:1: bad prefix"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadRoutes("r.txt", strings.NewReader(tt.in))
			var pe *ParseError
			if !errors.As(err, &pe) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want *ParseError containing %q", err, tt.want)
			}
		})
	}
}

// TestParseRoutesChunked checks line numbers when a large input is split across goroutines.
func TestParseRoutesChunked(t *testing.T) {
	var b strings.Builder
	for i := 0; i < 200000; i++ {
		b.WriteString("10.0.0.0/8 AS1\n")
	}
	b.WriteString("10.0.0.0/8 AS1 junk\n")
	_, err := ParseRoutes("big.txt", []byte(b.String()))
	if err == nil || !strings.HasPrefix(err.Error(), "big.txt:200001:") {
		t.Fatalf("error %v, want big.txt:200001", err)
	}
	routes, err := ParseRoutes("big.txt", []byte(strings.Repeat("10.0.0.0/8 AS1\n", 200000)))
	if err != nil || len(routes) != 200000 {
		t.Fatalf("%d routes, err %v", len(routes), err)
	}
}

func FuzzReadRoutes(f *testing.F) {
	f.Add("192.0.2.0/24 AS64500\n2001:db8::/32 64501 # c\n\n10.0.0.0/8 {1,2}\n")
	f.Add("1.2.3.4/32 NONE")
	f.Fuzz(func(t *testing.T, s string) {
		routes, err := ReadRoutes("fuzz", strings.NewReader(s))
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Line < 1 {
				t.Fatalf("error %v is not a located *ParseError", err)
			}
			return
		}
		for _, r := range routes {
			if !r.Prefix.IsValid() || r.Prefix != r.Prefix.Masked() {
				t.Fatalf("bad route %v", r)
			}
		}
	})
}
