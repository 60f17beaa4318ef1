package rpki

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"unicode/utf16"
	"unicode/utf8"
)

// jscan is a small streaming JSON reader that keeps the byte offset of every token, so that
// malformed values can be reported with their position. It reads exactly the JSON grammar
// (RFC 8259) but leaves the schema to its callers.
type jscan struct {
	r       io.Reader
	buf     []byte
	pos     int   // next unread byte in buf
	base    int64 // stream offset of buf[0]
	eof     bool
	readErr error
	scratch []byte
	keybuf  []byte
	lines   int64 // newlines before buf[0]
	depth   int
}

const maxJSONDepth = 64

func newJScan(r io.Reader, prefix []byte) *jscan {
	buf := make([]byte, len(prefix), max(256<<10, len(prefix)))
	copy(buf, prefix)
	return &jscan{r: r, buf: buf}
}

// off is the stream offset of the next unread byte.
func (s *jscan) off() int64 { return s.base + int64(s.pos) }

// fill reads more input, keeping buf[s.pos:]. It returns false at the end of input.
func (s *jscan) fill() bool {
	if s.eof {
		return false
	}
	if s.pos > 0 {
		s.lines += int64(bytes.Count(s.buf[:s.pos], []byte{'\n'}))
		n := copy(s.buf, s.buf[s.pos:])
		s.base += int64(s.pos)
		s.buf, s.pos = s.buf[:n], 0
	}
	if len(s.buf) == cap(s.buf) {
		nb := make([]byte, len(s.buf), 2*cap(s.buf))
		copy(nb, s.buf)
		s.buf = nb
	}
	for {
		n, err := s.r.Read(s.buf[len(s.buf):cap(s.buf)])
		s.buf = s.buf[:len(s.buf)+n]
		if err != nil {
			s.eof = true
			if !errors.Is(err, io.EOF) {
				s.readErr = err
			}
			return n > 0
		}
		if n > 0 {
			return true
		}
	}
}

type jsonError struct {
	off    int64
	line   int64 // 1-based, 0 when the text before off is no longer buffered
	reason string
}

func (e *jsonError) Error() string { return e.reason }

func (s *jscan) errAt(off int64, format string, args ...any) error {
	var line int64
	if rel := off - s.base; rel >= 0 && rel <= int64(len(s.buf)) {
		line = s.lines + int64(bytes.Count(s.buf[:rel], []byte{'\n'})) + 1
	}
	return &jsonError{off, line, fmt.Sprintf(format, args...)}
}

func (s *jscan) eofErr() error {
	if s.readErr != nil {
		return s.errAt(s.off(), "read error: %v", s.readErr)
	}
	return s.errAt(s.off(), "unexpected end of input")
}

// peek skips white space and returns the next byte without consuming it.
func (s *jscan) peek() (byte, error) {
	for {
		for s.pos < len(s.buf) {
			c := s.buf[s.pos]
			if c != ' ' && c != '\n' && c != '\r' && c != '\t' {
				return c, nil
			}
			s.pos++
		}
		if !s.fill() {
			return 0, s.eofErr()
		}
	}
}

// expect consumes byte c after white space.
func (s *jscan) expect(c byte) error {
	got, err := s.peek()
	if err != nil {
		return err
	}
	if got != c {
		return s.errAt(s.off(), "expected %q, found %q", c, got)
	}
	s.pos++
	return nil
}

// end checks that only white space follows the top-level value.
func (s *jscan) end() error {
	c, err := s.peek()
	if err == nil {
		return s.errAt(s.off(), "unexpected %q after the top-level value", c)
	}
	if s.readErr != nil {
		return err
	}
	return nil
}

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

// beginObject consumes '{'; members are then read with nextMember.
func (s *jscan) beginObject() error {
	if err := s.expect('{'); err != nil {
		return err
	}
	if s.depth++; s.depth > maxJSONDepth {
		return s.errAt(s.off(), "nesting too deep")
	}
	return nil
}

// nextMember reads the next member name and its colon, or the closing '}' (ok false).
// first must be true for the first call on an object.
func (s *jscan) nextMember(first bool) (key []byte, at int64, ok bool, err error) {
	c, err := s.peek()
	if err != nil {
		return nil, 0, false, err
	}
	if c == '}' {
		s.pos++
		s.depth--
		return nil, 0, false, nil
	}
	if !first {
		if err := s.expect(','); err != nil {
			return nil, 0, false, err
		}
	}
	if _, err := s.peek(); err != nil {
		return nil, 0, false, err
	}
	at = s.off()
	if key, err = s.str(); err != nil {
		return nil, 0, false, err
	}
	s.keybuf = append(s.keybuf[:0], key...) // key may point into buf, which peek can move
	key = s.keybuf
	if err := s.expect(':'); err != nil {
		return nil, 0, false, err
	}
	if _, err := s.peek(); err != nil {
		return nil, 0, false, err
	}
	return key, at, true, nil
}

// object calls fn for every member; fn must consume the value.
func (s *jscan) object(fn func(key []byte, at int64) error) error {
	if err := s.expect('{'); err != nil {
		return err
	}
	if s.depth++; s.depth > maxJSONDepth {
		return s.errAt(s.off(), "nesting too deep")
	}
	defer func() { s.depth-- }()
	for first := true; ; first = false {
		c, err := s.peek()
		if err != nil {
			return err
		}
		if c == '}' && first {
			s.pos++
			return nil
		}
		if !first {
			if c == '}' {
				s.pos++
				return nil
			}
			if err := s.expect(','); err != nil {
				return err
			}
		}
		if _, err := s.peek(); err != nil {
			return err
		}
		at := s.off()
		key, err := s.str()
		if err != nil {
			return err
		}
		key = append([]byte(nil), key...) // key may point into buf, which peek can move
		if err := s.expect(':'); err != nil {
			return err
		}
		if _, err := s.peek(); err != nil {
			return err
		}
		if err := fn(key, at); err != nil {
			return err
		}
	}
}

// array calls fn for every element; fn must consume the element.
func (s *jscan) array(fn func() error) error {
	if err := s.expect('['); err != nil {
		return err
	}
	if s.depth++; s.depth > maxJSONDepth {
		return s.errAt(s.off(), "nesting too deep")
	}
	defer func() { s.depth-- }()
	for first := true; ; first = false {
		c, err := s.peek()
		if err != nil {
			return err
		}
		if c == ']' {
			if first {
				s.pos++
				return nil
			}
			s.pos++
			return nil
		}
		if !first {
			if err := s.expect(','); err != nil {
				return err
			}
			if _, err := s.peek(); err != nil {
				return err
			}
		}
		if err := fn(); err != nil {
			return err
		}
	}
}

// skip consumes any value.
func (s *jscan) skip() error {
	c, err := s.peek()
	if err != nil {
		return err
	}
	switch {
	case c == '{':
		return s.object(func([]byte, int64) error { return s.skip() })
	case c == '[':
		return s.array(s.skip)
	case c == '"':
		_, err := s.str()
		return err
	case c == '-' || c >= '0' && c <= '9':
		_, err := s.num()
		return err
	}
	return s.literal()
}
