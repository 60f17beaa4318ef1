package evidence

import (
	"encoding/binary"
	"net/netip"
	"strconv"
	"strings"
)

// RouteSet holds the announcements of a routes snapshot, deduplicated by (prefix, AS path), with
// indexes by origin AS and by every AS on the path. Withdrawals are not applied: a snapshot is the
// set of announcements observed in its files.
type RouteSet struct {
	routes    []route
	paths     []Path
	pathIndex map[string]int32
	seen      map[routeKey]struct{}
	byOrigin  map[uint32][]int32
	byAS      map[uint32][]int32 // every AS on the path except the origin, once per route
	Announced int64              // announcements read, before deduplication
}

type route struct {
	prefix netip.Prefix
	path   int32
}

type routeKey struct {
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
	return &RouteSet{pathIndex: map[string]int32{}, seen: map[routeKey]struct{}{}, byOrigin: map[uint32][]int32{}, byAS: map[uint32][]int32{}}
}

// Add records one announcement. asns is the flattened path, origin last.
func (s *RouteSet) Add(prefix netip.Prefix, asns []uint32, hasSet bool, origin uint32, originKnown bool) {
	s.Announced++
	prefix = prefix.Masked()
	key := pathKey(asns, hasSet, originKnown)
	pi, ok := s.pathIndex[key]
	if !ok {
		pi = int32(len(s.paths))
		s.paths = append(s.paths, Path{ASNs: append([]uint32(nil), asns...), HasSet: hasSet, Origin: origin, OriginKnown: originKnown})
		s.pathIndex[key] = pi
	}
	rk := routeKey{prefix, pi}
	if _, dup := s.seen[rk]; dup {
		return
	}
	s.seen[rk] = struct{}{}
	ri := int32(len(s.routes))
	s.routes = append(s.routes, route{prefix, pi})
	if originKnown {
		s.byOrigin[origin] = append(s.byOrigin[origin], ri)
	}
	p := s.paths[pi]
	for i, a := range p.ASNs {
		if originKnown && a == origin && i == len(p.ASNs)-1 {
			continue
		}
		if !containsBefore(p.ASNs, i, a) && !(originKnown && a == origin) {
			s.byAS[a] = append(s.byAS[a], ri)
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

func pathKey(asns []uint32, hasSet, originKnown bool) string {
	b := make([]byte, 1, 1+4*len(asns))
	if hasSet {
		b[0] |= 1
	}
	if originKnown {
		b[0] |= 2
	}
	for _, a := range asns {
		b = binary.BigEndian.AppendUint32(b, a)
	}
	return string(b)
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

// done drops the build-time dedup map once the set is complete.
func (s *RouteSet) done() {
	s.seen = nil
	s.pathIndex = nil
}
