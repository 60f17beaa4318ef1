package ripestat

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/netip"
	"time"
)

// Sighting is when and how a resource was first or last seen in BGP.
type Sighting struct {
	Time   time.Time
	Origin uint32
	Prefix netip.Prefix
}

// Visibility counts the full-table RIS peers seeing a resource.
type Visibility struct {
	PeersSeeing int
	TotalPeers  int
}

// Origin is one origin AS of a prefix, with the IRR route objects registered for it.
type Origin struct {
	Origin       uint32
	RouteObjects []string
}

// RoutingStatus is the result of the routing-status call for an AS or a prefix.
type RoutingStatus struct {
	Meta
	Resource  string
	FirstSeen *Sighting // nil when never seen
	LastSeen  *Sighting
	V4, V6    Visibility
	// For an AS: announced space and the number of observed BGP neighbours.
	PrefixesV4, PrefixesV6 int
	IPsV4, Slash48sV6      int64
	ObservedNeighbours     int
	// For a prefix: the origins announcing it.
	Origins []Origin
}

type rawSighting struct {
	Time   string          `json:"time"`
	Origin json.RawMessage `json:"origin"`
	Prefix string          `json:"prefix"`
}

type rawVisibility struct {
	PeersSeeing int `json:"ris_peers_seeing"`
	TotalPeers  int `json:"total_ris_peers"`
}

type rawRoutingStatus struct {
	Resource   string       `json:"resource"`
	FirstSeen  *rawSighting `json:"first_seen"`
	LastSeen   *rawSighting `json:"last_seen"`
	Visibility struct {
		V4 rawVisibility `json:"v4"`
		V6 rawVisibility `json:"v6"`
	} `json:"visibility"`
	Announced struct {
		V4 struct {
			Prefixes int   `json:"prefixes"`
			IPs      int64 `json:"ips"`
		} `json:"v4"`
		V6 struct {
			Prefixes int   `json:"prefixes"`
			S48      int64 `json:"48s"`
		} `json:"v6"`
	} `json:"announced_space"`
	Neighbours int `json:"observed_neighbours"`
	Origins    []struct {
		Origin       json.RawMessage `json:"origin"`
		RouteObjects []string        `json:"route_objects"`
	} `json:"origins"`
}

// ParseRoutingStatus reads a routing-status response; name labels errors.
func ParseRoutingStatus(body []byte, name string) (*RoutingStatus, error) {
	var raw rawRoutingStatus
	meta, err := parse(body, name, "routing-status", &raw)
	if err != nil {
		return nil, err
	}
	out := &RoutingStatus{Meta: meta, Resource: raw.Resource,
		V4: Visibility(raw.Visibility.V4), V6: Visibility(raw.Visibility.V6),
		PrefixesV4: raw.Announced.V4.Prefixes, IPsV4: raw.Announced.V4.IPs,
		PrefixesV6: raw.Announced.V6.Prefixes, Slash48sV6: raw.Announced.V6.S48,
		ObservedNeighbours: raw.Neighbours}
	if out.FirstSeen, err = sighting(raw.FirstSeen); err != nil {
		return nil, fieldError(name, "data.first_seen", err)
	}
	if out.LastSeen, err = sighting(raw.LastSeen); err != nil {
		return nil, fieldError(name, "data.last_seen", err)
	}
	for i, o := range raw.Origins {
		asn, err := asnValue(o.Origin)
		if err != nil {
			return nil, fieldError(name, fmt.Sprintf("data.origins[%d].origin", i), err)
		}
		out.Origins = append(out.Origins, Origin{Origin: asn, RouteObjects: o.RouteObjects})
	}
	return out, nil
}

