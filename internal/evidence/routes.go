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
