package bogon

import "net/netip"

// Checker combines the sources of bogon knowledge an installation has: the built-in IANA data,
// any imported lists, and RIR delegated statistics for unallocated ("full bogon") space.
// A zero Checker knows nothing; NewChecker starts from Default.
type Checker struct {
	Sets      []*Set     // consulted in order; the first match wins
	Delegated *Delegated // optional
}

// NewChecker returns a Checker over Default, the given lists and d (which may be nil).
func NewChecker(d *Delegated, lists ...*Set) *Checker {
	return &Checker{Sets: append([]*Set{Default()}, lists...), Delegated: d}
}

// IsBogonPrefix reports whether p is a bogon by any set, or lies in unallocated space.
func (c *Checker) IsBogonPrefix(p netip.Prefix) (reason string, ok bool) {
	for _, s := range c.Sets {
		if reason, ok := s.IsBogonPrefix(p); ok {
			return reason, true
		}
	}
	if c.Delegated != nil {
		if reason, ok := c.Delegated.IsUnallocatedPrefix(p); ok {
			return "unallocated: " + reason, true
		}
	}
	return "", false
}

// IsBogonASN reports whether asn is a bogon by any set, or is unallocated.
func (c *Checker) IsBogonASN(asn uint32) (reason string, ok bool) {
	for _, s := range c.Sets {
		if reason, ok := s.IsBogonASN(asn); ok {
			return reason, true
		}
	}
	if c.Delegated != nil {
		if reason, ok := c.Delegated.IsUnallocatedASN(asn); ok {
			return "unallocated: " + reason, true
		}
	}
	return "", false
}
