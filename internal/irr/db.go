package irr

import (
	"io"
	"maps"
	"net/netip"
	"strings"
)

// Route is one route or route6 object.
type Route struct {
	Prefix netip.Prefix
	Origin uint32
	Source string // e.g. "RIPE", "RADB"; "" when the object has no source attribute
	File   string // file the object was read from
	Line   int    // line where the object starts
}

// AutNum is one aut-num object, reduced to what routing-security checks read.
type AutNum struct {
	ASN      uint32
	Name     string   // as-name
	Imports  []string // import and mp-import policies
	Exports  []string // export and mp-export policies
	MemberOf []string // as-sets named in member-of, upper case
	MntBy    []string
	AdminC   []string
	TechC    []string
	AbuseC   string
	Org      string
	Source   string
	File     string
	Line     int
}

// HasPolicy reports whether the aut-num publishes both an import and an export policy.
func (a *AutNum) HasPolicy() bool { return len(a.Imports) > 0 && len(a.Exports) > 0 }

// ASSet is one as-set object with its members split into ASNs and nested sets.
type ASSet struct {
	Name      string   // upper case
	ASNs      []uint32 // AS numbers listed in members, in order, repeats kept
	Sets      []string // as-set names listed in members, upper case
	MbrsByRef []string // maintainers (or "ANY") whose aut-nums may join with member-of
	Source    string
	File      string
	Line      int
}

// DB is an in-memory IRR database built from one or more RPSL files. It is read-only once
// built and then safe for concurrent use; Add must not run concurrently with lookups.
type DB struct {
	routes   []Route
	byPrefix map[netip.Prefix]chain // routes with the same prefix
	byOrigin map[uint32]chain       // routes with the same origin
	nextPfx  []int32                // next route with the same prefix, -1 = end
	nextOrig []int32                // next route with the same origin, -1 = end
	lens4    [33]bool               // prefix lengths present, to skip impossible lookups
	lens6    [129]bool
	autNums  map[uint32][]*AutNum
	asSets   map[string][]*ASSet
	refs     map[string][]*AutNum      // set name → aut-nums naming it in member-of
	orgAbuse map[string]string         // organisation → abuse-c
	inetnums map[netip.Prefix]*Inetnum // inetnum/inet6num with a contact, by the prefixes of its range
	mailbox  map[string]string         // role/irt → abuse-mailbox
	counts   map[string]int
}

// NewDB returns an empty DB.
func NewDB() *DB {
	return &DB{
		byPrefix: map[netip.Prefix]chain{},
		byOrigin: map[uint32]chain{},
		autNums:  map[uint32][]*AutNum{},
		asSets:   map[string][]*ASSet{},
		refs:     map[string][]*AutNum{},
		orgAbuse: map[string]string{},
		inetnums: map[netip.Prefix]*Inetnum{},
		mailbox:  map[string]string{},
		counts:   map[string]int{},
	}
}

// Read parses one RPSL file (plain or gzip) into a new DB; name is used in error messages and
// in each object's File.
func Read(r io.Reader, name string) (*DB, error) {
	db := NewDB()
	if err := db.Add(r, name); err != nil {
		return nil, err
	}
	return db, nil
}

