package irr

import (
	"fmt"
	"math"
	"strings"
)

// ParseASN parses an RPSL AS number: "AS" (any case) followed by asplain ("AS196615") or asdot
// ("AS3.4", RFC 5396) notation.
func ParseASN(s string) (uint32, error) {
	if len(s) < 3 || !strings.EqualFold(s[:2], "AS") {
		return 0, fmt.Errorf("AS number %q does not start with \"AS\"", s)
	}
	digits := s[2:]
	if hi, lo, dot := strings.Cut(digits, "."); dot {
		h, err1 := parseDecimal(hi, math.MaxUint16)
		l, err2 := parseDecimal(lo, math.MaxUint16)
		if err1 != nil || err2 != nil {
			return 0, fmt.Errorf("AS number %q is not valid asdot", s)
		}
		return uint32(h<<16 | l), nil
	}
	v, err := parseDecimal(digits, math.MaxUint32)
	if err != nil {
		return 0, fmt.Errorf("AS number %q: %v", s, err)
	}
	return uint32(v), nil
}

func parseDecimal(s string, limit uint64) (uint64, error) {
	if s == "" {
		return 0, fmt.Errorf("no digits")
	}
	var v uint64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, fmt.Errorf("%q is not decimal", s)
		}
		v = v*10 + uint64(c-'0')
		if v > limit {
			return 0, fmt.Errorf("%q exceeds %d", s, limit)
		}
	}
	return v, nil
}

// isASN reports whether s looks like an AS number rather than a set name ("AS-…").
func isASN(s string) bool {
	_, err := ParseASN(s)
	return err == nil
}

// NormalizeSetName validates an as-set name and returns it in upper case. Names are "AS-…" or
// hierarchical ("AS3333:AS-FOO", RFC 2622 section 5) with at least one "AS-" component; each
// component holds letters, digits, '-' and '_'.
func NormalizeSetName(s string) (string, error) {
	if s == "" {
		return "", fmt.Errorf("empty as-set name")
	}
	u := strings.ToUpper(s)
	hasSet := false
	for _, part := range strings.Split(u, ":") {
		switch {
		case strings.HasPrefix(part, "AS-") && len(part) > 3 && setChars(part):
			hasSet = true
		case isASN(part):
		default:
			return "", fmt.Errorf("%q is not an as-set name", s)
		}
	}
	if !hasSet {
		return "", fmt.Errorf("%q is not an as-set name (no \"AS-\" component)", s)
	}
	return u, nil
}

func setChars(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}
