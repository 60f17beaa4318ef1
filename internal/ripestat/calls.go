package ripestat

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"time"
)

// Timeline is a period during which a prefix was seen.
type Timeline struct{ Start, End time.Time }

// AnnouncedPrefix is one prefix an AS announced during the query window.
type AnnouncedPrefix struct {
	Prefix    netip.Prefix
	Timelines []Timeline
}

// AnnouncedPrefixes is the result of the announced-prefixes call.
type AnnouncedPrefixes struct {
	Meta
	Resource   uint32
	QueryStart time.Time
	QueryEnd   time.Time
	Prefixes   []AnnouncedPrefix
}

// ParseAnnouncedPrefixes reads an announced-prefixes response; name labels errors.
func ParseAnnouncedPrefixes(body []byte, name string) (*AnnouncedPrefixes, error) {
	var raw struct {
		Resource   json.RawMessage `json:"resource"`
		QueryStart string          `json:"query_starttime"`
		QueryEnd   string          `json:"query_endtime"`
		Prefixes   []struct {
			Prefix    string `json:"prefix"`
			Timelines []struct {
				Start string `json:"starttime"`
				End   string `json:"endtime"`
			} `json:"timelines"`
		} `json:"prefixes"`
	}
	meta, err := parse(body, name, "announced-prefixes", &raw)
	if err != nil {
		return nil, err
	}
	out := &AnnouncedPrefixes{Meta: meta, Prefixes: make([]AnnouncedPrefix, 0, len(raw.Prefixes))}
	if out.Resource, err = asnValue(raw.Resource); err != nil {
		return nil, fieldError(name, "data.resource", err)
	}
	if out.QueryStart, err = parseTime(raw.QueryStart); err != nil {
		return nil, fieldError(name, "data.query_starttime", err)
	}
	if out.QueryEnd, err = parseTime(raw.QueryEnd); err != nil {
		return nil, fieldError(name, "data.query_endtime", err)
	}
	for i, rp := range raw.Prefixes {
		ap := AnnouncedPrefix{}
		if ap.Prefix, err = parsePrefix(rp.Prefix); err != nil {
			return nil, fieldError(name, fmt.Sprintf("data.prefixes[%d].prefix", i), err)
		}
		for j, tl := range rp.Timelines {
			var t Timeline
			if t.Start, err = parseTime(tl.Start); err == nil {
				t.End, err = parseTime(tl.End)
			}
			if err != nil {
				return nil, fieldError(name, fmt.Sprintf("data.prefixes[%d].timelines[%d]", i, j), err)
			}
			ap.Timelines = append(ap.Timelines, t)
		}
		out.Prefixes = append(out.Prefixes, ap)
	}
	return out, nil
}

// RPKI validation states reported by the rpki-validation call.
const (
	RPKIValid         = "valid"
	RPKIInvalidASN    = "invalid_asn"
	RPKIInvalidLength = "invalid_length"
	RPKIUnknown       = "unknown"
)

// ValidatingROA is a ROA (VRP) RIPEstat used to validate a route.
type ValidatingROA struct {
	Origin    uint32
	Prefix    netip.Prefix
	MaxLength int
	Validity  string
}

// RPKIValidation is the result of the rpki-validation call for one (origin, prefix) pair.
type RPKIValidation struct {
	Meta
	Origin    uint32
	Prefix    netip.Prefix
	Status    string // one of the RPKI* constants
	Validator string // e.g. "routinator"
	ROAs      []ValidatingROA
}

// ParseRPKIValidation reads an rpki-validation response; name labels errors.
func ParseRPKIValidation(body []byte, name string) (*RPKIValidation, error) {
	var raw struct {
		Resource  json.RawMessage `json:"resource"`
		Prefix    string          `json:"prefix"`
		Status    string          `json:"status"`
		Validator string          `json:"validator"`
		ROAs      []struct {
			Origin    json.RawMessage `json:"origin"`
			Prefix    string          `json:"prefix"`
			MaxLength int             `json:"max_length"`
			Validity  string          `json:"validity"`
		} `json:"validating_roas"`
	}
	meta, err := parse(body, name, "rpki-validation", &raw)
	if err != nil {
		return nil, err
	}
	out := &RPKIValidation{Meta: meta, Status: raw.Status, Validator: raw.Validator}
	switch raw.Status {
	case RPKIValid, RPKIInvalidASN, RPKIInvalidLength, RPKIUnknown:
	default:
		return nil, fieldError(name, "data.status", fmt.Errorf("unknown state %q", raw.Status))
	}
	if out.Origin, err = asnValue(raw.Resource); err != nil {
		return nil, fieldError(name, "data.resource", err)
	}
	if out.Prefix, err = parsePrefix(raw.Prefix); err != nil {
		return nil, fieldError(name, "data.prefix", err)
	}
	for i, r := range raw.ROAs {
		roa := ValidatingROA{MaxLength: r.MaxLength, Validity: r.Validity}
		if roa.Origin, err = asnValue(r.Origin); err != nil {
			return nil, fieldError(name, fmt.Sprintf("data.validating_roas[%d].origin", i), err)
		}
		if roa.Prefix, err = parsePrefix(r.Prefix); err != nil {
			return nil, fieldError(name, fmt.Sprintf("data.validating_roas[%d].prefix", i), err)
		}
		if roa.MaxLength < roa.Prefix.Bits() || roa.MaxLength > roa.Prefix.Addr().BitLen() {
			return nil, fieldError(name, fmt.Sprintf("data.validating_roas[%d].max_length", i),
				fmt.Errorf("%d outside %d..%d for %s", roa.MaxLength, roa.Prefix.Bits(), roa.Prefix.Addr().BitLen(), roa.Prefix))
		}
		out.ROAs = append(out.ROAs, roa)
	}
	return out, nil
}

// AbuseContacts is the result of the abuse-contact-finder call.
type AbuseContacts struct {
	Meta
	Contacts         []string // e-mail addresses of the abuse-c
	AuthoritativeRIR string   // e.g. "ripe"
}

// ParseAbuseContacts reads an abuse-contact-finder response; name labels errors.
func ParseAbuseContacts(body []byte, name string) (*AbuseContacts, error) {
	var raw struct {
		Contacts []string `json:"abuse_contacts"`
		RIR      string   `json:"authoritative_rir"`
	}
	meta, err := parse(body, name, "abuse-contact-finder", &raw)
	if err != nil {
		return nil, err
	}
	return &AbuseContacts{Meta: meta, Contacts: raw.Contacts, AuthoritativeRIR: raw.RIR}, nil
}
