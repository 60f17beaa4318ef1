package evidence

import (
	"encoding/binary"
	"hash/maphash"
	"net/netip"
	"slices"
	"strconv"
	"strings"
)

// RouteSet holds the announcements of a routes snapshot, deduplicated by (prefix, AS path), with
// indexes by origin AS and by every AS on the path. Withdrawals are not applied: a snapshot is the
// set of announcements observed in its files.
type RouteSet struct {
	routes    []route
	paths     []Path
	pathIndex map[uint64]int32   // path hash → path index (compared, so a collision is never merged)
	collided  map[uint64][]int32 // the rare further paths whose hash was taken
	byOrigin  map[uint32][]int32
	byAS      map[uint32][]int32 // every AS on the path except the origin, once per route
	Announced int64              // announcements read, before deduplication
	seed      maphash.Seed
}

type route struct {
	prefix netip.Prefix
	path   int32
}

// Path is a deduplicated AS path. ASNs runs from the neighbour of the collector to the origin,
// with AS_SET members included in place; Origin is set only when the path ends in a sequence.
type Path struct {
	ASNs        []uint32
	HasSet      bool
	Origin      uint32
	OriginKnown bool
}

// String renders the path as bgpdump does, without set braces.
func (p Path) String() string {
	var b strings.Builder
	for i, a := range p.ASNs {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(strconv.FormatUint(uint64(a), 10))
	}
	return b.String()
}

// Dedup returns the path without consecutive repeats (prepending).
func (p Path) Dedup() []uint32 {
	out := make([]uint32, 0, len(p.ASNs))
	for i, a := range p.ASNs {
		if i == 0 || a != p.ASNs[i-1] {
			out = append(out, a)
		}
	}
	return out
}

// NewRouteSet returns an empty set.
func NewRouteSet() *RouteSet {
	return &RouteSet{pathIndex: map[uint64]int32{}, collided: map[uint64][]int32{}, seed: maphash.MakeSeed()}
}

// Add records one announcement. asns is the flattened path, origin last. Duplicates are removed
// and the indexes built when the set is complete (done).
func (s *RouteSet) Add(prefix netip.Prefix, asns []uint32, hasSet bool, origin uint32, originKnown bool) {
	s.Announced++
	s.routes = append(s.routes, route{prefix.Masked(), s.pathID(asns, hasSet, origin, originKnown)})
}

// pathID interns a path.
func (s *RouteSet) pathID(asns []uint32, hasSet bool, origin uint32, originKnown bool) int32 {
	var h maphash.Hash
	h.SetSeed(s.seed)
	var buf [4]byte
	for _, a := range asns {
		binary.LittleEndian.PutUint32(buf[:], a)
		h.Write(buf[:])
	}
	flags := byte(0)
	if hasSet {
		flags |= 1
	}
	if originKnown {
		flags |= 2
	}
	h.WriteByte(flags)
	key := h.Sum64()
	same := func(i int32) bool {
		p := &s.paths[i]
		return p.HasSet == hasSet && p.OriginKnown == originKnown && slices.Equal(p.ASNs, asns)
	}
	first, taken := s.pathIndex[key]
	if taken && same(first) {
		return first
	}
	for _, i := range s.collided[key] {
		if same(i) {
			return i
		}
	}
	i := int32(len(s.paths))
	s.paths = append(s.paths, Path{ASNs: slices.Clone(asns), HasSet: hasSet, Origin: origin, OriginKnown: originKnown})
	if taken {
		s.collided[key] = append(s.collided[key], i)
	} else {
		s.pathIndex[key] = i
	}
	return i
}

// done removes duplicate routes and builds the indexes.
func (s *RouteSet) done() {
	slices.SortFunc(s.routes, func(a, b route) int {
		if c := a.prefix.Addr().Compare(b.prefix.Addr()); c != 0 {
			return c
		}
		if c := a.prefix.Bits() - b.prefix.Bits(); c != 0 {
			return c
		}
		return int(a.path - b.path)
	})
	s.routes = slices.Compact(s.routes)
	s.routes = slices.Clip(s.routes)
	s.pathIndex, s.collided = nil, nil
	s.byOrigin, s.byAS = map[uint32][]int32{}, map[uint32][]int32{}
	for ri, r := range s.routes {
		p := &s.paths[r.path]
		if p.OriginKnown {
			s.byOrigin[p.Origin] = append(s.byOrigin[p.Origin], int32(ri))
		}
		for i, a := range p.ASNs {
			if p.OriginKnown && a == p.Origin || containsBefore(p.ASNs, i, a) {
				continue
			}
			s.byAS[a] = append(s.byAS[a], int32(ri))
		}
	}
}

