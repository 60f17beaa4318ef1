package asrel

import (
	"slices"
	"strings"
	"testing"
)

func TestCheckPath(t *testing.T) {
	g := readFile(t, "20240101.as-rel2.txt")
	tests := []struct {
		name      string
		path      []uint32 // collector side first, origin last
		status    PathStatus
		leaks     []Leak
		undecided []uint32
		missing   int
	}{
		{name: "peer then down", path: []uint32{3333, 1299, 13335}, status: PathValleyFree},
		{name: "up, peer, down", path: []uint32{12654, 1299, 3356, 3333}, status: PathValleyFree},
		{name: "prepends collapsed", path: []uint32{3333, 3333, 1299, 1299, 13335, 13335, 13335},
			status: PathValleyFree},
		{name: "origin only", path: []uint32{13335}, status: PathValleyFree},
		{name: "empty", path: nil, status: PathValleyFree},
		{name: "2019 leak: customer passes provider route to other provider",
			path:   []uint32{701, 396531, 33154, 3356, 13335},
			status: PathLeak,
			leaks: []Leak{{Leaker: 396531, From: 33154, To: 701, Received: C2P, Sent: C2P,
				Type: 1, Index: 1}}},
		{name: "leaked route propagated onwards",
			path:   []uint32{12654, 1299, 701, 396531, 33154, 3356, 13335},
			status: PathLeak,
			leaks: []Leak{{Leaker: 396531, From: 33154, To: 701, Received: C2P, Sent: C2P,
				Type: 1, Index: 3}}},
		{name: "provider route to a peer",
			path:   []uint32{6939, 3333, 1299, 12654},
			status: PathLeak,
			leaks: []Leak{{Leaker: 3333, From: 1299, To: 6939, Received: C2P, Sent: P2P,
				Type: 3, Index: 1}}},
		{name: "peer route to a provider",
			path:   []uint32{2914, 4713, 15169},
			status: PathLeak,
			leaks: []Leak{{Leaker: 4713, From: 15169, To: 2914, Received: P2P, Sent: C2P,
				Type: 4, Index: 1}}},
		{name: "lateral leak, then leaked again",
			path:   []uint32{1299, 3333, 6939, 13335},
			status: PathLeak,
			leaks: []Leak{
				{Leaker: 6939, From: 13335, To: 3333, Received: P2P, Sent: P2P, Type: 2, Index: 2},
				{Leaker: 3333, From: 6939, To: 1299, Received: P2P, Sent: C2P, Type: 4, Index: 1},
			}},
		{name: "unknown link before a climb is undecided",
			path: []uint32{1299, 3333, 64500}, status: PathUnknown, undecided: []uint32{3333}, missing: 1},
		{name: "two unknown links", path: []uint32{3333, 64500, 13335}, status: PathUnknown,
			undecided: []uint32{64500}, missing: 2},
		{name: "unknown link then down is still valley-free",
			path: []uint32{3333, 1299, 64500}, status: PathValleyFree, missing: 1},
		{name: "unknown link after the leak does not hide it",
			path:   []uint32{64500, 701, 396531, 33154},
			status: PathLeak, missing: 1,
			leaks: []Leak{{Leaker: 396531, From: 33154, To: 701, Received: C2P, Sent: C2P,
				Type: 1, Index: 2}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := g.CheckPath(tt.path)
			if got.Status != tt.status {
				t.Errorf("Status = %s, want %s (%+v)", got.Status, tt.status, got)
			}
			if !slices.Equal(got.Leaks, tt.leaks) {
				t.Errorf("Leaks = %+v, want %+v", got.Leaks, tt.leaks)
			}
			if !slices.Equal(got.Undecided, tt.undecided) {
				t.Errorf("Undecided = %v, want %v", got.Undecided, tt.undecided)
			}
			if len(got.Missing) != tt.missing {
				t.Errorf("Missing = %v, want %d links", got.Missing, tt.missing)
			}
			for _, l := range tt.leaks {
				if !got.Leaked(l.Leaker) {
					t.Errorf("Leaked(%d) = false", l.Leaker)
				}
			}
		})
	}
}

func TestCliqueImpliesPeering(t *testing.T) {
	g, err := Read(strings.NewReader("# input clique: 10 20\n10|30|-1\n20|40|-1\n"), "clique")
	if err != nil {
		t.Fatal(err)
	}
	if got := g.Rel(10, 20); got != P2P {
		t.Fatalf("Rel(10, 20) = %v, want p2p from the clique header", got)
	}
	got := g.CheckPath([]uint32{40, 20, 10, 30})
	if got.Status != PathValleyFree {
		t.Fatalf("path across the clique = %+v, want valley-free", got)
	}
}

func BenchmarkCheckPath(b *testing.B) {
	g := readFile(b, "20240101.as-rel2.txt")
	path := []uint32{12654, 1299, 701, 396531, 33154, 3356, 13335}
	b.ReportAllocs()
	for b.Loop() {
		if g.CheckPath(path).Status != PathLeak {
			b.Fatal("want leak")
		}
	}
}

// relMap is a hand-written Relations for CheckPath without a CAIDA file.
type relMap map[[2]uint32]Rel

