package asrel

// PathStatus is the outcome of a valley-free check of one AS path.
type PathStatus string

// Path statuses. PathUnknown means no leak is proven but a missing relationship leaves at least
// one hop undecided; it is never reported as a leak.
const (
	PathValleyFree PathStatus = "valley-free"
	PathLeak       PathStatus = "leak"
	PathUnknown    PathStatus = "unknown"
)

// Leak is one valley-free violation: Leaker received the route from From, its provider or peer,
// and passed it on to To, its provider or peer.
type Leak struct {
	Leaker uint32
	From   uint32 // the neighbour the leaker learned the route from (towards the origin)
	To     uint32 // the neighbour the leaker sent it to (towards the collector)
	// Received is the leaker's relationship to From: C2P (From is its provider) or P2P.
	Received Rel
	// Sent is the leaker's relationship to To: C2P (To is its provider) or P2P.
	Sent Rel
	// Type is the RFC 7908 leak type: 1 provider→provider (hairpin), 2 peer→peer (lateral),
	// 3 provider→peer, 4 peer→provider.
	Type int
	// Index is the position of Leaker in the path as given (0 = nearest the collector).
	Index int
}

// Link is an adjacent AS pair of a path whose relationship is not in the graph.
type Link struct {
	From, To uint32 // From sent the route to To
}

// PathCheck is the result of Graph.CheckPath.
type PathCheck struct {
	Status PathStatus
	// Leaks lists every proven violation, in path order from the origin outwards. After a leak
	// the route is judged afresh from the leaker, so a leak of a leak is reported too.
	Leaks []Leak
	// Missing lists the links without a known relationship.
	Missing []Link
	// Undecided lists ASes that may have leaked: a missing relationship next to them leaves
	// their hop undecided.
	Undecided []uint32
}

// Leaked reports whether asn is a proven leaker in the path.
func (c PathCheck) Leaked(asn uint32) bool {
	for _, l := range c.Leaks {
		if l.Leaker == asn {
			return true
		}
	}
	return false
}

// phase is where a route is in its valley-free life: still climbing (only customer→provider
// hops so far), descending (after a peer or provider→customer hop), or not known.
type phase int8

const (
	climbing phase = iota
	descending
	unknownPhase
)

// CheckPath checks an AS path (as in the BGP AS_PATH: index 0 is the AS nearest the observer,
// the origin is last) against the Gao-Rexford valley-free rule: read from the origin, a valid
// path is zero or more customer→provider hops, at most one peer hop, then zero or more
// provider→customer hops. A hop that climbs or crosses a peer link after the route has started
// descending is a leak by the AS that sent it (RFC 7908 types 1 to 4; routing-data.md A9).
//
// Links that g reports as S2S (siblings of one organisation) neither leak nor change the
// route's phase. Prepending (consecutive repeats) is collapsed. AS_SET segments cannot be expressed in a
// []uint32 and must be cut off by the caller. Missing relationships never produce a leak: the
// hops they touch are reported as undecided and the status is PathUnknown unless another hop
// proves a leak.
func (g *Graph) CheckPath(path []uint32) PathCheck { return CheckPath(g, path) }

// Relations answers "what is a to b?"; *Graph implements it, and so can any other source of
// relationships (e.g. one merged with operator knowledge).
type Relations interface {
	Rel(a, b uint32) Rel
}

// CheckPath is Graph.CheckPath over any source of relationships.
func CheckPath(g Relations, path []uint32) PathCheck {
	hops, idx := collapse(path)
	var res PathCheck
	state := climbing
	for i := len(hops) - 1; i >= 1; i-- {
		sender, receiver := hops[i], hops[i-1]
		rel := g.Rel(sender, receiver)
		switch rel {
		case Unknown:
			res.Missing = append(res.Missing, Link{From: sender, To: receiver})
			if state != climbing {
				res.Undecided = append(res.Undecided, sender)
			}
			state = unknownPhase
			continue
		case P2C:
			state = descending
			continue
		case S2S:
			// Within one organisation the route keeps its phase: siblings act as one AS.
			continue
		}
		// rel is C2P (sending up) or P2P (sending across).
		switch state {
		case descending:
			// The organisation received the route where it entered it: skip sibling hops.
			k := i + 1
			for k+1 < len(hops) && g.Rel(hops[k-1], hops[k]) == S2S {
				k++
			}
			from := hops[k]
			received := g.Rel(hops[k-1], from)
			res.Leaks = append(res.Leaks, Leak{Leaker: sender, From: from, To: receiver,
				Received: received, Sent: rel, Type: leakType(received, rel), Index: idx[i]})
		case unknownPhase:
			res.Undecided = append(res.Undecided, sender)
		}
		// Whether or not this hop leaked, the route now travels as if sender originated it.
		state = climbing
		if rel == P2P {
			state = descending
		}
	}
	switch {
	case len(res.Leaks) > 0:
		res.Status = PathLeak
	case len(res.Undecided) > 0:
		res.Status = PathUnknown
	default:
		res.Status = PathValleyFree
	}
	return res
}

// leakType maps (received from, sent to) to the RFC 7908 leak types.
func leakType(received, sent Rel) int {
	switch {
	case received == C2P && sent == C2P:
		return 1
	case received == P2P && sent == P2P:
		return 2
	case received == C2P && sent == P2P:
		return 3
	case received == P2P && sent == C2P:
		return 4
	}
	return 0
}

// collapse removes prepends and returns the remaining hops with their index in the input.
func collapse(path []uint32) ([]uint32, []int) {
	hops := make([]uint32, 0, len(path))
	idx := make([]int, 0, len(path))
	for i, a := range path {
		if len(hops) > 0 && hops[len(hops)-1] == a {
			// Keep the index of the copy nearest the origin, where the AS actually received it.
			idx[len(idx)-1] = i
			continue
		}
		hops = append(hops, a)
		idx = append(idx, i)
	}
	return hops, idx
}
