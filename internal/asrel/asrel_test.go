package asrel

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func readFile(t testing.TB, name string) *Graph {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	g, err := Read(f, name)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func TestReadFixtures(t *testing.T) {
	tests := []struct {
		file   string
		serial int
	}{
		{"20240101.as-rel2.txt", 2},
		{"20240101.as-rel2.txt.bz2", 2},
		{"20240101.as-rel.txt", 1},
		{"20240101.as-rel.txt.gz", 1},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			g := readFile(t, tt.file)
			if g.Serial != tt.serial {
				t.Errorf("Serial = %d, want %d", g.Serial, tt.serial)
			}
			if g.Len() != 32 {
				t.Errorf("Len = %d, want 32", g.Len())
			}
			if want := []uint32{174, 701, 1299, 2914, 3257, 3356}; !slices.Equal(g.Clique, want) {
				t.Errorf("Clique = %v, want %v", g.Clique, want)
			}
			if want := []uint32{6695, 8714}; !slices.Equal(g.IXPs, want) {
				t.Errorf("IXPs = %v, want %v", g.IXPs, want)
			}
			if len(g.Sources) != 2 || g.Sources[0] != "topology|BGP|20240101|ripe|rrc00" {
				t.Errorf("Sources = %q", g.Sources)
			}
			if dt, ok := g.DataTime(); !ok || dt.Format("2006-01-02") != "2024-01-01" {
				t.Errorf("DataTime = %v, %v", dt, ok)
			}
		})
	}
}

func TestRel(t *testing.T) {
	g := readFile(t, "20240101.as-rel2.txt")
	tests := []struct {
		a, b uint32
		want Rel
	}{
		{1299, 3333, P2C},
		{3333, 1299, C2P},
		{3333, 6939, P2P},
		{6939, 3333, P2P},
		{701, 396531, P2C},
		{396531, 33154, C2P},
		{3333, 15169, Unknown},
		{3333, 3333, Unknown},
		{174, 701, P2P},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d-%d", tt.a, tt.b), func(t *testing.T) {
			if got := g.Rel(tt.a, tt.b); got != tt.want {
				t.Errorf("Rel(%d, %d) = %v, want %v", tt.a, tt.b, got, tt.want)
			}
		})
	}
}

func TestNeighbours(t *testing.T) {
	g := readFile(t, "20240101.as-rel2.txt")
	tests := []struct {
		name string
		got  []uint32
		want []uint32
	}{
		{"providers of 3333", g.Providers(3333), []uint32{1299, 3356}},
		{"providers of 396531", g.Providers(396531), []uint32{701, 33154}},
		{"customers of 3356", g.Customers(3356), []uint32{3333, 33154}},
		{"peers of 13335", g.Peers(13335), []uint32{1299, 2914, 3356, 6939}},
		{"providers of 1299", g.Providers(1299), nil},
		{"cone of 3356", g.CustomerCone(3356), []uint32{3333, 3356, 33154, 396531}},
		{"cone of unknown", g.CustomerCone(64500), []uint32{64500}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !slices.Equal(tt.got, tt.want) {
				t.Errorf("got %v, want %v", tt.got, tt.want)
			}
		})
	}
}

func TestSource(t *testing.T) {
	g := readFile(t, "20240101.as-rel2.txt")
	if got := g.Source(13335, 2914); got != "mlp" {
		t.Errorf("Source(13335, 2914) = %q, want mlp", got)
	}
	if got := g.Source(1299, 3333); got != "bgp" {
		t.Errorf("Source(1299, 3333) = %q, want bgp", got)
	}
	if got := readFile(t, "20240101.as-rel.txt").Source(1299, 3333); got != "" {
		t.Errorf("serial-1 Source = %q, want empty", got)
	}
}

