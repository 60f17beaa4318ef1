package rpki

import (
	"unicode/utf16"
	"unicode/utf8"
)

// str reads a string value; the result is valid until the next call.
func (s *jscan) str() ([]byte, error) {
	if err := s.expect('"'); err != nil {
		return nil, err
	}
	start := s.off() - 1
	// Fast path: the whole string is in the buffer, ASCII, without escapes.
	for i := s.pos; i < len(s.buf); i++ {
		c := s.buf[i]
		if c == '"' {
			out := s.buf[s.pos:i]
			s.pos = i + 1
			return out, nil
		}
		if c == '\\' || c < 0x20 || c >= 0x80 {
			break
		}
	}
	out := s.scratch[:0]
	for {
		i := s.pos
		for i < len(s.buf) {
			c := s.buf[i]
			if c == '"' || c == '\\' || c < 0x20 {
				break
			}
			i++
		}
		out = append(out, s.buf[s.pos:i]...)
		s.pos = i
		if i == len(s.buf) {
			if !s.fill() {
				return nil, s.errAt(start, "unterminated string")
			}
			continue
		}
		c := s.buf[i]
		s.pos++
		switch {
		case c == '"':
			s.scratch = out
			if !utf8.Valid(out) {
				return nil, s.errAt(start, "invalid UTF-8 in string")
			}
			return out, nil
		case c < 0x20:
			return nil, s.errAt(s.off()-1, "control character in string")
		}
		var err error
		if out, err = s.escape(out); err != nil {
			return nil, err
		}
	}
}

func (s *jscan) need(n int) bool {
	for len(s.buf)-s.pos < n {
		if !s.fill() {
			return false
		}
	}
	return true
}

// escape decodes the escape sequence after a backslash.
func (s *jscan) escape(out []byte) ([]byte, error) {
	at := s.off() - 1
	if !s.need(1) {
		return nil, s.errAt(at, "unterminated string")
	}
	c := s.buf[s.pos]
	s.pos++
	switch c {
	case '"', '\\', '/':
		return append(out, c), nil
	case 'b':
		return append(out, '\b'), nil
	case 'f':
		return append(out, '\f'), nil
	case 'n':
		return append(out, '\n'), nil
	case 'r':
		return append(out, '\r'), nil
	case 't':
		return append(out, '\t'), nil
	case 'u':
		r, ok := s.hex4()
		if !ok {
			return nil, s.errAt(at, "bad \\u escape")
		}
		if utf16.IsSurrogate(r) {
			if s.need(6) && s.buf[s.pos] == '\\' && s.buf[s.pos+1] == 'u' {
				s.pos += 2
				r2, ok := s.hex4()
				if !ok {
					return nil, s.errAt(at, "bad \\u escape")
				}
				r = utf16.DecodeRune(r, r2)
			} else {
				r = utf8.RuneError
			}
		}
		return utf8.AppendRune(out, r), nil
	}
	return nil, s.errAt(at, "bad escape \\%c", c)
}

func (s *jscan) hex4() (rune, bool) {
	if !s.need(4) {
		return 0, false
	}
	var r rune
	for _, c := range s.buf[s.pos : s.pos+4] {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	s.pos += 4
	return r, true
}

// num reads a number token and returns its text; valid until the next call.
func (s *jscan) num() ([]byte, error) {
	if _, err := s.peek(); err != nil {
		return nil, err
	}
	start := s.off()
	// Fast path: a plain integer followed by a delimiter inside the buffer.
	for i := s.pos; i < len(s.buf); i++ {
		c := s.buf[i]
		if c >= '0' && c <= '9' {
			continue
		}
		if !isNumByte(c) && i > s.pos && (s.buf[s.pos] != '0' || i == s.pos+1) {
			out := s.buf[s.pos:i]
			s.pos = i
			return out, nil
		}
		break
	}
	out := s.scratch[:0]
	for {
		i := s.pos
		for i < len(s.buf) && isNumByte(s.buf[i]) {
			i++
		}
		out = append(out, s.buf[s.pos:i]...)
		s.pos = i
		if i < len(s.buf) || !s.fill() {
			break
		}
	}
	s.scratch = out
	if !validNumber(out) {
		return nil, s.errAt(start, "malformed number %q", out)
	}
	return out, nil
}

func isNumByte(c byte) bool {
	return c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E'
}

// validNumber checks the RFC 8259 number grammar.
func validNumber(b []byte) bool {
	i := 0
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && b[i] >= '1' && b[i] <= '9':
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
	default:
		return false
	}
	if i < len(b) && b[i] == '.' {
		i++
		if i == len(b) || b[i] < '0' || b[i] > '9' {
			return false
		}
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if i == len(b) || b[i] < '0' || b[i] > '9' {
			return false
		}
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
	}
	return i == len(b)
}

// literal consumes true, false or null.
func (s *jscan) literal() error {
	at := s.off()
	for _, lit := range []string{"true", "false", "null"} {
		if s.need(len(lit)) && string(s.buf[s.pos:s.pos+len(lit)]) == lit {
			s.pos += len(lit)
			return nil
		}
	}
	if s.pos < len(s.buf) {
		return s.errAt(at, "unexpected %q", s.buf[s.pos])
	}
	return s.eofErr()
}