// Add reads one more RPSL file into db, e.g. the split RIPE dumps ripe.db.route.gz,
// ripe.db.route6.gz, ripe.db.aut-num.gz and ripe.db.as-set.gz. The file is taken whole or not
// at all: on error db is unchanged and the error (a *ParseError) names the file, the line and
// the reason.
func (db *DB) Add(r io.Reader, name string) error {
	part := NewDB()
	sc := NewScanner(r, name)
	sc.Only("route", "route6", "aut-num", "as-set", "organisation", "role", "irt", "inetnum", "inet6num")
	for sc.Scan() {
		if err := part.addObject(sc.Object(), name); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	db.merge(part)
	return nil
}

func (db *DB) merge(p *DB) {
	if len(db.counts) == 0 {
		*db = *p // nothing to merge into: adopt the indexes as built
		return
	}
	for _, r := range p.routes {
		db.addIndexed(r)
	}
	for k, v := range p.autNums {
		db.autNums[k] = append(db.autNums[k], v...)
	}
	for k, v := range p.asSets {
		db.asSets[k] = append(db.asSets[k], v...)
	}
	for k, v := range p.refs {
		db.refs[k] = append(db.refs[k], v...)
	}
	maps.Copy(db.orgAbuse, p.orgAbuse)
	maps.Copy(db.inetnums, p.inetnums)
	maps.Copy(db.mailbox, p.mailbox)
	for k, v := range p.counts {
		db.counts[k] += v
	}
}

// Counts returns the number of objects read per class (including classes that are skipped,
// such as "mntner"). The map is a copy.
func (db *DB) Counts() map[string]int { return maps.Clone(db.counts) }

// NumRoutes returns the number of route and route6 objects.
func (db *DB) NumRoutes() int { return len(db.routes) }

// RoutesFor returns the route objects registered for exactly prefix (any origin).
func (db *DB) RoutesFor(prefix netip.Prefix) []Route {
	c, ok := db.byPrefix[prefix.Masked()]
	return db.collect(c, ok, db.nextPfx)
}

// RoutesByOrigin returns the route objects whose origin is asn, in file order.
func (db *DB) RoutesByOrigin(asn uint32) []Route {
	c, ok := db.byOrigin[asn]
	return db.collect(c, ok, db.nextOrig)
}

func (db *DB) collect(c chain, ok bool, next []int32) []Route {
	var out []Route
	for i := c.first; ok && i >= 0; i = next[i] {
		out = append(out, db.routes[i])
	}
	return out
}

// chain is a list of route indexes threaded through DB.nextPfx or DB.nextOrig; one map
// value per key instead of one slice allocation per key.
type chain struct{ first, last int32 }

// addIndexed appends r to the routes and to both indexes.
func (db *DB) addIndexed(r Route) {
	i := int32(len(db.routes))
	db.routes = append(db.routes, r)
	db.nextPfx = append(db.nextPfx, -1)
	db.nextOrig = append(db.nextOrig, -1)
	if c, ok := db.byPrefix[r.Prefix]; ok {
		db.nextPfx[c.last] = i
		db.byPrefix[r.Prefix] = chain{c.first, i}
	} else {
		db.byPrefix[r.Prefix] = chain{i, i}
	}
	if c, ok := db.byOrigin[r.Origin]; ok {
		db.nextOrig[c.last] = i
		db.byOrigin[r.Origin] = chain{c.first, i}
	} else {
		db.byOrigin[r.Origin] = chain{i, i}
	}
	if r.Prefix.Addr().Is4() {
		db.lens4[r.Prefix.Bits()] = true
	} else {
		db.lens6[r.Prefix.Bits()] = true
	}
}

// CoveringRoutes returns the route objects for prefix and for every less-specific prefix
// covering it, most specific first, any origin.
func (db *DB) CoveringRoutes(prefix netip.Prefix) []Route {
	var out []Route
	db.walkCovering(prefix, func(r Route) bool { out = append(out, r); return true })
	return out
}

// CoversRoute reports whether an announcement of prefix by origin is covered by the IRR: a
// route or route6 object with that origin for the same prefix or a less-specific one (as the
// MANRS Observatory counts it). It returns the most specific such object.
func (db *DB) CoversRoute(prefix netip.Prefix, origin uint32) (Route, bool) {
	var found Route
	ok := false
	db.walkCovering(prefix, func(r Route) bool {
		if r.Origin == origin {
			found, ok = r, true
			return false
		}
		return true
	})
	return found, ok
}

// walkCovering calls fn for each covering route object, most specific first, until fn
// returns false.
func (db *DB) walkCovering(prefix netip.Prefix, fn func(Route) bool) {
	if !prefix.IsValid() {
		return
	}
	lens := db.lens6[:]
	if prefix.Addr().Is4() {
		lens = db.lens4[:]
	}
	for bits := prefix.Bits(); bits >= 0; bits-- {
		if !lens[bits] {
			continue
		}
		p, _ := prefix.Addr().Prefix(bits)
		c, ok := db.byPrefix[p]
		for i := c.first; ok && i >= 0; i = db.nextPfx[i] {
			if !fn(db.routes[i]) {
				return
			}
		}
	}
}

// AutNum returns the aut-num object for asn; with several sources, the first one read.
func (db *DB) AutNum(asn uint32) (*AutNum, bool) {
	a := db.autNums[asn]
	if len(a) == 0 {
		return nil, false
	}
	return a[0], true
}

// AutNums returns every aut-num object for asn, one per source, in read order.
func (db *DB) AutNums(asn uint32) []*AutNum { return db.autNums[asn] }

// ASSet returns the as-set objects called name (any case; a "SOURCE::" prefix selects one
// source), in read order.
func (db *DB) ASSet(name string) []*ASSet {
	source, set := splitSource(name)
	all := db.asSets[strings.ToUpper(set)]
	if source == "" {
		return all
	}
	var out []*ASSet
	for _, s := range all {
		if strings.EqualFold(s.Source, source) {
			out = append(out, s)
		}
	}
	return out
}

// splitSource splits "RIPE::AS-FOO" (IRRd and PeeringDB notation) into source and name.
func splitSource(name string) (source, set string) {
	if s, n, ok := strings.Cut(strings.TrimSpace(name), "::"); ok {
		return s, n
	}
	return "", strings.TrimSpace(name)
}

// AbuseContact returns the abuse contact for asn: the aut-num's abuse-c, else the abuse-c of
// its organisation, with the role's abuse-mailbox when that role object was read.
func (db *DB) AbuseContact(asn uint32) (handle, mailbox string, ok bool) {
	a, found := db.AutNum(asn)
	if !found {
		return "", "", false
	}
	handle = a.AbuseC
	if handle == "" && a.Org != "" {
		handle = db.orgAbuse[strings.ToUpper(a.Org)]
	}
	if handle == "" {
		return "", "", false
	}
	return handle, db.mailbox[strings.ToUpper(handle)], true
}
