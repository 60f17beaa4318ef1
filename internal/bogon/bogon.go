// Package bogon tells whether a prefix or an AS number must not appear in the global routing
// table. Default holds the IANA special-purpose registries as built-in Go data (see iana.go for
// the sources); ReadList reads published bogon lists (Team Cymru style prefix lists, RPSL
// filter-sets); ReadDelegated reads RIR delegated-extended statistics, whose available and
// reserved blocks are the "full bogons" (space no RIR has handed out).
package bogon

import (
	"bufio"
	"bytes"
	"compress/bzip2"
	"compress/gzip"
	"fmt"
	"io"
	"net/netip"
	"slices"
	"strconv"
	"strings"
)

// ParseError reports malformed input: the file, the 1-based line and the reason.
type ParseError struct {
	File   string
	Line   int
	Reason string
}

// Error formats the error as "file:line: reason", or "file: reason" when the input could not
// be opened at all (Line 0, e.g. a damaged gzip header).
func (e *ParseError) Error() string {
	if e.Line == 0 {
		return fmt.Sprintf("%s: %s", e.File, e.Reason)
	}
	return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Reason)
}

// Range is a prefix range in RPSL notation (RFC 2622 section 2): Prefix and the lengths Min..Max
// of the prefixes inside it that match. "10.0.0.0/8^+" is Min 8, Max 32; "2001::/32^-" is
// Min 33, Max 128; "2001:db8::/32^48" is 48..48; "x/n^a-b" is a..b; a bare prefix is itself.
type Range struct {
	Prefix   netip.Prefix
	Min, Max int
	// Allow marks an exception inside a bogon block: matching prefixes are not bogons
	// (e.g. AS112-v6 2001:4:112::/48 inside the IETF protocol block 2001::/23).
	Allow  bool
	Reason string
}

// String formats the range in RPSL notation.
func (r Range) String() string {
	bits, top := r.Prefix.Bits(), r.Prefix.Addr().BitLen()
	switch {
	case r.Min == bits && r.Max == bits:
		return r.Prefix.String()
	case r.Min == bits && r.Max == top:
		return r.Prefix.String() + "^+"
	case r.Min == bits+1 && r.Max == top:
		return r.Prefix.String() + "^-"
	case r.Min == r.Max:
		return fmt.Sprintf("%s^%d", r.Prefix, r.Min)
	}
	return fmt.Sprintf("%s^%d-%d", r.Prefix, r.Min, r.Max)
}

// Contains reports whether p falls in the range.
func (r Range) Contains(p netip.Prefix) bool {
	return p.Bits() >= r.Min && p.Bits() <= r.Max && r.Prefix.Contains(p.Addr()) &&
		r.Prefix.Addr().Is4() == p.Addr().Is4()
}

// ParseRange parses "prefix", "prefix^+", "prefix^-", "prefix^n" or "prefix^n-m". A lower
// bound below the prefix length is raised to it (real filter-sets write "2001::/23^16-48");
// an upper bound below the prefix length, or above the address size, is an error, as is a
// prefix with host bits set.
func ParseRange(s string) (Range, error) {
	pfx, op, hasOp := strings.Cut(strings.TrimSpace(s), "^")
	p, err := netip.ParsePrefix(pfx)
	if err != nil {
		return Range{}, fmt.Errorf("bad prefix %q", pfx)
	}
	if p != p.Masked() {
		return Range{}, fmt.Errorf("%s has host bits set (network is %s)", p, p.Masked())
	}
	bits, top := p.Bits(), p.Addr().BitLen()
	r := Range{Prefix: p, Min: bits, Max: bits}
	if !hasOp {
		return r, nil
	}
	switch op {
	case "+":
		r.Max = top
	case "-":
		r.Min, r.Max = bits+1, top
	default:
		lo, hi, isRange := strings.Cut(op, "-")
		if r.Min, err = parseLen(lo, top); err != nil {
			return Range{}, fmt.Errorf("range operator ^%s: %v", op, err)
		}
		r.Max = r.Min
		if isRange {
			if r.Max, err = parseLen(hi, top); err != nil {
				return Range{}, fmt.Errorf("range operator ^%s: %v", op, err)
			}
		}
		if r.Max < r.Min || r.Max < bits {
			return Range{}, fmt.Errorf("range operator ^%s is empty for a /%d", op, bits)
		}
		r.Min = max(r.Min, bits)
	}
	if r.Min > top {
		return Range{}, fmt.Errorf("range operator ^%s is empty for a /%d", op, bits)
	}
	return r, nil
}

