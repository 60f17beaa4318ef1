package rpki

import "bytes"

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
	var (
		v                 VRP
		maxLen            = -1
		hasASN, hasPrefix bool
	)
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
		i = skipWS(b, j)
		if i >= len(b) || b[i] != ':' {
			return false
		}
		i = skipWS(b, i+1)
		if i >= len(b) {
			return false
		}
		switch string(key) {
		case "asn":
			var tok []byte
			if b[i] == '"' {
				if tok, i, ok = fastString(b, i); !ok {
					return false
				}
			} else if tok, i, ok = fastDigits(b, i); !ok {
				return false
			}
			asn, err := parseASNBytes(tok)
			if err != nil {
				return false
			}
			v.ASN, hasASN = asn, true
		case "prefix":
			var tok []byte
			if tok, i, ok = fastString(b, i); !ok {
				return false
			}
			p, fast := parseIPv4Prefix(tok)
			if !fast {
				var err error
				if p, err = parsePrefix(string(tok)); err != nil {
					return false
				}
			}
			v.Prefix, hasPrefix = p, true
		case "maxLength":
			var tok []byte
			if tok, i, ok = fastDigits(b, i); !ok || len(tok) > 3 {
				return false
			}
			maxLen = atoiDigits(tok)
		case "ta":
			var tok []byte
			if tok, i, ok = fastString(b, i); !ok {
				return false
			}
			v.TA = jr.intern(tok)
		case "expires":
			var tok []byte
			if tok, i, ok = fastDigits(b, i); !ok || len(tok) > 18 {
				return false
			}
			v.Expires = int64(atoiDigits(tok))
		default:
			return false
		}
	}
	if !hasASN || !hasPrefix {
		return false
	}
	if maxLen < 0 {
		maxLen = v.Prefix.Bits()
	}
	vrp, err := NewVRP(v.Prefix, maxLen, v.ASN)
	if err != nil {
		return false
	}
	vrp.TA, vrp.Expires = v.TA, v.Expires
	jr.set.VRPs = append(jr.set.VRPs, vrp)
	s.pos = i
	return true
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
	for j := i + 1; j < len(b); j++ {
		c := b[j]
		if c == '"' {
			return b[i+1 : j], j + 1, true
		}
		if c == '\\' || c < 0x20 || c >= 0x80 {
			return nil, i, false
		}
	}
	return nil, i, false
}

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
