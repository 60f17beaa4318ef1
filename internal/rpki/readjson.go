package rpki

import (
	"bytes"
	"net/netip"
	"strconv"
	"unicode/utf8"
)

// jsonReader decodes the JSON VRP export shapes: rpki-client (all vintages, incl. "aspas" and
// the 2023 "provider_authorizations"), Routinator json/jsonext, OctoRPKI, RIPE Validator,
// StayRTR/GoRTR. ASNs may be integers or "AS123" strings.
type jsonReader struct {
	s       *jscan
	set     *Set
	tas     map[string]string // interned trust anchor names
	lastTA  string
	sawROAs bool
	sawASPA bool
	keys    map[string]bool // top-level keys seen, for shape detection
}

// readJSON decodes a VRP export; sizeHint is the input size in bytes when known, to size the
// VRP slice once.
func readJSON(s *jscan, sizeHint int64) (*Set, error) {
	jr := &jsonReader{s: s, set: &Set{}, tas: map[string]string{}, keys: map[string]bool{}}
	if sizeHint > 0 {
		jr.set.VRPs = make([]VRP, 0, sizeHint/64)
	}
	c, err := s.peek()
	if err != nil {
		return nil, err
	}
	if c == '[' {
		jr.sawROAs, jr.keys["[]"] = true, true
		err = s.array(jr.anyROA)
	} else {
		err = s.object(jr.top)
	}
	if err != nil {
		return nil, err
	}
	if err := s.end(); err != nil {
		return nil, err
	}
	if jr.keys["slurmVersion"] {
		return nil, s.errAt(0, "this is a SLURM file, not a VRP export")
	}
	if !jr.sawROAs && !jr.sawASPA {
		return nil, s.errAt(0, `no "roas" or "aspas" array: not a VRP export`)
	}
	jr.set.Format = jr.shape()
	return jr.set, nil
}

func (jr *jsonReader) top(key []byte, _ int64) error {
	jr.keys[string(key)] = true
	switch string(key) {
	case "roas":
		jr.sawROAs = true
		return jr.s.array(jr.anyROA)
	case "aspas":
		jr.sawASPA = true
		return jr.s.array(jr.aspa)
	case "provider_authorizations":
		jr.sawASPA = true
		return jr.s.object(func([]byte, int64) error { return jr.s.array(jr.aspa) })
	}
	return jr.s.skip()
}

// shape names the export shape from the keys seen (a best guess, for provenance only).
func (jr *jsonReader) shape() string {
	switch {
	case jr.keys["provider_authorizations"]:
		return "rpki-client-json-2023"
	case jr.keys["bgpsec_keys"] || jr.keys["nonfunc_cas"]:
		return "rpki-client-json"
	case jr.keys["routerKeys"] || jr.keys["aspas"]:
		return "routinator-json"
	}
	return "json"
}

// jsonFastPath enables roaFast; tests turn it off to compare both paths.
var jsonFastPath = true

// anyROA reads one ROA object, by the fast path when it can.
func (jr *jsonReader) anyROA() error {
	if jsonFastPath && jr.roaFast() {
		return nil
	}
	return jr.roa()
}

func (jr *jsonReader) roa() error {
	s := jr.s
	at := s.off()
	var (
		v                 VRP
		prefix            netip.Prefix
		maxLen            = -1
		hasASN, hasPrefix bool
	)
	if err := s.beginObject(); err != nil {
		return err
	}
	for first := true; ; first = false {
		key, _, ok, err := s.nextMember(first)
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		vat := s.off()
		switch string(key) {
		case "asn", "ASN", "origin", "origin_asn":
			v.ASN, err = jr.asn()
			hasASN = true
		case "prefix", "ip_prefix":
			var b []byte
			if b, err = s.str(); err != nil {
				return err
			}
			p, fast := parseIPv4Prefix(b)
			if !fast {
				if p, err = parsePrefix(string(b)); err != nil {
					return s.errAt(vat, "%v", err)
				}
			}
			prefix, hasPrefix = p, true
		case "maxLength", "max_length", "maxPrefixLength", "maxlen":
			var n uint64
			n, err = jr.uint(255)
			maxLen = int(n)
		case "ta":
			var b []byte
			if b, err = s.str(); err == nil {
				v.TA = jr.intern(b)
			}
		case "expires":
			var n uint64
			n, err = jr.uint(1<<62 - 1)
			v.Expires = int64(n)
		default:
			err = s.skip()
		}
		if err != nil {
			return err
		}
	}
	if !hasASN || !hasPrefix {
		return s.errAt(at, "ROA entry without asn or prefix")
	}
	if maxLen < 0 {
		maxLen = prefix.Bits()
	}
	vrp, err := NewVRP(prefix, maxLen, v.ASN)
	if err != nil {
		return s.errAt(at, "%v", err)
	}
	vrp.TA, vrp.Expires = v.TA, v.Expires
	jr.set.VRPs = append(jr.set.VRPs, vrp)
	return nil
}

