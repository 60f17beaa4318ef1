package rpki

import "testing"

// aspaIdx builds an index from customer -> providers pairs.
func aspaIdx(m map[uint32][]uint32) ASPAIndex {
	var as []ASPA
	for c, p := range m {
		as = append(as, ASPA{Customer: c, Providers: p})
	}
	return NewASPAIndex(as)
}

// TestASPAVectors replays the unit tests of APNIC-net/rpki-aspa-verification-demo src/lib.rs
// (draft-ietf-sidrops-aspa-verification-17 upstream and downstream algorithms). Paths are
// written as in BGP: neighbor first, origin last.
func TestASPAVectors(t *testing.T) {
	set := []Segment{{ASNs: []uint32{1}}, {Set: true, ASNs: []uint32{2}}}
	tests := []struct {
		name  string
		aspas map[uint32][]uint32
		path  []Segment
		dir   Direction
		want  ASPAState
	}{
		{"upstream single element", nil, seq(1), Upstream, ASPAValid},
		// Issue 12 item 8: the procedure halts with Invalid on an empty AS_PATH.
		{"upstream empty path", nil, nil, Upstream, ASPAInvalid},
		{"downstream empty path", map[uint32][]uint32{1: {2}}, nil, Downstream, ASPAInvalid},
		{"empty sequence segment", nil, []Segment{{}}, Downstream, ASPAInvalid},
		{"upstream no aspas", nil, seq(3, 2, 1), Upstream, ASPAUnknown},
		{"upstream set invalid", nil, set, Upstream, ASPAInvalid},
		{"upstream valid", map[uint32][]uint32{1: {2}, 2: {3}}, seq(3, 2, 1), Upstream, ASPAValid},
		{"upstream invalid", map[uint32][]uint32{1: {3}, 2: {3}}, seq(3, 2, 1), Upstream, ASPAInvalid},
		{"upstream AS0", map[uint32][]uint32{1: {0}}, seq(2, 1), Upstream, ASPAInvalid},
		{"downstream single element", nil, seq(1), Downstream, ASPAValid},
		{"downstream two elements", nil, seq(2, 1), Downstream, ASPAValid},
		{"downstream no aspas", nil, seq(3, 2, 1), Downstream, ASPAUnknown},
		{"downstream set invalid", nil, set, Downstream, ASPAInvalid},
		{"downstream 3, origin has aspa", map[uint32][]uint32{1: {2}}, seq(3, 2, 1), Downstream, ASPAValid},
		{"downstream 3, neighbour has aspa", map[uint32][]uint32{3: {2}}, seq(3, 2, 1), Downstream, ASPAValid},
		{"downstream 3, both have aspa", map[uint32][]uint32{1: {2}, 3: {2}}, seq(3, 2, 1), Downstream, ASPAValid},
		{"downstream 3, all have aspa", map[uint32][]uint32{1: {2}, 2: {0}, 3: {2}}, seq(3, 2, 1), Downstream, ASPAValid},
		{"downstream 3, aspa without provider", map[uint32][]uint32{1: {4}, 3: {2}}, seq(3, 2, 1), Downstream, ASPAValid},
		{"downstream 3, not enough aspas", map[uint32][]uint32{1: {4}}, seq(3, 2, 1), Downstream, ASPAUnknown},
		{"downstream 3, leak", map[uint32][]uint32{1: {4}, 3: {5}}, seq(3, 2, 1), Downstream, ASPAInvalid},
		{"downstream multiple apexes", map[uint32][]uint32{1: {2}, 2: {0}, 3: {2, 4}, 4: {0}}, seq(4, 3, 2, 1), Downstream, ASPAInvalid},
		// Additional cases from the draft's text.
		{"prepends collapse", map[uint32][]uint32{1: {2}, 2: {3}}, seq(3, 3, 2, 2, 2, 1, 1), Upstream, ASPAValid},
		{"downstream all up-ramp", map[uint32][]uint32{1: {2}, 2: {3}}, seq(3, 2, 1), Downstream, ASPAValid},
		{"upstream unknown then invalid", map[uint32][]uint32{2: {9}}, seq(3, 2, 1), Upstream, ASPAInvalid},
		// Constructed here: a five-hop path with an attested up-ramp A->C->F, a gap at F->G and
		// an attested G->F down-ramp hop: K=3, L=5, so Unknown (not Invalid: u_min 5 > v_max 1).
		{"downstream five hops with a gap", map[uint32][]uint32{10: {30}, 30: {60}, 70: {60}}, seq(50, 70, 60, 30, 10), Downstream, ASPAUnknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := aspaIdx(tt.aspas).Verify(tt.path, tt.dir); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func seq(asns ...uint32) []Segment { return []Segment{{ASNs: asns}} }

func TestASPAHop(t *testing.T) {
	x := aspaIdx(map[uint32][]uint32{1: {2, 3}, 4: {0}})
	cases := []struct {
		c, p uint32
		want Hop
	}{{1, 2, ProviderPlus}, {1, 3, ProviderPlus}, {1, 4, NotProviderPlus}, {4, 0, NotProviderPlus}, {4, 5, NotProviderPlus}, {5, 1, NoAttestation}}
	for _, c := range cases {
		if got := x.Hop(c.c, c.p); got != c.want {
			t.Errorf("hop(%d,%d) = %v, want %v", c.c, c.p, got, c.want)
		}
	}
	if got := x.VerifySequence([]uint32{2, 1}, Upstream); got != ASPAValid {
		t.Errorf("VerifySequence: %v", got)
	}
}