func sighting(r *rawSighting) (*Sighting, error) {
	if r == nil {
		return nil, nil
	}
	s := &Sighting{}
	var err error
	if s.Time, err = parseTime(r.Time); err != nil {
		return nil, fmt.Errorf("time: %w", err)
	}
	if o := bytes.TrimSpace(r.Origin); len(o) > 0 && !bytes.Equal(o, []byte("null")) {
		if s.Origin, err = asnValue(o); err != nil {
			return nil, fmt.Errorf("origin: %w", err)
		}
	}
	if r.Prefix != "" {
		if s.Prefix, err = parsePrefix(r.Prefix); err != nil {
			return nil, fmt.Errorf("prefix: %w", err)
		}
	}
	return s, nil
}

// PrefixConsistency compares one prefix of an AS between BGP and the IRR.
type PrefixConsistency struct {
	Prefix     netip.Prefix
	InBGP      bool
	InWhois    bool
	IRRSources []string // e.g. ["RIPE"]; empty when not registered
}

// PeerConsistency compares one neighbour of an AS between BGP and its aut-num policy.
type PeerConsistency struct {
	Peer    uint32
	InBGP   bool
	InWhois bool
}

// ASRoutingConsistency is the result of the as-routing-consistency call.
type ASRoutingConsistency struct {
	Meta
	Authority string // authoritative registry, e.g. "ripe"
	Prefixes  []PrefixConsistency
	Imports   []PeerConsistency
	Exports   []PeerConsistency
}

type rawPeer struct {
	Peer    json.RawMessage `json:"peer"`
	InBGP   bool            `json:"in_bgp"`
	InWhois bool            `json:"in_whois"`
}

// ParseASRoutingConsistency reads an as-routing-consistency response; name labels errors.
func ParseASRoutingConsistency(body []byte, name string) (*ASRoutingConsistency, error) {
	var raw struct {
		Authority string `json:"authority"`
		Prefixes  []struct {
			Prefix  string          `json:"prefix"`
			InBGP   bool            `json:"in_bgp"`
			InWhois bool            `json:"in_whois"`
			Sources json.RawMessage `json:"irr_sources"`
		} `json:"prefixes"`
		Imports []rawPeer `json:"imports"`
		Exports []rawPeer `json:"exports"`
	}
	meta, err := parse(body, name, "as-routing-consistency", &raw)
	if err != nil {
		return nil, err
	}
	out := &ASRoutingConsistency{Meta: meta, Authority: raw.Authority}
	for i, p := range raw.Prefixes {
		pc := PrefixConsistency{InBGP: p.InBGP, InWhois: p.InWhois}
		if pc.Prefix, err = parsePrefix(p.Prefix); err != nil {
			return nil, fieldError(name, fmt.Sprintf("data.prefixes[%d].prefix", i), err)
		}
		if pc.IRRSources, err = irrSources(p.Sources); err != nil {
			return nil, fieldError(name, fmt.Sprintf("data.prefixes[%d].irr_sources", i), err)
		}
		out.Prefixes = append(out.Prefixes, pc)
	}
	if out.Imports, err = peers(raw.Imports, name, "imports"); err != nil {
		return nil, err
	}
	if out.Exports, err = peers(raw.Exports, name, "exports"); err != nil {
		return nil, err
	}
	return out, nil
}

// irrSources reads irr_sources, which is a list of source names or the string "-" for none.
func irrSources(raw json.RawMessage) ([]string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return nil, nil
	}
	if raw[0] == '"' {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, err
		}
		if s == "-" || s == "" {
			return nil, nil
		}
		return []string{s}, nil
	}
	var list []string
	if err := json.Unmarshal(raw, &list); err != nil {
		return nil, fmt.Errorf("want a list of source names or \"-\"")
	}
	return list, nil
}

func peers(raw []rawPeer, name, field string) ([]PeerConsistency, error) {
	out := make([]PeerConsistency, 0, len(raw))
	for i, p := range raw {
		asn, err := asnValue(p.Peer)
		if err != nil {
			return nil, fieldError(name, fmt.Sprintf("data.%s[%d].peer", field, i), err)
		}
		out = append(out, PeerConsistency{Peer: asn, InBGP: p.InBGP, InWhois: p.InWhois})
	}
	return out, nil
}
