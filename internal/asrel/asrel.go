// Package asrel reads CAIDA AS-relationship files (serial-1 and serial-2) into a Graph that
// answers provider/customer/peer questions, and checks AS paths for valley-free violations
// (route leaks, RFC 7908) with those relationships.
//
// File format (CAIDA as-relationships README, serial-1 and serial-2):
//
//	# input clique: 174 209 286 ...
//	# IXP ASes: 1200 4635 ...
//	<provider-as>|<customer-as>|-1
//	<peer-as>|<peer-as>|0
//	<provider-as>|<customer-as>|-1|<source>     (serial-2 adds the inference source)
package asrel

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Rel is the business relationship of one AS towards another, read as "A is <Rel> of B".
type Rel int8

// Relationships. P2C means A is a provider of B, C2P means A is a customer of B.
const (
	Unknown Rel = iota // no relationship known for the pair
	P2C                // A is a provider of B
	C2P                // A is a customer of B
	P2P                // A and B are peers
	// S2S means A and B belong to one organisation (siblings). CAIDA's as-rel files do not say
	// it; it comes from organisation data (as2org, PeeringDB) through a Relations wrapper.
	S2S
)

// String returns "p2c", "c2p", "p2p" or "unknown".
func (r Rel) String() string {
	switch r {
	case P2C:
		return "p2c"
	case C2P:
		return "c2p"
	case P2P:
		return "p2p"
	case S2S:
		return "s2s"
	}
	return "unknown"
}

// link is one stored relationship. dir is +1 when the lower ASN of the pair is the provider,
// -1 when the higher ASN is the provider and 0 for peers.
type link struct {
	dir  int8
	src  uint8  // index into Graph.sources; 0 = none (serial-1)
	line uint32 // line of the file that gave the link, for conflict reports
}

// Graph holds the AS relationships of one as-rel file. It is read-only after Read and safe for
// concurrent use.
type Graph struct {
	// Serial is 1 or 2: the file's format.
	Serial int
	// Clique is the Tier-1 clique from the "# input clique:" header, in file order.
	Clique []uint32
	// IXPs lists the IXP route-server ASes from the "# IXP ASes:" header.
	IXPs []uint32
	// Sources holds the "# source:" header values (e.g. "topology|BGP|20231201|ripe|rrc00").
	Sources []string

	links     map[uint64]link
	sources   []string // inference sources of serial-2 lines; index 0 is ""
	providers map[uint32][]uint32
	customers map[uint32][]uint32
	peers     map[uint32][]uint32
	inClique  map[uint32]bool
}

func pairKey(a, b uint32) (key uint64, swapped bool) {
	if a > b {
		return uint64(b)<<32 | uint64(a), true
	}
	return uint64(a)<<32 | uint64(b), false
}

// DataTime returns the latest date named in the "# source:topology|BGP|YYYYMMDD|…" headers —
// the day of the BGP data the relationships were inferred from.
func (g *Graph) DataTime() (time.Time, bool) {
	var latest time.Time
	for _, s := range g.Sources {
		f := strings.Split(s, "|")
		if len(f) < 3 {
			continue
		}
		if t, err := time.Parse("20060102", f[2]); err == nil && t.After(latest) {
			latest = t
		}
	}
	return latest, !latest.IsZero()
}

// Len returns the number of AS links in the graph.
func (g *Graph) Len() int { return len(g.links) }

// Rel returns the relationship of a towards b: P2C when a is a provider of b, C2P when a is a
// customer of b, P2P for peers. Two members of the Tier-1 clique without a recorded link are
// reported as peers (the clique is a full peering mesh by CAIDA's construction). Otherwise
// Unknown.
func (g *Graph) Rel(a, b uint32) Rel {
	key, swapped := pairKey(a, b)
	l, ok := g.links[key]
	if !ok {
		if a != b && g.inClique[a] && g.inClique[b] {
			return P2P
		}
		return Unknown
	}
	dir := l.dir
	if swapped {
		dir = -dir
	}
	switch dir {
	case 1:
		return P2C
	case -1:
		return C2P
	}
	return P2P
}

// Source returns the serial-2 inference source of the link between a and b ("bgp", "mlp", …),
// or "" for serial-1 files and unknown links.
func (g *Graph) Source(a, b uint32) string {
	key, _ := pairKey(a, b)
	l, ok := g.links[key]
	if !ok {
		return ""
	}
	return g.sources[l.src]
}

// Providers returns the providers of asn, sorted ascending. The slice must not be modified.
func (g *Graph) Providers(asn uint32) []uint32 { return g.providers[asn] }

// Customers returns the direct customers of asn, sorted ascending. The slice must not be modified.
func (g *Graph) Customers(asn uint32) []uint32 { return g.customers[asn] }

// Peers returns the peers of asn, sorted ascending. The slice must not be modified.
func (g *Graph) Peers(asn uint32) []uint32 { return g.peers[asn] }

// InClique reports whether asn is a member of the Tier-1 clique named in the file header.
func (g *Graph) InClique(asn uint32) bool { return g.inClique[asn] }

// CustomerCone returns asn and every AS reachable from it by following provider→customer links,
// sorted ascending (CAIDA's "customer cone"). An AS absent from the graph yields just itself.
func (g *Graph) CustomerCone(asn uint32) []uint32 {
	seen := map[uint32]bool{asn: true}
	queue := []uint32{asn}
	for len(queue) > 0 {
		a := queue[0]
		queue = queue[1:]
		for _, c := range g.customers[a] {
			if !seen[c] {
				seen[c] = true
				queue = append(queue, c)
			}
		}
	}
	out := make([]uint32, 0, len(seen))
	for a := range seen {
		out = append(out, a)
	}
	slices.Sort(out)
	return out
}

// finish builds the adjacency lists once all links are read.
func (g *Graph) finish() {
	g.providers = map[uint32][]uint32{}
	g.customers = map[uint32][]uint32{}
	g.peers = map[uint32][]uint32{}
	for key, l := range g.links {
		lo, hi := uint32(key>>32), uint32(key)
		switch l.dir {
		case 1:
			g.customers[lo] = append(g.customers[lo], hi)
			g.providers[hi] = append(g.providers[hi], lo)
		case -1:
			g.customers[hi] = append(g.customers[hi], lo)
			g.providers[lo] = append(g.providers[lo], hi)
		default:
			g.peers[lo] = append(g.peers[lo], hi)
			g.peers[hi] = append(g.peers[hi], lo)
		}
	}
	for _, m := range []map[uint32][]uint32{g.providers, g.customers, g.peers} {
		for _, s := range m {
			slices.Sort(s)
		}
	}
	g.inClique = make(map[uint32]bool, len(g.Clique))
	for _, a := range g.Clique {
		g.inClique[a] = true
	}
}

// ParseError reports malformed input: the file, the 1-based line and the reason.
type ParseError struct {
	File   string
	Line   int
	Reason string
}

// Error formats the error as "file:line: reason", or "file: reason" when the input could not
// be opened at all (Line 0, e.g. a damaged gzip header).
func (e *ParseError) Error() string {
	if e.Line == 0 {
		return fmt.Sprintf("%s: %s", e.File, e.Reason)
	}
	return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Reason)
}