func parseLen(s string, top int) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > top || s == "" || s[0] == '+' {
		return 0, fmt.Errorf("length %q is not in 0..%d", s, top)
	}
	return n, nil
}

// ASNRange is a block of AS numbers First..Last (inclusive) with the reason they are bogons.
type ASNRange struct {
	First, Last uint32
	Reason      string
}

// Set is a collection of bogon prefix ranges and AS number ranges. It is read-only once built
// and safe for concurrent use.
type Set struct {
	byPrefix map[netip.Prefix][]Range
	lens4    [33]bool
	lens6    [129]bool
	asns     []ASNRange
	n        int
}

func newSet() *Set { return &Set{byPrefix: map[netip.Prefix][]Range{}} }

func (s *Set) add(r Range) {
	list := append(s.byPrefix[r.Prefix], r)
	// Exceptions are tried first so that an allowed exact prefix beats a bogon range with the
	// same base prefix.
	slices.SortStableFunc(list, func(a, b Range) int {
		switch {
		case a.Allow == b.Allow:
			return 0
		case a.Allow:
			return -1
		}
		return 1
	})
	s.byPrefix[r.Prefix] = list
	if r.Prefix.Addr().Is4() {
		s.lens4[r.Prefix.Bits()] = true
	} else {
		s.lens6[r.Prefix.Bits()] = true
	}
	s.n++
}

// Len returns the number of prefix ranges in the set.
func (s *Set) Len() int { return s.n }

// Match returns the range that decides p: walking from p's own length towards /0, the first
// base prefix with a range containing p decides; an Allow range there means p is not a bogon.
func (s *Set) Match(p netip.Prefix) (Range, bool) {
	if !p.IsValid() {
		return Range{}, false
	}
	p = p.Masked()
	lens := s.lens6[:]
	if p.Addr().Is4() {
		lens = s.lens4[:]
	}
	for bits := p.Bits(); bits >= 0; bits-- {
		if !lens[bits] {
			continue
		}
		base, _ := p.Addr().Prefix(bits)
		for _, r := range s.byPrefix[base] {
			if r.Contains(p) {
				return r, true
			}
		}
	}
	return Range{}, false
}

// IsBogonPrefix reports whether p lies in bogon space, with the reason ("10.0.0.0/8^+:
// Private-Use [RFC1918]"). A prefix that only covers bogon space (such as 0.0.0.0/0) is not a
// bogon by this test.
func (s *Set) IsBogonPrefix(p netip.Prefix) (reason string, ok bool) {
	r, found := s.Match(p)
	if !found || r.Allow {
		return "", false
	}
	return r.String() + ": " + r.Reason, true
}

// HasASN reports whether asn is a bogon, without building the reason (for hot loops).
func (s *Set) HasASN(asn uint32) bool {
	for _, r := range s.asns {
		if asn >= r.First && asn <= r.Last {
			return true
		}
	}
	return false
}

// IsBogonASN reports whether asn is reserved, private, documentation or otherwise unusable in
// the global routing table, with the reason.
func (s *Set) IsBogonASN(asn uint32) (reason string, ok bool) {
	for _, r := range s.asns {
		if asn >= r.First && asn <= r.Last {
			if r.First == r.Last {
				return fmt.Sprintf("AS%d: %s", asn, r.Reason), true
			}
			return fmt.Sprintf("AS%d-AS%d: %s", r.First, r.Last, r.Reason), true
		}
	}
	return "", false
}

// decompress detects gzip ("\x1f\x8b") and bzip2 ("BZh") by magic bytes.
func decompress(r io.Reader) (*bufio.Reader, error) {
	br := bufio.NewReaderSize(r, 64*1024)
	magic, _ := br.Peek(3)
	switch {
	case bytes.HasPrefix(magic, []byte{0x1f, 0x8b}):
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("gzip: %w", err)
		}
		return bufio.NewReaderSize(zr, 64*1024), nil
	case bytes.HasPrefix(magic, []byte("BZh")):
		return bufio.NewReaderSize(bzip2.NewReader(br), 64*1024), nil
	}
	return br, nil
}