func containsBefore(asns []uint32, i int, a uint32) bool {
	for _, x := range asns[:i] {
		if x == a {
			return true
		}
	}
	return false
}

// Len returns the number of distinct (prefix, path) routes.
func (s *RouteSet) Len() int { return len(s.routes) }

// Route is one distinct announcement as the checks see it.
type Route struct {
	Prefix netip.Prefix
	Path   *Path
}

func (s *RouteSet) at(i int32) Route { r := s.routes[i]; return Route{r.prefix, &s.paths[r.path]} }

// Originated returns the routes whose origin is asn.
func (s *RouteSet) Originated(asn uint32) []Route { return s.list(s.byOrigin[asn]) }

// Transit returns the routes on whose path asn appears other than as the origin.
func (s *RouteSet) Transit(asn uint32) []Route { return s.list(s.byAS[asn]) }

func (s *RouteSet) list(idx []int32) []Route {
	out := make([]Route, len(idx))
	for i, ri := range idx {
		out[i] = s.at(ri)
	}
	return out
}

// Each calls fn for every route.
func (s *RouteSet) Each(fn func(Route)) {
	for i := range s.routes {
		fn(s.at(int32(i)))
	}
}

// eachPrefix calls fn once per distinct prefix of routes, with the routes of that prefix.
// Routes must be sorted by prefix, as Originated and Transit return them.
func eachPrefix(routes []Route, fn func(p netip.Prefix, rs []Route)) {
	for i := 0; i < len(routes); {
		j := i + 1
		for j < len(routes) && routes[j].Prefix == routes[i].Prefix {
			j++
		}
		fn(routes[i].Prefix, routes[i:j])
		i = j
	}
}

// distinctPrefixes counts the distinct prefixes of routes sorted by prefix.
func distinctPrefixes(routes []Route) int {
	n := 0
	eachPrefix(routes, func(netip.Prefix, []Route) { n++ })
	return n
}

// peerCount returns how many distinct collector peers (the first AS of each path) saw the
// routes: the visibility of a prefix, reported apart from the per-prefix counts.
func peerCount(rs []Route) int {
	var seen [8]uint32
	var extra map[uint32]bool
	n := 0
	for _, r := range rs {
		if len(r.Path.ASNs) == 0 {
			continue
		}
		a := r.Path.ASNs[0]
		if slices.Contains(seen[:min(n, len(seen))], a) || extra[a] {
			continue
		}
		if n < len(seen) {
			seen[n] = a
		} else {
			if extra == nil {
				extra = map[uint32]bool{}
			}
			extra[a] = true
		}
		n++
	}
	return n
}

// seenBy renders the visibility of a prefix for a detail note.
func seenBy(rs []Route) string {
	n := peerCount(rs)
	if n == 1 {
		return "seen by 1 collector peer"
	}
	return "seen by " + strconv.Itoa(n) + " collector peers"
}

// receivedSegment returns the part of the path the AS received: from its neighbour towards
// the origin to the origin, prepends collapsed. ok is false when asn is not on the path or is
// its origin (then it received nothing: the route is its own).
func receivedSegment(p *Path, asn uint32) (seg []uint32, ok bool) {
	i := slices.Index(p.ASNs, asn)
	if i < 0 {
		return nil, false
	}
	for i+1 < len(p.ASNs) && p.ASNs[i+1] == asn {
		i++ // the vendor's own prepends
	}
	if i+1 >= len(p.ASNs) {
		return nil, false
	}
	rest := p.ASNs[i+1:]
	seg = make([]uint32, 0, len(rest))
	for k, a := range rest {
		if k == 0 || a != rest[k-1] {
			seg = append(seg, a)
		}
	}
	return seg, true
}

// Overlaps reports whether any route's prefix overlaps p: covers it, equals it or lies inside it.
func (s *RouteSet) Overlaps(p netip.Prefix) bool {
	p = p.Masked()
	// A route inside p (or starting at p's first address) sorts from p's address onwards.
	i, _ := slices.BinarySearchFunc(s.routes, p.Addr(), func(r route, a netip.Addr) int { return r.prefix.Addr().Compare(a) })
	if i < len(s.routes) && p.Contains(s.routes[i].prefix.Addr()) {
		return true
	}
	// A route covering p is one of its less-specifics, looked up exactly.
	for bits := p.Bits() - 1; bits >= 0; bits-- {
		q := netip.PrefixFrom(p.Addr(), bits).Masked()
		if _, ok := slices.BinarySearchFunc(s.routes, q, func(r route, q netip.Prefix) int {
			if c := r.prefix.Addr().Compare(q.Addr()); c != 0 {
				return c
			}
			return r.prefix.Bits() - q.Bits()
		}); ok {
			return true
		}
	}
	return false
}