func (jr *jsonReader) intern(b []byte) string {
	if string(b) == jr.lastTA { // exports are grouped by trust anchor
		return jr.lastTA
	}
	if t, ok := jr.tas[string(b)]; ok {
		jr.lastTA = t
		return t
	}
	if !utf8.Valid(b) {
		return string(bytes.ToValidUTF8(b, []byte("\uFFFD")))
	}
	t := string(b)
	jr.tas[t], jr.lastTA = t, t
	return t
}

// asn reads an AS number given as an integer or as a "64500"/"AS64500" string.
func (jr *jsonReader) asn() (uint32, error) {
	s := jr.s
	at := s.off()
	c, err := s.peek()
	if err != nil {
		return 0, err
	}
	if c == '"' {
		b, err := s.str()
		if err != nil {
			return 0, err
		}
		n, err := parseASNBytes(b)
		if err != nil {
			return 0, s.errAt(at, "%v", err)
		}
		return n, nil
	}
	n, err := jr.uint(0xFFFFFFFF)
	if err != nil {
		return 0, s.errAt(at, "bad AS number: %v", err)
	}
	return uint32(n), nil
}

// uint reads a non-negative integer (or an integer in a string) no larger than limit.
func (jr *jsonReader) uint(limit uint64) (uint64, error) {
	s := jr.s
	at := s.off()
	c, err := s.peek()
	if err != nil {
		return 0, err
	}
	var b []byte
	if c == '"' {
		b, err = s.str()
	} else if c == '-' || c >= '0' && c <= '9' {
		b, err = s.num()
	} else {
		return 0, s.errAt(at, "expected a number, found %q", c)
	}
	if err != nil {
		return 0, err
	}
	var n uint64
	ok := len(b) > 0 && len(b) <= 20
	for _, d := range b {
		if d < '0' || d > '9' {
			ok = false
			break
		}
		n = n*10 + uint64(d-'0')
	}
	if ok && len(b) == 20 {
		_, perr := strconv.ParseUint(string(b), 10, 64)
		ok = perr == nil
	}
	if !ok {
		return 0, s.errAt(at, "expected a non-negative integer, found %q", b)
	}
	if n > limit {
		return 0, s.errAt(at, "number %d out of range (0-%d)", n, limit)
	}
	return n, nil
}

// aspa reads one ASPA entry in any of the seen shapes: {customer_asid, providers[]} (rpki-client),
// {customer_asid, provider_asids[]}, {customer: "AS1", providers: ["AS2"]} (Routinator, RIPE
// Validator), providers given as integers, "ASn" strings or {asid, afi_limit} objects.
func (jr *jsonReader) aspa() error {
	s := jr.s
	at := s.off()
	var a ASPA
	hasCustomer := false
	err := s.object(func(key []byte, _ int64) error {
		switch string(key) {
		case "customer_asid", "customer", "customerAsid", "customer_asn", "customerAsn":
			n, err := jr.asn()
			a.Customer, hasCustomer = n, true
			return err
		case "providers", "provider_asids", "providerSet", "provider_set", "providerAsids", "providerAsns":
			return s.array(func() error {
				p, err := jr.provider()
				a.Providers = append(a.Providers, p)
				return err
			})
		}
		return s.skip()
	})
	if err != nil {
		return err
	}
	if !hasCustomer {
		return s.errAt(at, "ASPA entry without customer")
	}
	if len(a.Providers) == 0 {
		return s.errAt(at, "ASPA entry for AS%d without providers", a.Customer)
	}
	jr.set.ASPAs = append(jr.set.ASPAs, a)
	return nil
}

func (jr *jsonReader) provider() (uint32, error) {
	s := jr.s
	c, err := s.peek()
	if err != nil || c != '{' {
		return jr.asn()
	}
	at := s.off()
	var p uint32
	found := false
	err = s.object(func(key []byte, _ int64) error {
		switch string(key) {
		case "asid", "provider_asid", "asn", "provider", "providerAsid", "providerAsn":
			n, err := jr.asn()
			p, found = n, true
			return err
		}
		return s.skip()
	})
	if err == nil && !found {
		err = s.errAt(at, "ASPA provider entry without asid")
	}
	return p, err
}
