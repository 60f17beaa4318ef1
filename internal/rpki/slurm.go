package rpki

import (
	"io"
	"net/netip"
	"slices"
)

// SLURM holds local overrides per RFC 8416 (slurmVersion 1), plus the ASPA filters and
// assertions of draft-ietf-sidrops-aspa-slurm (slurmVersion 2). BGPsec filters and assertions are
// read and checked but not kept, since no router keys are used here.
type SLURM struct {
	Version          int
	PrefixFilters    []PrefixFilter
	PrefixAssertions []VRP
	ASPAFilters      []uint32 // customer ASes whose ASPAs are dropped
	ASPAAssertions   []ASPA
}

// PrefixFilter removes the VRPs whose prefix lies within Prefix (when set) and whose ASN is ASN
// (when HasASN).
type PrefixFilter struct {
	Prefix netip.Prefix
	ASN    uint32
	HasASN bool
}

// Matches reports whether the filter removes v.
func (f PrefixFilter) Matches(v VRP) bool {
	if f.HasASN && v.ASN != f.ASN {
		return false
	}
	if f.Prefix.IsValid() {
		p := v.Prefix
		if p.Addr().Is4() != f.Prefix.Addr().Is4() || p.Bits() < f.Prefix.Bits() || !f.Prefix.Contains(p.Addr()) {
			return false
		}
	}
	return true
}

// ReadSLURM reads a SLURM file. Malformed input is refused with a *ParseError giving the byte
// offset and the reason.
func ReadSLURM(name string, r io.Reader) (*SLURM, error) {
	s := newJScan(r, nil)
	sl := &SLURM{}
	if err := sl.read(s); err != nil {
		return nil, jsonParseError(name, err)
	}
	return sl, nil
}

func (sl *SLURM) read(s *jscan) error {
	jr := &jsonReader{s: s, set: &Set{}, tas: map[string]string{}}
	seen := map[string]bool{}
	err := s.object(func(key []byte, at int64) error {
		k := string(key)
		if seen[k] {
			return s.errAt(at, "duplicate member %q", k)
		}
		seen[k] = true
		switch k {
		case "slurmVersion":
			n, err := jr.uint(1 << 20)
			if err == nil && n != 1 && n != 2 {
				err = s.errAt(at, "unsupported slurmVersion %d", n)
			}
			sl.Version = int(n)
			return err
		case "validationOutputFilters":
			return sl.filters(jr)
		case "locallyAddedAssertions":
			return sl.assertions(jr)
		}
		return s.errAt(at, "unknown SLURM member %q", k)
	})
	if err != nil {
		return err
	}
	if err := s.end(); err != nil {
		return err
	}
	for _, k := range []string{"slurmVersion", "validationOutputFilters", "locallyAddedAssertions"} {
		if !seen[k] {
			return s.errAt(0, "SLURM member %q missing", k)
		}
	}
	sl.PrefixAssertions = jr.set.VRPs
	sl.ASPAAssertions = jr.set.ASPAs
	return nil
}

func (sl *SLURM) filters(jr *jsonReader) error {
	s := jr.s
	return s.object(func(key []byte, at int64) error {
		switch string(key) {
		case "prefixFilters":
			return s.array(func() error { return sl.prefixFilter(jr) })
		case "bgpsecFilters":
			return s.array(s.skip)
		case "aspaFilters":
			return s.array(func() error { return sl.aspaFilter(jr) })
		}
		return s.errAt(at, "unknown filter list %q", key)
	})
}

func (sl *SLURM) assertions(jr *jsonReader) error {
	s := jr.s
	return s.object(func(key []byte, at int64) error {
		switch string(key) {
		case "prefixAssertions":
			return s.array(jr.roa)
		case "bgpsecAssertions":
			return s.array(s.skip)
		case "aspaAssertions":
			return s.array(jr.aspa)
		}
		return s.errAt(at, "unknown assertion list %q", key)
	})
}

func (sl *SLURM) prefixFilter(jr *jsonReader) error {
	s := jr.s
	at := s.off()
	var f PrefixFilter
	err := s.object(func(key []byte, _ int64) error {
		vat := s.off()
		switch string(key) {
		case "asn":
			n, err := jr.asn()
			f.ASN, f.HasASN = n, true
			return err
		case "prefix":
			b, err := s.str()
			if err != nil {
				return err
			}
			p, err := parsePrefix(string(b))
			if err != nil {
				return s.errAt(vat, "%v", err)
			}
			f.Prefix = p.Masked()
			return nil
		}
		return s.skip()
	})
	if err != nil {
		return err
	}
	if !f.HasASN && !f.Prefix.IsValid() {
		return s.errAt(at, "prefix filter without prefix or asn")
	}
	sl.PrefixFilters = append(sl.PrefixFilters, f)
	return nil
}

func (sl *SLURM) aspaFilter(jr *jsonReader) error {
	s := jr.s
	at := s.off()
	found := false
	err := s.object(func(key []byte, _ int64) error {
		switch string(key) {
		case "customerAsid", "customerAsn", "customer_asid", "customer":
			n, err := jr.asn()
			sl.ASPAFilters, found = append(sl.ASPAFilters, n), true
			return err
		}
		return s.skip()
	})
	if err == nil && !found {
		err = s.errAt(at, "ASPA filter without customerAsid")
	}
	return err
}

// Apply filters set in place and adds the assertions (RFC 8416 section 4.2 order: filters
// first, then assertions). Asserted ASPA providers are added to the customer's provider set.
func (sl *SLURM) Apply(set *Set) {
	if len(sl.PrefixFilters) > 0 {
		set.VRPs = slices.DeleteFunc(set.VRPs, func(v VRP) bool {
			for _, f := range sl.PrefixFilters {
				if f.Matches(v) {
					return true
				}
			}
			return false
		})
	}
	if len(sl.ASPAFilters) > 0 {
		set.ASPAs = slices.DeleteFunc(set.ASPAs, func(a ASPA) bool {
			return slices.Contains(sl.ASPAFilters, a.Customer)
		})
	}
	set.VRPs = append(set.VRPs, sl.PrefixAssertions...)
	for _, a := range sl.ASPAAssertions {
		set.ASPAs = append(set.ASPAs, ASPA{Customer: a.Customer, Providers: slices.Clone(a.Providers)})
	}
	set.Normalize()
}
