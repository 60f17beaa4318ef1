package rpki

import "slices"

// ASPAState is the outcome of ASPA AS_PATH verification.
type ASPAState uint8

// ASPA verification outcomes (draft-ietf-sidrops-aspa-verification).
const (
	ASPAUnknown ASPAState = iota
	ASPAValid
	ASPAInvalid
)

// String returns "unknown", "valid" or "invalid".
func (s ASPAState) String() string {
	switch s {
	case ASPAValid:
		return "valid"
	case ASPAInvalid:
		return "invalid"
	}
	return "unknown"
}

// Direction says where a route was received from.
type Direction uint8

// Directions: Upstream for routes from a customer, lateral peer or route-server client;
// Downstream for routes from a provider.
const (
	Upstream Direction = iota
	Downstream
)

// Hop is the result of the hop check function hop(AS(i), AS(j)).
type Hop uint8

// Hop check results.
const (
	NoAttestation   Hop = iota // no ASPA for the customer AS
	ProviderPlus               // the provider AS is in the customer's provider set
	NotProviderPlus            // the customer has an ASPA without that provider (or only AS0)
)

// Segment is one AS_PATH segment, in the order of the BGP attribute.
type Segment struct {
	Set  bool // AS_SET (or AS_CONFED_SET) rather than a sequence
	ASNs []uint32
}

// ASPAIndex maps a customer AS to its sorted provider set.
type ASPAIndex map[uint32][]uint32

// NewASPAIndex builds an index from ASPAs; entries of the same customer are merged.
func NewASPAIndex(aspas []ASPA) ASPAIndex {
	idx := ASPAIndex{}
	for _, a := range mergeASPAs(slices.Clone(aspas)) {
		idx[a.Customer] = a.Providers
	}
	return idx
}

// ASPA returns the table's ASPA index.
func (t *Table) ASPA() ASPAIndex { return t.aspa }

// Hop returns hop(customer, provider). A provider set of only AS0 authorises no provider.
func (x ASPAIndex) Hop(customer, provider uint32) Hop {
	ps, ok := x[customer]
	if !ok {
		return NoAttestation
	}
	if _, found := slices.BinarySearch(ps, provider); found && provider != 0 {
		return ProviderPlus
	}
	return NotProviderPlus
}

// Verify runs ASPA verification on an AS_PATH given as BGP segments (neighbor first, origin
// last) for a route received in direction dir. An AS_SET anywhere and an empty path make the
// path invalid; prepends are collapsed.
func (x ASPAIndex) Verify(path []Segment, dir Direction) ASPAState {
	var seq []uint32 // seq[0] = AS(1), the origin
	for i := len(path) - 1; i >= 0; i-- {
		if path[i].Set {
			return ASPAInvalid
		}
		for j := len(path[i].ASNs) - 1; j >= 0; j-- {
			a := path[i].ASNs[j]
			if n := len(seq); n == 0 || seq[n-1] != a {
				seq = append(seq, a)
			}
		}
	}
	if len(seq) == 0 {
		// The verification procedure halts with Invalid on an empty AS_PATH: a route received
		// over eBGP always carries at least the neighbour's AS.
		return ASPAInvalid
	}
	if dir == Downstream {
		return x.downstream(seq)
	}
	return x.upstream(seq)
}

// VerifySequence is Verify for a path without AS_SETs, neighbor first and origin last.
func (x ASPAIndex) VerifySequence(path []uint32, dir Direction) ASPAState {
	return x.Verify([]Segment{{ASNs: path}}, dir)
}

// up returns hop(AS(i-1), AS(i)) with 1-based i over seq (seq[0] = AS(1)).
func (x ASPAIndex) up(seq []uint32, i int) Hop { return x.Hop(seq[i-2], seq[i-1]) }

// down returns hop(AS(j+1), AS(j)).
func (x ASPAIndex) down(seq []uint32, j int) Hop { return x.Hop(seq[j], seq[j-1]) }

func (x ASPAIndex) upstream(seq []uint32) ASPAState {
	n := len(seq)
	if n <= 1 {
		return ASPAValid
	}
	unknown := false
	for i := 2; i <= n; i++ {
		switch x.up(seq, i) {
		case NotProviderPlus:
			return ASPAInvalid
		case NoAttestation:
			unknown = true
		}
	}
	if unknown {
		return ASPAUnknown
	}
	return ASPAValid
}

func (x ASPAIndex) downstream(seq []uint32) ASPAState {
	n := len(seq)
	if n <= 2 {
		return ASPAValid
	}
	uMin := n + 1
	for u := 2; u <= n; u++ {
		if x.up(seq, u) == NotProviderPlus {
			uMin = u
			break
		}
	}
	vMax := 0
	for v := n - 1; v >= 1; v-- {
		if x.down(seq, v) == NotProviderPlus {
			vMax = v
			break
		}
	}
	if uMin <= vMax {
		return ASPAInvalid
	}
	k := n // end of the longest all-Provider+ up-ramp from the origin
	for i := 2; i <= n; i++ {
		if x.up(seq, i) != ProviderPlus {
			k = i - 1
			break
		}
	}
	l := 1 // start of the longest all-Provider+ down-ramp from the neighbor
	for j := n - 1; j >= 1; j-- {
		if x.down(seq, j) != ProviderPlus {
			l = j + 1
			break
		}
	}
	if l-k <= 1 {
		return ASPAValid
	}
	return ASPAUnknown
}
