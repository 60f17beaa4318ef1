package rpki

import (
	"bytes"
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
	if err := s.beginObject(); err != nil {
		return err
	}
	f := roaFields{maxLen: -1}
	for first := true; ; first = false {
		key, _, ok, err := s.nextMember(first)
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		if err := jr.roaMember(&f, key); err != nil {
			return err
		}
	}
	v, err := f.vrp()
	if err != nil {
		return s.errAt(at, "%v", err)
	}
	jr.set.VRPs = append(jr.set.VRPs, v)
	return nil
}

// roaMember decodes the value of one ROA member into f; unknown members are skipped.
func (jr *jsonReader) roaMember(f *roaFields, key []byte) error {
	s := jr.s
	vat := s.off()
	switch string(key) {
	case "asn", "ASN", "origin", "origin_asn":
		n, err := jr.asn()
		f.v.ASN, f.hasASN = n, true
		return err
	case "prefix", "ip_prefix":
		b, err := s.str()
		if err != nil {
			return err
		}
		p, fast := parseIPv4Prefix(b)
		if !fast {
			if p, err = parsePrefix(string(b)); err != nil {
				return s.errAt(vat, "%v", err)
			}
		}
		f.v.Prefix, f.hasPrefix = p, true
	case "maxLength", "max_length", "maxPrefixLength", "maxlen":
		n, err := jr.uint(255)
		f.maxLen = int(n)
		return err
	case "ta":
		b, err := s.str()
		if err == nil {
			f.v.TA = jr.intern(b)
		}
		return err
	case "expires":
		n, err := jr.uint(1<<62 - 1)
		f.v.Expires = int64(n)
		return err
	default:
		return s.skip()
	}
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