func TestReadErrors(t *testing.T) {
	tests := []struct {
		name, in string
		line     int
		reason   string
	}{
		{"two fields", "# c\n1|2\n", 2, "want 3 fields"},
		{"five fields", "1|2|-1|bgp|x\n", 1, "want 3 fields"},
		{"bad rel", "1|2|1\n", 1, "relationship \"1\""},
		{"not decimal", "1|AS2|-1\n", 1, "second AS: AS number \"AS2\" is not decimal"},
		{"too big", "4294967296|2|-1\n", 1, "out of the 32-bit range"},
		{"AS0", "0|2|-1\n", 1, "AS 0 is reserved"},
		{"self", "\n\n7|7|0\n", 3, "linked to itself"},
		{"mixed serials", "1|2|-1|bgp\n2|3|-1\n", 2, "serial-1 line in a serial-2 file"},
		{"empty source", "1|2|-1|\n", 1, "empty inference source"},
		{"conflict", "1|2|-1\n3|4|0\n2|1|-1\n", 3, "conflicts with the relationship given on line 1"},
		{"bad clique", "# input clique: 174 x\n", 1, "input clique"},
		{"long line", strings.Repeat("1", maxLine+10), 1, "longer than"},
		{"bad gzip", "\x1f\x8b\x00garbage", 0, "gzip"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Read(strings.NewReader(tt.in), "in.txt")
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("err = %v, want *ParseError", err)
			}
			if pe.File != "in.txt" || pe.Line != tt.line || !strings.Contains(pe.Reason, tt.reason) {
				t.Errorf("err = %v, want in.txt:%d: ...%s...", err, tt.line, tt.reason)
			}
		})
	}
}

func TestReadDuplicateSameRelation(t *testing.T) {
	g, err := Read(strings.NewReader("1|2|-1\n1|2|-1\r\n2|1|0\n"), "dup")
	if err == nil {
		t.Fatalf("conflicting duplicate accepted: %d links", g.Len())
	}
	g, err = Read(strings.NewReader("1|2|-1\n1|2|-1\r\n"), "dup")
	if err != nil || g.Len() != 1 || g.Rel(1, 2) != P2C {
		t.Fatalf("identical duplicate: g=%v err=%v", g, err)
	}
}

func TestReadTruncatedBzip2(t *testing.T) {
	f, err := os.Open("testdata/truncated.as-rel2.txt.bz2")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	_, err = Read(f, "truncated.as-rel2.txt.bz2")
	if err == nil || !strings.Contains(err.Error(), "truncated.as-rel2.txt.bz2:") {
		t.Fatalf("err = %v, want an error naming the file", err)
	}
}

func FuzzRead(f *testing.F) {
	for _, name := range []string{"20240101.as-rel2.txt", "20240101.as-rel.txt", "20240101.as-rel.txt.gz"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("1|2|-1\n2|3|0\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		g, err := Read(strings.NewReader(string(in)), "fuzz")
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error is not a *ParseError: %v", err)
			}
			return
		}
		// Every stored link must read back symmetrically.
		for key := range g.links {
			a, b := uint32(key>>32), uint32(key)
			ab, ba := g.Rel(a, b), g.Rel(b, a)
			if (ab == P2C) != (ba == C2P) || (ab == P2P) != (ba == P2P) || ab == Unknown {
				t.Fatalf("asymmetric link %d-%d: %v / %v", a, b, ab, ba)
			}
		}
	})
}

// BenchmarkRead reads a synthetic 200,000-link serial-2 file (a real one has about 500,000).
func BenchmarkRead(b *testing.B) {
	var sb strings.Builder
	for i := uint32(0); i < 200000; i++ {
		fmt.Fprintf(&sb, "%d|%d|%d|bgp\n", 1+i%5000, 10000+i, -int(i%2))
	}
	data := sb.String()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Read(strings.NewReader(data), "bench"); err != nil {
			b.Fatal(err)
		}
	}
}

func TestParseErrorText(t *testing.T) {
	tests := []struct {
		err  ParseError
		want string
	}{
		{ParseError{File: "a.txt", Line: 3, Reason: "bad"}, "a.txt:3: bad"},
		{ParseError{File: "a.txt.gz", Reason: "gzip: invalid header"}, "a.txt.gz: gzip: invalid header"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := tt.err.Error(); got != tt.want {
				t.Errorf("Error() = %q, want %q", got, tt.want)
			}
		})
	}
}
