// Package rpki reads validated RPKI payloads (VRPs and ASPAs) in every common export shape,
// applies SLURM (RFC 8416) overrides, validates route origins per RFC 6811 and verifies AS paths
// per draft-ietf-sidrops-aspa-verification.
package rpki

import (
	"fmt"
	"net/netip"
	"slices"
	"strconv"
)

// VRP is a validated ROA payload: ASN may originate Prefix and its more-specifics up to MaxLength.
type VRP struct {
	Prefix    netip.Prefix
	MaxLength uint8
	ASN       uint32
	TA        string // trust anchor name, when the export carries it
	Expires   int64  // POSIX seconds, 0 when the export does not carry it
}

// String renders the VRP as "PREFIX-MAXLEN ASN".
func (v VRP) String() string {
	return fmt.Sprintf("%s-%d AS%d", v.Prefix, v.MaxLength, v.ASN)
}

// ASPA is a validated ASPA payload: the customer AS and its set of provider ASes (sorted,
// unique). A provider set of only AS0 means the customer has no providers.
type ASPA struct {
	Customer  uint32
	Providers []uint32
}

// Set is the content of one VRP export (or several merged): VRPs and ASPAs.
type Set struct {
	VRPs   []VRP
	ASPAs  []ASPA
	Format string // the detected export shape, e.g. "rpki-client-json", "routinator-csv"
}

// ParseError locates a malformed input: the file, the line (text formats) or the byte offset
// (JSON, with its line when known), and the reason.
type ParseError struct {
	File   string
	Line   int   // 1-based; 0 when unknown
	Offset int64 // byte offset (from 0) for JSON input; -1 for line-based formats
	Reason string
}

// Error renders "file:line: reason" for text formats and "file: byte N (line L): reason" for
// JSON.
func (e *ParseError) Error() string {
	switch {
	case e.Offset < 0:
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Reason)
	case e.Line > 0:
		return fmt.Sprintf("%s: byte %d (line %d): %s", e.File, e.Offset, e.Line, e.Reason)
	}
	return fmt.Sprintf("%s: byte %d: %s", e.File, e.Offset, e.Reason)
}

// ParseASN parses an AS number written as "64500", "AS64500" or "as64500" (asplain, 0 to
// 4294967295).
func ParseASN(s string) (uint32, error) {
	t := s
	if len(t) >= 2 && (t[0] == 'A' || t[0] == 'a') && (t[1] == 'S' || t[1] == 's') {
		t = t[2:]
	}
	if t == "" || t[0] == '+' || t[0] == '-' {
		return 0, fmt.Errorf("bad AS number %q", s)
	}
	n, err := strconv.ParseUint(t, 10, 32)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return 0, fmt.Errorf("AS number %q out of range (0-4294967295)", s)
		}
		return 0, fmt.Errorf("bad AS number %q", s)
	}
	return uint32(n), nil
}

// parseASNBytes is ParseASN for a byte slice without allocating on the valid path.
func parseASNBytes(b []byte) (uint32, error) {
	t := b
	if len(t) >= 2 && (t[0] == 'A' || t[0] == 'a') && (t[1] == 'S' || t[1] == 's') {
		t = t[2:]
	}
	if len(t) == 0 || len(t) > 10 {
		return ParseASN(string(b))
	}
	var n uint64
	for _, c := range t {
		if c < '0' || c > '9' {
			return ParseASN(string(b))
		}
		n = n*10 + uint64(c-'0')
	}
	if n > 0xFFFFFFFF {
		return ParseASN(string(b))
	}
	return uint32(n), nil
}

// NewVRP checks and builds a VRP. Host bits in the prefix are cleared (the covered address
// range is what matters); a max length below the prefix length or beyond the address size is
// an error.
func NewVRP(p netip.Prefix, maxLen int, asn uint32) (VRP, error) {
	if !p.IsValid() {
		return VRP{}, fmt.Errorf("invalid prefix")
	}
	if p.Addr().Zone() != "" {
		return VRP{}, fmt.Errorf("prefix %s has a zone", p)
	}
	p = p.Masked()
	if maxLen < p.Bits() {
		return VRP{}, fmt.Errorf("max length %d below prefix length of %s", maxLen, p)
	}
	if maxLen > p.Addr().BitLen() {
		return VRP{}, fmt.Errorf("max length %d beyond %d bits for %s", maxLen, p.Addr().BitLen(), p)
	}
	return VRP{Prefix: p, MaxLength: uint8(maxLen), ASN: asn}, nil
}

// parsePrefix parses a prefix; IPv4-mapped IPv6 and zones are refused.
func parsePrefix(s string) (netip.Prefix, error) {
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return netip.Prefix{}, fmt.Errorf("bad prefix %q", s)
	}
	if p.Addr().Is4In6() {
		return netip.Prefix{}, fmt.Errorf("bad prefix %q: IPv4-mapped IPv6", s)
	}
	return p, nil
}

// vrpKeyCmp orders VRPs by prefix, max length, ASN.
func vrpKeyCmp(a, b VRP) int {
	if c := a.Prefix.Addr().Compare(b.Prefix.Addr()); c != 0 {
		return c
	}
	if c := a.Prefix.Bits() - b.Prefix.Bits(); c != 0 {
		return c
	}
	if c := int(a.MaxLength) - int(b.MaxLength); c != 0 {
		return c
	}
	switch {
	case a.ASN < b.ASN:
		return -1
	case a.ASN > b.ASN:
		return 1
	}
	return 0
}

// Merge appends the VRPs and ASPAs of o to s (call Normalize afterwards to drop duplicates).
func (s *Set) Merge(o *Set) {
	s.VRPs = append(s.VRPs, o.VRPs...)
	s.ASPAs = append(s.ASPAs, o.ASPAs...)
}

// Normalize sorts the VRPs, drops duplicates (same prefix, max length and ASN; the first TA and
// expiry are kept) and merges ASPAs of the same customer (union of providers).
func (s *Set) Normalize() {
	slices.SortStableFunc(s.VRPs, vrpKeyCmp)
	s.VRPs = slices.CompactFunc(s.VRPs, func(a, b VRP) bool { return vrpKeyCmp(a, b) == 0 })
	s.ASPAs = mergeASPAs(s.ASPAs)
}

func mergeASPAs(in []ASPA) []ASPA {
	if len(in) == 0 {
		return in
	}
	slices.SortStableFunc(in, func(a, b ASPA) int {
		switch {
		case a.Customer < b.Customer:
			return -1
		case a.Customer > b.Customer:
			return 1
		}
		return 0
	})
	out := in[:0]
	for _, a := range in {
		if n := len(out); n > 0 && out[n-1].Customer == a.Customer {
			out[n-1].Providers = append(out[n-1].Providers, a.Providers...)
			continue
		}
		a.Providers = slices.Clone(a.Providers)
		out = append(out, a)
	}
	for i := range out {
		slices.Sort(out[i].Providers)
		out[i].Providers = slices.Compact(out[i].Providers)
	}
	return out
}