func (m relMap) Rel(a, b uint32) Rel {
	if r, ok := m[[2]uint32{a, b}]; ok {
		return r
	}
	switch m[[2]uint32{b, a}] {
	case P2C:
		return C2P
	case C2P:
		return P2C
	case P2P:
		return P2P
	}
	return Unknown
}

func TestCheckPathOtherRelations(t *testing.T) {
	rels := relMap{{10, 20}: P2C, {30, 20}: P2C} // 20 is a customer of both 10 and 30
	got := CheckPath(rels, []uint32{30, 20, 10, 99})
	if got.Status != PathLeak || len(got.Leaks) != 1 || got.Leaks[0].Leaker != 20 || got.Leaks[0].Type != 1 {
		t.Fatalf("CheckPath = %+v, want AS20 hairpin leak", got)
	}
}

func FuzzCheckPath(f *testing.F) {
	g := readFile(f, "20240101.as-rel2.txt")
	asns := []uint32{174, 701, 1299, 2914, 3257, 3356, 3333, 33154, 396531, 12654, 4713, 13335, 6939, 3320, 15169, 64500}
	f.Add([]byte{1, 8, 7, 5, 11})        // 701 396531 33154 3356 13335
	f.Add([]byte{2, 6, 12, 11})          // 1299 3333 6939 13335
	f.Add([]byte{6, 6, 2, 2, 11, 11})    // prepends
	f.Add([]byte{15, 1, 8, 7, 15, 0, 4}) // unknown links
	f.Fuzz(func(t *testing.T, in []byte) {
		path := make([]uint32, len(in))
		for i, b := range in {
			path[i] = asns[int(b)%len(asns)]
		}
		got := g.CheckPath(path)
		if (got.Status == PathLeak) != (len(got.Leaks) > 0) {
			t.Fatalf("status %s with %d leaks", got.Status, len(got.Leaks))
		}
		if got.Status == PathUnknown && len(got.Undecided) == 0 {
			t.Fatalf("unknown without undecided hops: %+v", got)
		}
		for _, l := range got.Leaks {
			if l.Type < 1 || l.Type > 4 || path[l.Index] != l.Leaker {
				t.Fatalf("bad leak %+v in %v", l, path)
			}
		}
		for _, a := range got.Undecided {
			if !slices.Contains(path, a) {
				t.Fatalf("undecided AS%d not in %v", a, path)
			}
		}
	})
}

// orgRels is a small Relations for table tests: "a>b" means a is a provider of b, "a=b" peers,
// "a~b" siblings.
type orgRels map[[2]uint32]Rel

func (m orgRels) Rel(a, b uint32) Rel { return m[[2]uint32{a, b}] }

func newRelMap(links ...string) orgRels {
	m := orgRels{}
	for _, l := range links {
		var a, b uint32
		var op rune
		for i, c := range l {
			if c == '>' || c == '=' || c == '~' {
				op = c
				a = parseU(l[:i])
				b = parseU(l[i+1:])
			}
		}
		switch op {
		case '>':
			m[[2]uint32{a, b}], m[[2]uint32{b, a}] = P2C, C2P
		case '=':
			m[[2]uint32{a, b}], m[[2]uint32{b, a}] = P2P, P2P
		case '~':
			m[[2]uint32{a, b}], m[[2]uint32{b, a}] = S2S, S2S
		}
	}
	return m
}

func parseU(s string) uint32 {
	var n uint32
	for _, c := range s {
		n = n*10 + uint32(c-'0')
	}
	return n
}

// TestCheckPathSiblings: issue 12 item 10 — a link between two ASNs of one organisation is not
// a leak, but the organisation as a whole can still leak.
func TestCheckPathSiblings(t *testing.T) {
	tests := []struct {
		name   string
		rels   orgRels
		path   []uint32
		status PathStatus
		leaker uint32
		from   uint32
	}{
		// CAIDA infers the sibling link 10→20 as provider→customer; read as such, 20 "leaks" the
		// customer route of 10 to its provider 30.
		{"sibling link read as p2c leaks", newRelMap("10>20", "30>20", "10>1"), []uint32{30, 20, 10, 1}, PathLeak, 20, 10},
		{"sibling link is not a leak", newRelMap("10~20", "30>20", "10>1"), []uint32{30, 20, 10, 1}, PathValleyFree, 0, 0},
		// The organisation received the route from its provider 40 (at 10) and sent it to its
		// provider 30 (from 20): a leak, blamed on the sender, received from 40.
		{"organisation passes provider route up", newRelMap("10~20", "30>20", "40>10", "40>1"), []uint32{30, 20, 10, 40, 1}, PathLeak, 20, 40},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := CheckPath(tc.rels, tc.path)
			if got.Status != tc.status {
				t.Fatalf("status %s, want %s (%+v)", got.Status, tc.status, got)
			}
			if tc.leaker != 0 && (len(got.Leaks) != 1 || got.Leaks[0].Leaker != tc.leaker || got.Leaks[0].From != tc.from || got.Leaks[0].Type != 1) {
				t.Errorf("leaks %+v, want leaker %d from %d type 1", got.Leaks, tc.leaker, tc.from)
			}
		})
	}
}
