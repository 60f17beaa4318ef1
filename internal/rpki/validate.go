package rpki

import "net/netip"

// State is an RFC 6811 route origin validation state.
type State uint8

// Validation states.
const (
	NotFound State = iota // no VRP covers the route prefix
	Valid                 // a covering VRP matches origin and length
	Invalid               // covered, but no VRP matches
)

// String returns "not-found", "valid" or "invalid" (Routinator's spelling).
func (s State) String() string {
	switch s {
	case Valid:
		return "valid"
	case Invalid:
		return "invalid"
	}
	return "not-found"
}

// Reason says why a route is invalid.
type Reason uint8

// Invalidity reasons.
const (
	ReasonNone   Reason = iota // valid or not-found
	ReasonAS                   // no covering VRP has the route's origin AS
	ReasonLength               // a covering VRP has the origin AS but a shorter max length
)

// String returns "", "as" or "length".
func (r Reason) String() string {
	switch r {
	case ReasonAS:
		return "as"
	case ReasonLength:
		return "length"
	}
	return ""
}

// Result is a detailed RFC 6811 outcome: the state, the reason when invalid, and the covering
// VRPs sorted into matched, unmatched by AS and unmatched by length (Routinator's categories).
type Result struct {
	State           State
	Reason          Reason
	Matched         []VRP
	UnmatchedAS     []VRP
	UnmatchedLength []VRP
}

// Validate returns the RFC 6811 state of a route. originKnown is false when the origin is NONE
// (the AS_PATH ends in an AS_SET): such a route is never valid (invalid if covered, not-found
// otherwise). A VRP for AS0 never matches, but it does cover. Host bits of p are ignored.
func (t *Table) Validate(p netip.Prefix, origin uint32, originKnown bool) State {
	f, hi, lo, bits := t.find(p)
	if f == nil {
		return NotFound
	}
	n := f.lookup(hi, lo, bits)
	if n < 0 {
		return NotFound
	}
	if !originKnown || origin == 0 {
		return Invalid
	}
	for ; n >= 0; n = f.parent[n] {
		for k := f.start[n]; k < f.start[n+1]; k++ {
			if f.asn[k] == origin && bits <= f.maxLen[k] {
				return Valid
			}
		}
	}
	return Invalid
}

// ValidateDetail is Validate with the VRPs that decided the outcome.
func (t *Table) ValidateDetail(p netip.Prefix, origin uint32, originKnown bool) Result {
	var r Result
	f, hi, lo, bits := t.find(p)
	if f == nil {
		return r
	}
	n := f.lookup(hi, lo, bits)
	for ; n >= 0; n = f.parent[n] {
		for k := f.start[n]; k < f.start[n+1]; k++ {
			v := t.vrps[f.ref[k]]
			switch {
			case !originKnown || f.asn[k] == 0 || f.asn[k] != origin:
				r.UnmatchedAS = append(r.UnmatchedAS, v)
			case bits > f.maxLen[k]:
				r.UnmatchedLength = append(r.UnmatchedLength, v)
			default:
				r.Matched = append(r.Matched, v)
			}
		}
	}
	switch {
	case len(r.Matched) > 0:
		r.State = Valid
	case len(r.UnmatchedLength) > 0:
		r.State, r.Reason = Invalid, ReasonLength
	case len(r.UnmatchedAS) > 0:
		r.State, r.Reason = Invalid, ReasonAS
	}
	return r
}

// Covered reports whether any VRP covers p (whether it has a ROA, for coverage figures).
func (t *Table) Covered(p netip.Prefix) bool {
	f, hi, lo, bits := t.find(p)
	return f != nil && f.lookup(hi, lo, bits) >= 0
}

// Covering returns every VRP whose prefix covers p, most specific first.
func (t *Table) Covering(p netip.Prefix) []VRP {
	f, hi, lo, bits := t.find(p)
	if f == nil {
		return nil
	}
	var out []VRP
	for n := f.lookup(hi, lo, bits); n >= 0; n = f.parent[n] {
		for k := f.start[n]; k < f.start[n+1]; k++ {
			out = append(out, t.vrps[f.ref[k]])
		}
	}
	return out
}
