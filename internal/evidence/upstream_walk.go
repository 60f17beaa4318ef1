package evidence

import (
	"strings"

	"routewarden/internal/asrel"
	"routewarden/internal/peeringdb"
)

// Upstream inference, shared by the upstream.concentration check (one ASN) and the portfolio's
// concentration report (internal/report, every vendor): both must read the same upstreams from
// the same paths, or the report would flag as a vendor's discrepancy a figure our own check
// pre-filled. A path (collector neighbour first, origin last) is walked from the origin toward
// the collector:
//
//   - prepending is removed first (the caller passes the deduplicated path);
//   - a path carrying an AS_SET is left out: the flattened path no longer says which member
//     sits next to the origin (HopSet);
//   - the origin's own networks (the same vendor's other ASNs, as the caller decides) are passed
//     over, and the walk goes on from them: a second ASN behind the first is internal, and its
//     upstreams are those of the network it is reached through;
//   - private-use and reserved ASNs (TransparentASN) and IXP route servers are passed over as
//     transparent; the hop after them is classified against the last real network before them;
//   - the first remaining network is classified with CAIDA as-rel against the hop before it:
//     its provider → an observed upstream (HopUpstream), a peer (HopPeer), its customer
//     (HopCustomer), no known relation → HopUnknown, never an upstream;
//   - a path that reaches the collector from the origin's own networks has no hop (HopDirect).

// Hop is how the first network after an origin's own networks relates to them.
type Hop int

// Hop classifications of one path.
const (
	HopUpstream Hop = iota
	HopPeer
	HopUnknown
	HopCustomer
	HopDirect
	HopSet
)

// TransparentASN reports whether asn is private-use or reserved and so never names a real
// network in a path: 0, AS_TRANS 23456, 64512–65534 and 4200000000–4294967294 (RFC 6996), 65535
// and 4294967295 (RFC 7300).
func TransparentASN(asn uint32) bool {
	return asn == 0 || asn == 23456 || asn >= 64512 && asn <= 65535 || asn >= 4200000000
}

// RouteServerASNs returns the IXP route-server ASNs known from the as-rel header ("# IXP ASes")
// and PeeringDB (networks whose type is "Route Server").
func RouteServerASNs(rel *asrel.Graph, pdb *peeringdb.DB) map[uint32]bool {
	out := map[uint32]bool{}
	if rel != nil {
		for _, a := range rel.IXPs {
			out[a] = true
		}
	}
	if pdb != nil {
		for _, a := range pdb.ASNs() {
			if n, ok := pdb.Network(a); ok && isRouteServer(n) {
				out[a] = true
			}
		}
	}
	return out
}

func isRouteServer(n peeringdb.Network) bool {
	if strings.EqualFold(n.InfoType, "Route Server") {
		return true
	}
	for _, t := range n.InfoTypes {
		if strings.EqualFold(t, "Route Server") {
			return true
		}
	}
	return false
}

// HopWalker classifies the first hop of paths toward the collector.
type HopWalker struct {
	Rel          *asrel.Graph    // nil: every hop found is HopUnknown
	RouteServers map[uint32]bool // passed over as transparent
	Own          func(asn uint32) bool
}

// FirstHop classifies path p whose deduplicated ASNs (collector neighbour first, origin last)
// are dedup; it returns the classification, the network that decided it and that network's index
// in dedup (so the hops after it toward the collector can be read), or -1 without one.
func (w *HopWalker) FirstHop(p *Path, dedup []uint32) (kind Hop, nb uint32, at int) {
	if p.HasSet {
		return HopSet, 0, -1
	}
	if len(dedup) == 0 {
		return HopDirect, 0, -1
	}
	cur := dedup[len(dedup)-1]
	for i := len(dedup) - 2; i >= 0; i-- {
		a := dedup[i]
		if w.Own != nil && w.Own(a) {
			cur = a
			continue
		}
		if TransparentASN(a) || w.RouteServers[a] {
			continue
		}
		if w.Rel == nil {
			return HopUnknown, a, i
		}
		switch w.Rel.Rel(a, cur) {
		case asrel.P2C:
			return HopUpstream, a, i
		case asrel.P2P:
			return HopPeer, a, i
		case asrel.C2P:
			return HopCustomer, a, i
		}
		return HopUnknown, a, i
	}
	return HopDirect, 0, -1
}

// DedupInto writes asns without consecutive repeats (prepending) into dst[:0] and returns it.
func DedupInto(dst, asns []uint32) []uint32 {
	dst = dst[:0]
	for i, a := range asns {
		if i == 0 || a != asns[i-1] {
			dst = append(dst, a)
		}
	}
	return dst
}
