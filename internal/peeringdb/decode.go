package peeringdb

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

type rawNet struct {
	ID                   int             `json:"id"`
	OrgID                int             `json:"org_id"`
	Name                 string          `json:"name"`
	AKA                  string          `json:"aka"`
	NameLong             string          `json:"name_long"`
	Website              string          `json:"website"`
	ASN                  *json.Number    `json:"asn"`
	LookingGlass         string          `json:"looking_glass"`
	RouteServer          string          `json:"route_server"`
	IRRASSet             string          `json:"irr_as_set"`
	InfoType             string          `json:"info_type"`
	InfoTypes            []string        `json:"info_types"`
	InfoPrefixes4        *int            `json:"info_prefixes4"`
	InfoPrefixes6        *int            `json:"info_prefixes6"`
	InfoScope            string          `json:"info_scope"`
	NeverViaRouteServers bool            `json:"info_never_via_route_servers"`
	PolicyURL            string          `json:"policy_url"`
	PolicyGeneral        string          `json:"policy_general"`
	PolicyLocations      string          `json:"policy_locations"`
	PolicyContracts      string          `json:"policy_contracts"`
	Status               string          `json:"status"`
	Created              string          `json:"created"`
	Updated              string          `json:"updated"`
	POCSet               json.RawMessage `json:"poc_set"`
}

type rawPOC struct {
	ID      int    `json:"id"`
	NetID   int    `json:"net_id"`
	Role    string `json:"role"`
	Visible string `json:"visible"`
	Name    string `json:"name"`
	Phone   string `json:"phone"`
	Email   string `json:"email"`
	URL     string `json:"url"`
	Status  string `json:"status"`
	Updated string `json:"updated"`
}

type rawOrg struct {
	ID      int    `json:"id"`
	Name    string `json:"name"`
	AKA     string `json:"aka"`
	Website string `json:"website"`
	Country string `json:"country"`
	City    string `json:"city"`
	Status  string `json:"status"`
	Updated string `json:"updated"`
}

// object decodes one array element of the given kind ("" = recognise it from its fields).
func (d *decoder) object(kind string, raw json.RawMessage, start int64, index int) error {
	if kind == "" {
		var keys map[string]json.RawMessage
		if err := json.Unmarshal(raw, &keys); err != nil {
			return d.wrap(start, err)
		}
		kind = classify(keys)
	}
	var err error
	switch kind {
	case "net":
		err = d.net(raw, start)
	case "poc":
		err = d.poc(raw, start)
	case "org":
		err = d.org(raw, start)
	default:
		d.db.stats.Skipped++
	}
	if err != nil {
		return fmt.Errorf("%w (%s object %d)", err, kind, index)
	}
	return nil
}

// classify recognises an object's type from the fields PeeringDB gives each type.
func classify(keys map[string]json.RawMessage) string {
	has := func(k string) bool { _, ok := keys[k]; return ok }
	switch {
	case has("role") && has("net_id"):
		return "poc"
	case has("asn") && (has("ix_id") || has("ixlan_id") || has("fac_id")):
		return "" // netixlan, netfac
	case has("asn"):
		return "net"
	case has("name") && !has("org_id") && !has("net_id") && !has("ix_id") && !has("ixlan_id") &&
		(has("address1") || has("country") || has("website")):
		return "org"
	}
	return ""
}

func (d *decoder) net(raw json.RawMessage, start int64) error {
	var rn rawNet
	if err := json.Unmarshal(raw, &rn); err != nil {
		return d.wrap(start, err)
	}
	asn, err := parseASN(rn.ASN)
	if err != nil {
		return d.errorf(start, "net id %d: field \"asn\": %v", rn.ID, err)
	}
	n := &Network{
		ID: rn.ID, OrgID: rn.OrgID, ASN: asn, Name: rn.Name, AKA: rn.AKA, NameLong: rn.NameLong,
		Website: rn.Website, LookingGlass: rn.LookingGlass, RouteServer: rn.RouteServer,
		IRRASSet: strings.TrimSpace(rn.IRRASSet), InfoType: rn.InfoType, InfoTypes: rn.InfoTypes,
		InfoScope: rn.InfoScope, NeverViaRouteServers: rn.NeverViaRouteServers,
		PolicyURL: strings.TrimSpace(rn.PolicyURL), PolicyGeneral: rn.PolicyGeneral,
		PolicyLocations: rn.PolicyLocations, PolicyContracts: rn.PolicyContracts, Status: rn.Status,
	}
	if rn.InfoPrefixes4 != nil {
		n.InfoPrefixes4 = *rn.InfoPrefixes4
	}
	if rn.InfoPrefixes6 != nil {
		n.InfoPrefixes6 = *rn.InfoPrefixes6
	}
	if n.Created, err = parseTime(rn.Created); err != nil {
		return d.errorf(start, "net id %d: field \"created\": %v", rn.ID, err)
	}
	if n.Updated, err = parseTime(rn.Updated); err != nil {
		return d.errorf(start, "net id %d: field \"updated\": %v", rn.ID, err)
	}
	if n.Contacts, err = d.embeddedPOCs(rn, start); err != nil {
		return err
	}
	return d.addNet(n, start)
}

