package rpki

import (
	"bytes"
	"errors"
)

// roaFields collects the members of one ROA object.
type roaFields struct {
	v                 VRP // Prefix, ASN, TA, Expires as read
	maxLen            int // -1 when absent
	hasASN, hasPrefix bool
}

// vrp checks the collected members and builds the VRP.
func (f *roaFields) vrp() (VRP, error) {
	if !f.hasASN || !f.hasPrefix {
		return VRP{}, errMissingROAField
	}
	if f.maxLen < 0 {
		f.maxLen = f.v.Prefix.Bits()
	}
	v, err := NewVRP(f.v.Prefix, f.maxLen, f.v.ASN)
	v.TA, v.Expires = f.v.TA, f.v.Expires
	return v, err
}

var errMissingROAField = errors.New("ROA entry without asn or prefix")

// roaFast decodes one ROA object of the common shape ({"asn", "prefix", "maxLength", "ta",
// "expires"} with plain values) straight from the scanner's buffer. It returns false, having
// consumed nothing, when the object is not entirely buffered or holds anything unusual (escapes,
// other keys, malformed values); the caller then uses the general path, which also produces the
// error messages.
func (jr *jsonReader) roaFast() bool {
	s := jr.s
	if s.pos >= len(s.buf) || s.buf[s.pos] != '{' {
		return false
	}
	if bytes.IndexByte(s.buf[s.pos:], '}') < 0 {
		s.fill()
	}
	b := s.buf
	i := s.pos + 1
	f := roaFields{maxLen: -1}
	for first := true; ; first = false {
		i = skipWS(b, i)
		if i >= len(b) {
			return false
		}
		if b[i] == '}' {
			i++
			break
		}
		if !first {
			if b[i] != ',' {
				return false
			}
			i = skipWS(b, i+1)
		}
		key, j, ok := fastString(b, i)
		if !ok {
			return false
		}
		if i = skipWS(b, j); i >= len(b) || b[i] != ':' {
			return false
		}
		if i = skipWS(b, i+1); i >= len(b) {
			return false
		}
		if i, ok = jr.fastMember(&f, key, b, i); !ok {
			return false
		}
	}
	// The prefix is valid and masked here; only the presence and max-length checks of NewVRP
	// remain (any failure goes to the general path, which reports it).
	bits := f.v.Prefix.Bits()
	if f.maxLen < 0 {
		f.maxLen = bits
	}
	if !f.hasASN || !f.hasPrefix || f.maxLen < bits || f.maxLen > f.v.Prefix.Addr().BitLen() {
		return false
	}
	jr.set.VRPs = append(jr.set.VRPs, VRP{Prefix: f.v.Prefix, MaxLength: uint8(f.maxLen), ASN: f.v.ASN, TA: f.v.TA, Expires: f.v.Expires})
	s.pos = i
	return true
}

// fastMember decodes the value of member key at b[i] into f and returns the index after it.
func (jr *jsonReader) fastMember(f *roaFields, key, b []byte, i int) (int, bool) {
	var (
		tok []byte
		ok  bool
	)
	switch string(key) {
	case "asn":
		if b[i] == '"' {
			tok, i, ok = fastString(b, i)
		} else {
			tok, i, ok = fastDigits(b, i)
		}
		if !ok {
			return i, false
		}
		asn, err := parseASNBytes(tok)
		f.v.ASN, f.hasASN = asn, true
		return i, err == nil
	case "prefix":
		if tok, i, ok = fastString(b, i); !ok {
			return i, false
		}
		p, fast := parseIPv4Prefix(tok)
		if !fast {
			var err error
			if p, err = parsePrefix(string(tok)); err != nil {
				return i, false
			}
			p = p.Masked()
		}
		f.v.Prefix, f.hasPrefix = p, true
	case "maxLength":
		if tok, i, ok = fastDigits(b, i); !ok || len(tok) > 3 {
			return i, false
		}
		f.maxLen = atoiDigits(tok)
	case "ta":
		if tok, i, ok = fastString(b, i); !ok {
			return i, false
		}
		f.v.TA = jr.intern(tok)
	case "expires":
		if tok, i, ok = fastDigits(b, i); !ok || len(tok) > 18 {
			return i, false
		}
		f.v.Expires = int64(atoiDigits(tok))
	default:
		return i, false
	}
	return i, true
}

func skipWS(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t') {
		i++
	}
	return i
}

// fastString returns the content of the plain ASCII string starting at b[i] == '"' and the
// index after its closing quote.
func fastString(b []byte, i int) ([]byte, int, bool) {
	if i >= len(b) || b[i] != '"' {
		return nil, i, false
	}
	j := i + 1
	for j < len(b) && !strStop[b[j]] {
		j++
	}
	if j < len(b) && b[j] == '"' {
		return b[i+1 : j], j + 1, true
	}
	return nil, i, false
}

// strStop marks the bytes that end the plain part of a string: the quote, the backslash,
// control characters and non-ASCII bytes (left to the general path).
var strStop = func() (t [256]bool) {
	for c := range t {
		t[c] = c == '"' || c == '\\' || c < 0x20 || c >= 0x80
	}
	return t
}()

// fastDigits returns a run of decimal digits without a leading zero (unless alone) that ends
// before a JSON delimiter.
func fastDigits(b []byte, i int) ([]byte, int, bool) {
	j := i
	for j < len(b) && b[j] >= '0' && b[j] <= '9' {
		j++
	}
	if j == i || j >= len(b) || isNumByte(b[j]) || (b[i] == '0' && j-i > 1) {
		return nil, i, false
	}
	return b[i:j], j, true
}

func atoiDigits(b []byte) int {
	n := 0
	for _, c := range b {
		n = n*10 + int(c-'0')
	}
	return n
}
