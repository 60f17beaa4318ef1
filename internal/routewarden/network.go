package routewarden

import (
	"fmt"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Network is an autonomous system operated by a vendor, optionally with the prefixes the
// organisation expects it to originate and its IRR as-set.
type Network struct {
	ID               int64
	VendorID         int64
	ASN              uint32
	Name             string
	ExpectedPrefixes []netip.Prefix
	ASSet            string
	CreatedAt        time.Time
	UpdatedAt        time.Time
}

// Validate checks the network's fields. Special-purpose ASNs are accepted (ASNWarning tells the
// user), an ASN of 0 is not.
func (n *Network) Validate() error {
	var errs ValidationErrors
	if n.ASN == 0 {
		errs = append(errs, FieldError("asn", "ASN must be between 1 and 4294967295 (AS0 is reserved and cannot be a network)."))
	}
	n.Name = strings.TrimSpace(n.Name)
	if utf8.RuneCountInString(n.Name) > 200 {
		errs = append(errs, FieldError("name", "Name must be at most 200 characters."))
	}
	n.ASSet = strings.ToUpper(strings.TrimSpace(n.ASSet))
	if n.ASSet != "" && !ValidASSetName(n.ASSet) {
		errs = append(errs, FieldError("as_set", "AS-SET must be an RPSL as-set name such as AS-EXAMPLE, AS3333:AS-CUSTOMERS or RIPE::AS-EXAMPLE (got %q).", n.ASSet))
	}
	for i, p := range n.ExpectedPrefixes {
		if p != p.Masked() {
			errs = append(errs, FieldError("expected_prefixes", "Prefix %s has host bits set; did you mean %s?", p, p.Masked()))
		}
		n.ExpectedPrefixes[i] = p.Masked()
	}
	if len(n.ExpectedPrefixes) > 10000 {
		errs = append(errs, FieldError("expected_prefixes", "At most 10000 expected prefixes per network."))
	}
	return errs.Err()
}

// ParseASN parses "64500", "AS64500" or "as64500" (asplain, RFC 5396) and the asdot form
// "1.10" for 4-byte ASNs.
func ParseASN(s string) (uint32, error) {
	s = strings.TrimSpace(s)
	t := strings.TrimPrefix(strings.TrimPrefix(s, "AS"), "as")
	if hi, lo, ok := strings.Cut(t, "."); ok {
		h, err1 := strconv.ParseUint(hi, 10, 16)
		l, err2 := strconv.ParseUint(lo, 10, 16)
		if err1 != nil || err2 != nil {
			return 0, fmt.Errorf("%q is not an AS number", s)
		}
		return uint32(h<<16 | l), nil
	}
	v, err := strconv.ParseUint(t, 10, 32)
	if err != nil || t == "" || t[0] == '+' {
		return 0, fmt.Errorf("%q is not an AS number (1–4294967295)", s)
	}
	return uint32(v), nil
}

// ParsePrefixes parses a list of prefixes separated by commas, spaces or new lines. It reports
// the first bad entry with its position (1-based).
func ParsePrefixes(s string) ([]netip.Prefix, error) {
	fields := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\r' || r == '\t' || r == ';' })
	out := make([]netip.Prefix, 0, len(fields))
	for i, f := range fields {
		p, err := netip.ParsePrefix(f)
		if err != nil {
			return nil, FieldError("expected_prefixes", "Entry %d (%q) is not a prefix such as 192.0.2.0/24 or 2001:db8::/32.", i+1, f)
		}
		out = append(out, p)
	}
	return out, nil
}

var asSetRE = regexp.MustCompile(`^([A-Z0-9-]+::)?((AS[0-9]+|AS-[A-Z0-9_-]+):)*AS-[A-Z0-9_-]+(:(AS[0-9]+|AS-[A-Z0-9_-]+))*$`)

// ValidASSetName reports whether s is a syntactically valid RPSL as-set name (RFC 2622 5.1,
// hierarchical names per RFC 2725), optionally prefixed with an IRR source ("RIPE::").
func ValidASSetName(s string) bool { return len(s) <= 200 && asSetRE.MatchString(s) }

// ASNWarning explains why an ASN should not appear as a supplier's network, or returns "" for an
// ordinary ASN. Ranges follow the IANA special-purpose AS numbers registry (RFC 1930, RFC 5398,
// RFC 6793, RFC 6996, RFC 7300, RFC 7607).
func ASNWarning(asn uint32) string {
	switch {
	case asn == 0:
		return "AS0 is reserved (RFC 7607) and never originates routes."
	case asn == 23456:
		return "AS23456 is AS_TRANS (RFC 6793), a placeholder for 4-byte ASNs, not a real network."
	case asn >= 64496 && asn <= 64511, asn >= 65536 && asn <= 65551:
		return fmt.Sprintf("AS%d is reserved for documentation (RFC 5398).", asn)
	case asn >= 64512 && asn <= 65534, asn >= 4200000000 && asn <= 4294967294:
		return fmt.Sprintf("AS%d is a private-use ASN (RFC 6996); it is not visible in the global routing table.", asn)
	case asn == 65535, asn == 4294967295:
		return fmt.Sprintf("AS%d is reserved (RFC 7300).", asn)
	case asn >= 65552 && asn <= 131071:
		return fmt.Sprintf("AS%d is in a range IANA holds reserved.", asn)
	}
	return ""
}

// FormatASN returns the asplain decimal form of an ASN, without the "AS" prefix.
func FormatASN(asn uint32) string { return strconv.FormatUint(uint64(asn), 10) }
