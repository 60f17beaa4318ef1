// Package peeringdb reads PeeringDB JSON — API responses in the {"meta":{},"data":[...]}
// envelope and full dumps holding several object types keyed by type — and answers the
// coordination questions Routewarden asks about a network: its as-set, its peering policy, and
// which NOC, technical, abuse and policy contacts it publishes, with their visibility.
package peeringdb

import (
	"slices"
	"strings"
	"time"
)

// Role is a PeeringDB network-contact role.
type Role string

// Contact roles used by PeeringDB.
const (
	RoleAbuse           Role = "Abuse"
	RoleMaintenance     Role = "Maintenance"
	RolePolicy          Role = "Policy"
	RoleTechnical       Role = "Technical"
	RoleNOC             Role = "NOC"
	RolePublicRelations Role = "Public Relations"
	RoleSales           Role = "Sales"
)

// Visibility is who may see a PeeringDB contact. Anonymous API users see only VisiblePublic.
type Visibility string

// Contact visibility values.
const (
	VisiblePublic  Visibility = "Public"
	VisibleUsers   Visibility = "Users"
	VisiblePrivate Visibility = "Private"
)

// Contact is a PeeringDB network contact (object type "poc").
type Contact struct {
	ID      int
	NetID   int
	Role    Role
	Visible Visibility
	Name    string
	Phone   string
	Email   string
	URL     string
	Status  string
	Updated time.Time
}

// Reachable reports whether the contact gives a way to reach someone (e-mail, phone or URL).
func (c Contact) Reachable() bool {
	return strings.TrimSpace(c.Email) != "" || strings.TrimSpace(c.Phone) != "" || strings.TrimSpace(c.URL) != ""
}

// Network is a PeeringDB network (object type "net") with its contacts.
type Network struct {
	ID                   int
	OrgID                int
	ASN                  uint32
	Name                 string
	AKA                  string
	NameLong             string
	Website              string
	LookingGlass         string
	RouteServer          string
	IRRASSet             string // free text as entered; see ASSets
	InfoType             string
	InfoTypes            []string
	InfoPrefixes4        int
	InfoPrefixes6        int
	InfoScope            string
	NeverViaRouteServers bool
	PolicyURL            string
	PolicyGeneral        string // Open, Selective, Restrictive or No
	PolicyLocations      string
	PolicyContracts      string
	Status               string
	Created              time.Time
	Updated              time.Time
	Contacts             []Contact
}

// ContactsWithRole returns the network's contacts with the given role (case-insensitive).
func (n Network) ContactsWithRole(role Role) []Contact {
	var out []Contact
	for _, c := range n.Contacts {
		if strings.EqualFold(string(c.Role), string(role)) {
			out = append(out, c)
		}
	}
	return out
}

// HasContact reports whether the network has a reachable contact with any of the roles.
func (n Network) HasContact(roles ...Role) bool {
	for _, r := range roles {
		for _, c := range n.ContactsWithRole(r) {
			if c.Reachable() {
				return true
			}
		}
	}
	return false
}

// ASSetRef is one as-set named in a network's irr_as_set field.
type ASSetRef struct {
	Source string // IRR source when given ("RIPE" in "RIPE::AS-FOO" or "AS-FOO@RIPE"), else ""
	Name   string // upper-cased set name, e.g. "AS-RIPENCC" or "AS2914:AS-GLOBAL"
}

// String returns the reference as SOURCE::NAME, or NAME when no source is given.
func (a ASSetRef) String() string {
	if a.Source == "" {
		return a.Name
	}
	return a.Source + "::" + a.Name
}

// ASSets parses the free-text irr_as_set field: sets separated by spaces, commas or
// semicolons, each optionally qualified by its IRR source as "SOURCE::NAME" or "NAME@SOURCE".
// Duplicates are dropped; order is kept.
func (n Network) ASSets() []ASSetRef {
	fields := strings.FieldsFunc(n.IRRASSet, func(r rune) bool {
		return r == ' ' || r == ',' || r == ';' || r == '\t' || r == '\n' || r == '\r'
	})
	var out []ASSetRef
	for _, f := range fields {
		var ref ASSetRef
		if src, name, ok := strings.Cut(f, "::"); ok {
			ref = ASSetRef{Source: strings.ToUpper(src), Name: strings.ToUpper(name)}
		} else if name, src, ok := strings.Cut(f, "@"); ok {
			ref = ASSetRef{Source: strings.ToUpper(src), Name: strings.ToUpper(name)}
		} else {
			ref = ASSetRef{Name: strings.ToUpper(f)}
		}
		if ref.Name == "" || slices.Contains(out, ref) {
			continue
		}
		out = append(out, ref)
	}
	return out
}

// Org is a PeeringDB organisation (object type "org").
type Org struct {
	ID      int
	Name    string
	AKA     string
	Website string
	Country string
	City    string
	Status  string
	Updated time.Time
}

// Stats counts what a DB holds, for snapshot provenance.
type Stats struct {
	Networks int
	Orgs     int
	Contacts int
	// Skipped counts objects of other types (fac, ix, netixlan, ...) that were read past.
	Skipped int
}

// DB holds networks, organisations and contacts read from one or more PeeringDB files.
type DB struct {
	nets  map[int]*Network // by PeeringDB id
	byASN map[uint32]int   // ASN → net id
	orgs  map[int]Org      // by id
	pocs  map[int]Contact  // by id
	// netPocs maps a net id to the ids of its contacts in pocs.
	netPocs map[int][]int
	stats   Stats
}

// New returns an empty DB; add files to it with Add.
func New() *DB {
	return &DB{nets: map[int]*Network{}, byASN: map[uint32]int{}, orgs: map[int]Org{}, pocs: map[int]Contact{}, netPocs: map[int][]int{}}
}

// Network returns the network registered for asn, with its contacts sorted by role and id.
func (db *DB) Network(asn uint32) (Network, bool) {
	id, ok := db.byASN[asn]
	if !ok {
		return Network{}, false
	}
	n := *db.nets[id]
	n.Contacts = append([]Contact(nil), n.Contacts...)
	for _, pid := range db.netPocs[id] {
		n.Contacts = append(n.Contacts, db.pocs[pid])
	}
	n.Contacts = dedupContacts(n.Contacts)
	return n, true
}

func dedupContacts(cs []Contact) []Contact {
	slices.SortFunc(cs, func(a, b Contact) int {
		if c := strings.Compare(string(a.Role), string(b.Role)); c != 0 {
			return c
		}
		return a.ID - b.ID
	})
	return slices.CompactFunc(cs, func(a, b Contact) bool { return a.ID != 0 && a.ID == b.ID })
}

// Org returns the organisation with the given PeeringDB id.
func (db *DB) Org(id int) (Org, bool) {
	o, ok := db.orgs[id]
	return o, ok
}

// ASNs returns the ASNs of all networks, ascending.
func (db *DB) ASNs() []uint32 {
	out := make([]uint32, 0, len(db.byASN))
	for asn := range db.byASN {
		out = append(out, asn)
	}
	slices.Sort(out)
	return out
}

// Stats returns the object counts.
func (db *DB) Stats() Stats { return db.stats }