// embeddedPOCs decodes a net's poc_set: a list of ids (depth 1, ignored) or of objects.
func (d *decoder) embeddedPOCs(rn rawNet, start int64) ([]Contact, error) {
	set := bytes.TrimSpace(rn.POCSet)
	if len(set) == 0 || bytes.Equal(set, []byte("null")) {
		return nil, nil
	}
	var items []json.RawMessage
	if err := json.Unmarshal(set, &items); err != nil {
		return nil, d.errorf(start, "net id %d: field \"poc_set\": %v", rn.ID, err)
	}
	var out []Contact
	for _, it := range items {
		if len(it) == 0 || it[0] != '{' {
			continue // an id only
		}
		c, err := d.contact(it, start)
		if err != nil {
			return nil, err
		}
		if c.NetID == 0 {
			c.NetID = rn.ID
		}
		out = append(out, c)
	}
	d.db.stats.Contacts += len(out)
	return out, nil
}

func (d *decoder) addNet(n *Network, start int64) error {
	db := d.db
	if _, dup := db.nets[n.ID]; dup && n.ID != 0 {
		return d.errorf(start, "duplicate net id %d", n.ID)
	}
	if otherID, dup := db.byASN[n.ASN]; dup {
		other := db.nets[otherID]
		if isLive(other.Status) && isLive(n.Status) {
			return d.errorf(start, "duplicate asn %d (net ids %d and %d)", n.ASN, other.ID, n.ID)
		}
		if isLive(other.Status) {
			db.nets[n.ID] = n
			db.stats.Networks++
			return nil // keep the live record for lookups
		}
	}
	db.nets[n.ID] = n
	db.byASN[n.ASN] = n.ID
	db.stats.Networks++
	return nil
}

func isLive(status string) bool { return status == "" || status == "ok" }

func (d *decoder) poc(raw json.RawMessage, start int64) error {
	c, err := d.contact(raw, start)
	if err != nil {
		return err
	}
	if c.NetID == 0 {
		return d.errorf(start, "poc id %d: field \"net_id\" missing or 0", c.ID)
	}
	if old, dup := d.db.pocs[c.ID]; dup {
		if old != c {
			return d.errorf(start, "duplicate poc id %d", c.ID)
		}
		return nil
	}
	d.db.pocs[c.ID] = c
	d.db.netPocs[c.NetID] = append(d.db.netPocs[c.NetID], c.ID)
	d.db.stats.Contacts++
	return nil
}

func (d *decoder) contact(raw json.RawMessage, start int64) (Contact, error) {
	var rp rawPOC
	if err := json.Unmarshal(raw, &rp); err != nil {
		return Contact{}, d.wrap(start, err)
	}
	c := Contact{ID: rp.ID, NetID: rp.NetID, Role: Role(strings.TrimSpace(rp.Role)), Name: rp.Name,
		Phone: rp.Phone, Email: rp.Email, URL: rp.URL, Status: rp.Status}
	if c.Role == "" {
		return Contact{}, d.errorf(start, "poc id %d: field \"role\" is empty", rp.ID)
	}
	switch v := Visibility(rp.Visible); v {
	case VisiblePublic, VisibleUsers, VisiblePrivate:
		c.Visible = v
	case "":
		c.Visible = VisiblePublic // anonymous API output omits nothing but older dumps lack it
	default:
		return Contact{}, d.errorf(start, "poc id %d: field \"visible\": unknown value %q (want Public, Users or Private)", rp.ID, rp.Visible)
	}
	var err error
	if c.Updated, err = parseTime(rp.Updated); err != nil {
		return Contact{}, d.errorf(start, "poc id %d: field \"updated\": %v", rp.ID, err)
	}
	return c, nil
}

func (d *decoder) org(raw json.RawMessage, start int64) error {
	var ro rawOrg
	if err := json.Unmarshal(raw, &ro); err != nil {
		return d.wrap(start, err)
	}
	o := Org{ID: ro.ID, Name: ro.Name, AKA: ro.AKA, Website: ro.Website, Country: ro.Country, City: ro.City, Status: ro.Status}
	var err error
	if o.Updated, err = parseTime(ro.Updated); err != nil {
		return d.errorf(start, "org id %d: field \"updated\": %v", ro.ID, err)
	}
	if _, dup := d.db.orgs[o.ID]; dup {
		return d.errorf(start, "duplicate org id %d", o.ID)
	}
	d.db.orgs[o.ID] = o
	d.db.stats.Orgs++
	return nil
}

// parseASN validates a JSON number as an ASN in 1..4294967295.
func parseASN(n *json.Number) (uint32, error) {
	if n == nil {
		return 0, fmt.Errorf("missing")
	}
	v, err := strconv.ParseUint(n.String(), 10, 32)
	if err != nil {
		return 0, fmt.Errorf("%q is not an ASN (an integer in 1..4294967295)", n.String())
	}
	if v == 0 {
		return 0, fmt.Errorf("ASN 0 is reserved and cannot identify a network")
	}
	return uint32(v), nil
}

// parseTime reads PeeringDB timestamps ("2022-07-27T05:33:20Z", with or without fraction);
// empty and null give the zero time.
func parseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not an RFC 3339 time", s)
	}
	return t, nil
}
